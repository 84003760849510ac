import type { ItemScan, MissingItem } from '../../domain/packed-items';
import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import type { Chapter, Evidence, RecordingSession } from '../../domain/types';

const recordingId = z.string().uuid();
const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'Expected bytes' });

export interface ChunkAck {
  bytesOnDisk: number;
  freeBytes: number | null;
}

export const captureCalls = {
  /** a scan (or typed code) starts a recording for that order */
  'capture.start': call<RecordingSession>()(
    z
      .object({
        code: z.string().max(4096),
        mode: z.enum(['outbound', 'return']),
        mime: z.string().min(1).max(100),
      })
      .strict(),
  ),
  /** one timeslice of MediaRecorder output, appended and fsync'd before the ack */
  'capture.chunk': call<ChunkAck>()(z.object({ recordingId, seq: z.number().int().min(0), data: bytes }).strict()),
  /** a checklist step marked during the recording (stored at once: survives a crash) */
  'capture.mark': call<Chapter>()(
    z.object({ recordingId, step: z.string().min(1).max(64), atMs: z.number().int().min(0) }).strict(),
  ),
  /**
   * SKU-first packing: the order or tracking number scanned during a recording that a SKU
   * started links its provisional order to the real one; the recording goes on
   */
  'capture.link': call<RecordingSession>()(z.object({ recordingId, code: z.string().max(4096) }).strict()),
  /** an item's SKU scanned during a recording: stored, and judged against the order's items */
  'capture.item': call<ItemScan>()(
    z.object({ recordingId, sku: z.string().max(4096), atMs: z.number().int().min(0) }).strict(),
  ),
  /** at a packing recording's stop: ordered items not scanned as often as ordered */
  'capture.missingItems': call<{ orderNo: string; missing: MissingItem[] }>()(z.object({ recordingId }).strict()),
  /** the page saw its camera's picture move during the recording: not idle (idle auto-stop) */
  'capture.activity': call<{ ok: true }>()(z.object({ recordingId }).strict()),
  'capture.stop': call<Evidence>()(z.object({ recordingId, durationMs: z.number().int().min(0).optional() }).strict()),
  /** a still from the station camera, tagged to an order */
  'capture.photo': call<Evidence>()(
    z
      .object({
        orderId: idSchema,
        mode: z.enum(['outbound', 'return']),
        mime: z.enum(['image/jpeg', 'image/png']),
        data: bytes,
      })
      .strict(),
  ),
};
