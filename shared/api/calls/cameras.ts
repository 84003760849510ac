import { z } from 'zod';
import { call } from '../define';
import type { CameraInfo } from '../../domain/camera';
import { idSchema, type Id } from '../../domain/id';

export interface CameraLive {
  cameraId: string;
  state: 'connecting' | 'live' | 'down' | 'stopped';
  /** why the last connection ended (credentials removed) */
  lastError: string | null;
  recording: boolean;
}

export interface CameraList {
  cameras: CameraInfo[];
  live: CameraLive[];
  idleStopMinutes: number;
}

export interface CameraTest {
  ok: boolean;
  codec: string | null;
  width: number | null;
  height: number | null;
  /** H.264/H.265 are copied as they come; other codecs are encoded (CPU) */
  streamCopy: boolean;
  error: string | null;
}

export interface CameraPartView {
  recordingId: string;
  cameraId: string;
  cameraName: string;
  role: 'main' | 'closeup';
  takeId: string;
  partNo: number;
  gapMs: number | null;
  /** the saved file's title card length: its footage starts (and ends) this far from the file's ends */
  cardMs?: number | null;
  evidenceId: Id | null;
  startedAt: string;
  /** the webcam file of the same scan, if the scan had one */
  takeEvidenceId: Id | null;
}

/** an ONVIF device that answered on the LAN */
export interface DiscoveredCamera {
  id: string;
  host: string;
  name: string | null;
  hardware: string | null;
  /** its ONVIF service addresses (not the stream: that needs the device password) */
  serviceUrls: string[];
}

const cameraId = z.string().min(1).max(64);
const nvr = z
  .object({
    brand: z.enum(['hikvision', 'dahua']),
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).optional(),
    channel: z.number().int().min(1).max(256),
    stream: z.enum(['main', 'sub']),
  })
  .strict();
const source = z
  .object({
    url: z.string().max(2048).optional(),
    nvr: nvr.optional(),
    username: z.string().max(128).optional(),
    password: z.string().max(256).optional(),
  })
  .strict();

export const cameraCalls = {
  'cameras.list': call<CameraList>()(z.object({}).strict()),
  /** a camera by URL (credentials may be in it or given apart) or by NVR brand + channel */
  'cameras.add': call<CameraInfo>()(
    source.extend({ name: z.string().max(64).optional(), role: z.enum(['main', 'closeup']).optional() }).strict(),
  ),
  'cameras.remove': call<{ removed: true }>()(z.object({ id: cameraId }).strict()),
  /** opens the stream once and says what it carries (the Settings "test" button) */
  'cameras.test': call<CameraTest>()(z.union([z.object({ id: cameraId }).strict(), source])),
  /** one JPEG of the camera's current picture, as a data: URL (the live preview polls it) */
  'cameras.snapshot': call<{ dataUrl: string; at: string }>()(z.object({ id: cameraId }).strict()),
  'cameras.setIdleStop': call<{ idleStopMinutes: number }>()(
    z.object({ minutes: z.number().positive().max(1440) }).strict(),
  ),
  /** ONVIF devices on the LAN (WS-Discovery, a few seconds) */
  'cameras.discover': call<DiscoveredCamera[]>()(
    z.object({ timeoutMs: z.number().int().min(500).max(15_000).optional() }).strict(),
  ),
  /** the camera files of an order: views of one scan share a takeId; gaps where a camera dropped */
  'cameras.parts': call<CameraPartView[]>()(z.object({ orderId: idSchema }).strict()),
};
