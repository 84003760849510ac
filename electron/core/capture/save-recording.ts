import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../../shared/api/result';
import type { Evidence, Id } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import { notifyEvidenceAdded, type CoreContext } from '../context';
import { inTransaction } from '../db/transaction';
import { getEvidence, insertEvidence } from '../evidence/evidence-repo';
import { freeBytes, isDiskFullError, toPosix } from '../storage/files';
import { cardedCameraPart } from '../cameras/camera-card-save';
import { setCameraPartCard } from '../cameras/camera-parts-repo';
import { finalizeRecording } from './finalize';
import { evidenceRelPath } from './media-layout';
import type { RecordingRow } from './recording-service';

/**
 * Turns a recording's part into evidence: remux (finalize.ts), then ONE transaction
 * inserts the evidence row, marks the recording and appends the audit entry; the part
 * is removed only after that commit. No usable video → the row is marked failed and the
 * raw part kept; no space → DISK_FULL, the row stays "recording" to be retried.
 */
export async function saveRecording(
  ctx: CoreContext,
  row: RecordingRow,
  origin: 'recorded' | 'recovered',
): Promise<Evidence> {
  const db = ctx.db;
  const partAbs = path.join(ctx.paths.root, row.part_path);
  const startedAt = new Date(row.started_at);
  const { order_no: orderNo } = await db
    .selectFrom('orders')
    .select('order_no')
    .where('id', '=', row.order_id)
    .executeTakeFirstOrThrow();
  const relNoExt = evidenceRelPath(orderNo, row.mode, startedAt, 'x', row.id).replace(/\.x$/, '');
  let media;
  let evidenceId: Id;
  // a network camera's clip gets its title cards here (cameras/title-card.ts)
  const carded = await cardedCameraPart(ctx, row, partAbs);
  try {
    media = await finalizeRecording(carded?.file ?? partAbs, path.join(ctx.paths.media, relNoExt));
    const rel = toPosix(path.relative(ctx.paths.root, media.finalPath));
    const m = media;
    evidenceId = await inTransaction(db, async (trx) => {
      // claim the row first, only while it is still "recording": a second finalization
      // (stop racing the watchdog across processes, or a stale row) is refused before its
      // evidence insert, which would otherwise collide on the same path (UNIQUE) instead.
      // On PostgreSQL the claim's row lock makes a concurrent second one wait, then miss.
      const { numUpdatedRows } = await trx
        .updateTable('recordings')
        .set({ status: origin === 'recorded' ? 'finalized' : 'recovered' })
        .where('id', '=', row.id)
        .where('status', '=', 'recording')
        .executeTakeFirstOrThrow();
      if (numUpdatedRows === 0n)
        throw new AppError('CONFLICT', 'This recording has already ended', { problem: 'recording-ended' });
      const id = await insertEvidence(trx, {
        orderId: row.order_id,
        kind: 'video',
        origin,
        mode: row.mode,
        path: rel,
        originalName: null,
        mime: m.ext === 'mp4' ? 'video/mp4' : 'video/x-matroska',
        sha256: m.sha256,
        bytes: m.bytes,
        durationMs: m.durationMs,
        width: m.width,
        height: m.height,
        station: row.station,
        operator: row.operator,
        capturedAt: row.started_at,
        parentId: null,
      });
      await trx.updateTable('recordings').set({ evidence_id: id }).where('id', '=', row.id).execute();
      if (carded) await setCameraPartCard(trx, row.id, carded.cardMs);
      await appendAudit(trx, {
        actor: row.operator,
        action: origin === 'recorded' ? 'recording.saved' : 'recording.recovered',
        entity: 'evidence',
        entityId: id,
        details: { recordingId: row.id, sha256: m.sha256, bytes: m.bytes, path: rel },
      });
      return id;
    });
  } catch (e) {
    if (isDiskFullError(e) || (await lacksSpaceFor(ctx, partAbs))) {
      // the part stays, the row stays "recording": retried when space is back
      throw new AppError('DISK_FULL', 'The disk is full: the footage is kept and will be saved once space is freed', {
        recordingId: row.id,
      });
    }
    if (isAppError(e) && (e.code === 'MEDIA_UNREADABLE' || e.code === 'MEDIA_FAILED'))
      await markFailed(ctx, row, e.message);
    throw e;
  } finally {
    if (carded) await fsp.rm(carded.file, { force: true });
  }
  // the part is only removed once the evidence row is committed
  await fsp.rm(partAbs, { force: true });
  const evidence = await getEvidence(db, evidenceId);
  await notifyEvidenceAdded(ctx, evidence);
  return evidence;
}

async function lacksSpaceFor(ctx: CoreContext, partAbs: string): Promise<boolean> {
  const size = (await fsp.stat(partAbs).catch(() => null))?.size ?? 0;
  const free = freeBytes(ctx.paths.media);
  return free !== null && free < size + 8 * 1024 * 1024;
}

/** No usable video in the part: the row says so, the raw file stays for a specialist. */
async function markFailed(ctx: CoreContext, row: RecordingRow, reason: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const { numUpdatedRows } = await trx
      .updateTable('recordings')
      .set({ status: 'failed', error: reason })
      .where('id', '=', row.id)
      .where('status', '=', 'recording')
      .executeTakeFirstOrThrow();
    if (numUpdatedRows === 0n) return; // already saved or failed: nothing happened to record
    await appendAudit(trx, {
      actor: row.operator,
      action: 'recording.unrecoverable',
      entity: 'order',
      entityId: row.order_id,
      details: { recordingId: row.id, reason, part: row.part_path },
    });
  });
}
