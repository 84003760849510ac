import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../../shared/api/result';
import type { Evidence } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import { notifyEvidenceAdded, type CoreContext } from '../context';
import { getEvidence, insertEvidence } from '../evidence/evidence-repo';
import { freeBytes, isDiskFullError, toPosix } from '../storage/files';
import { cardedCameraPart } from '../cameras/camera-card-save';
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
  const orderNo = (db.prepare('SELECT order_no FROM orders WHERE id = ?').get(row.order_id) as { order_no: string })
    .order_no;
  const relNoExt = evidenceRelPath(orderNo, row.mode, startedAt, 'x', row.id).replace(/\.x$/, '');
  let media;
  let evidenceId: number;
  // a network camera's clip gets its title cards here (cameras/title-card.ts)
  const carded = await cardedCameraPart(ctx, row, partAbs);
  try {
    media = await finalizeRecording(carded?.file ?? partAbs, path.join(ctx.paths.media, relNoExt));
    const rel = toPosix(path.relative(ctx.paths.root, media.finalPath));
    const m = media;
    evidenceId = db.transaction(() => {
      const id = insertEvidence(db, {
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
      db.prepare('UPDATE recordings SET status = ?, evidence_id = ? WHERE id = ?').run(
        origin === 'recorded' ? 'finalized' : 'recovered',
        id,
        row.id,
      );
      if (carded) db.prepare('UPDATE camera_parts SET card_ms = ? WHERE recording_id = ?').run(carded.cardMs, row.id);
      appendAudit(db, {
        actor: row.operator,
        action: origin === 'recorded' ? 'recording.saved' : 'recording.recovered',
        entity: 'evidence',
        entityId: id,
        details: { recordingId: row.id, sha256: m.sha256, bytes: m.bytes, path: rel },
      });
      return id;
    })();
  } catch (e) {
    if (isDiskFullError(e) || (await lacksSpaceFor(ctx, partAbs))) {
      // the part stays, the row stays "recording": retried when space is back
      throw new AppError('DISK_FULL', 'The disk is full: the footage is kept and will be saved once space is freed', {
        recordingId: row.id,
      });
    }
    if (isAppError(e) && (e.code === 'MEDIA_UNREADABLE' || e.code === 'MEDIA_FAILED')) markFailed(ctx, row, e.message);
    throw e;
  } finally {
    if (carded) await fsp.rm(carded.file, { force: true });
  }
  // the part is only removed once the evidence row is committed
  await fsp.rm(partAbs, { force: true });
  const evidence = getEvidence(db, evidenceId);
  notifyEvidenceAdded(ctx, evidence);
  return evidence;
}

async function lacksSpaceFor(ctx: CoreContext, partAbs: string): Promise<boolean> {
  const size = (await fsp.stat(partAbs).catch(() => null))?.size ?? 0;
  const free = freeBytes(ctx.paths.media);
  return free !== null && free < size + 8 * 1024 * 1024;
}

/** No usable video in the part: the row says so, the raw file stays for a specialist. */
function markFailed(ctx: CoreContext, row: RecordingRow, reason: string): void {
  const db = ctx.db;
  db.transaction(() => {
    db.prepare("UPDATE recordings SET status = 'failed', error = ? WHERE id = ? AND status = 'recording'").run(
      reason,
      row.id,
    );
    appendAudit(db, {
      actor: row.operator,
      action: 'recording.unrecoverable',
      entity: 'order',
      entityId: row.order_id,
      details: { recordingId: row.id, reason, part: row.part_path },
    });
  })();
}
