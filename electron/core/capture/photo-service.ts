import { randomUUID } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/api/result';
import type { CaptureMode, Evidence, Id } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import { notifyEvidenceAdded, type CoreContext } from '../context';
import { inTransaction } from '../db/transaction';
import { getEvidence, insertEvidence } from '../evidence/evidence-repo';
import { getOrder } from '../orders/order-repo';
import { sha256Bytes, toPosix, writeFileAtomic } from '../storage/files';
import { evidenceRelPath } from './media-layout';

const MAX_PHOTO_BYTES = 40 * 1024 * 1024;
/** the most pixels a station photo may have (the checks decode no more either) */
const MAX_PHOTO_PIXELS = 100_000_000;

/** A full-resolution still from the station camera, stored byte for byte as taken. */
export async function savePhoto(
  ctx: CoreContext,
  input: { orderId: Id; mode: CaptureMode; mime: 'image/jpeg' | 'image/png'; data: Uint8Array },
): Promise<Evidence> {
  const order = await getOrder(ctx.db, input.orderId);
  if (input.data.length === 0 || input.data.length > MAX_PHOTO_BYTES) {
    throw new AppError('INVALID_INPUT', 'The photo is empty or too large', { problem: 'photo-unusable' });
  }
  const meta = await sharp(input.data, { limitInputPixels: 100_000_000 })
    .metadata()
    .catch(() => null);
  const format = meta?.format === 'jpeg' ? 'jpg' : meta?.format === 'png' ? 'png' : null;
  if (!meta || !format)
    throw new AppError('MEDIA_UNREADABLE', 'The photo could not be read', { problem: 'photo-unreadable' });
  // a header may declare 30000 × 30000 in 100 bytes: such a "photo" would blow up every
  // later decode (thumbnails, checks), so it is refused here, before it is stored
  if (!meta.width || !meta.height || meta.width * meta.height > MAX_PHOTO_PIXELS) {
    throw new AppError('MEDIA_UNREADABLE', `The photo declares ${meta.width} × ${meta.height} pixels`, {
      problem: 'too-many-pixels',
    });
  }
  const at = new Date();
  const settings = ctx.settings.get();
  const rel = path.posix.join('media', evidenceRelPath(order.orderNo, input.mode, at, format, randomUUID()));
  await writeFileAtomic(path.join(ctx.paths.root, rel), input.data);
  const sha256 = sha256Bytes(input.data);
  const id = await inTransaction(ctx.db, async (trx) => {
    const evidenceId = await insertEvidence(trx, {
      orderId: order.id,
      kind: 'photo',
      origin: 'recorded',
      mode: input.mode,
      path: toPosix(rel),
      originalName: null,
      mime: format === 'jpg' ? 'image/jpeg' : 'image/png',
      sha256,
      bytes: input.data.length,
      durationMs: null,
      width: meta.width ?? null,
      height: meta.height ?? null,
      station: settings.stationName,
      operator: settings.operator,
      capturedAt: at.toISOString(),
      parentId: null,
    });
    await appendAudit(trx, {
      actor: settings.operator,
      action: 'photo.saved',
      entity: 'evidence',
      entityId: evidenceId,
      details: { orderId: order.id, sha256, path: rel },
    });
    return evidenceId;
  });
  const evidence = await getEvidence(ctx.db, id);
  await notifyEvidenceAdded(ctx, evidence);
  return evidence;
}
