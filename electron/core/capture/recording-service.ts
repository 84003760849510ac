import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import { classifyCode, normalizeScan } from '../../../shared/domain/scan-code';
import type { CaptureMode, Chapter, Evidence, RecordingSession } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import { notifyEvidenceAdded, type CoreContext } from '../context';
import { getEvidence, insertEvidence } from '../evidence/evidence-repo';
import { findOrCreateOrder } from '../orders/order-repo';
import { freeBytes, toPosix } from '../storage/files';
import { finalizeRecording } from './finalize';
import { evidenceRelPath, extensionForMime } from './media-layout';

interface RecordingRow {
  id: string;
  order_id: number;
  scan_code: string;
  mode: CaptureMode;
  mime: string;
  part_path: string;
  station: string;
  operator: string;
  started_at: string;
  status: string;
}

interface OpenRecording {
  fh: fsp.FileHandle;
  nextSeq: number;
  bytes: number;
  /** chunk writes of one recording are serialised */
  queue: Promise<unknown>;
}

/**
 * Live recordings: each MediaRecorder timeslice is appended to a `.part` file in the
 * data folder and fsync'd before it is acknowledged, so a crash loses at most the chunk
 * in flight. Stop turns the part into a playable, hashed file and records it in one
 * transaction; `recoverInterrupted` does the same at start for parts left by a crash.
 */
export class RecordingService {
  private open = new Map<string, OpenRecording>();

  constructor(private ctx: CoreContext) {}

  async start(input: { code: string; mode: CaptureMode; mime: string }): Promise<RecordingSession> {
    const scan = normalizeScan(input.code);
    if (!scan.ok) throw new AppError('BAD_SCAN', `Unusable code (${scan.problem})`, { problem: scan.problem });
    const settings = this.ctx.settings.get();
    const kind = classifyCode(scan.code, settings);
    const id = randomUUID();
    const at = new Date();
    await fsp.mkdir(this.ctx.paths.incoming, { recursive: true });
    const partPath = path.join(this.ctx.paths.incoming, `${id}.${extensionForMime(input.mime)}.part`);
    const fh = await fsp.open(partPath, 'wx');
    const db = this.ctx.db;
    const order = db.transaction(() => {
      const o = findOrCreateOrder(db, scan.code, kind, at);
      db.prepare(
        `INSERT INTO recordings (id, order_id, scan_code, mode, mime, part_path, station, operator, started_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'recording')`,
      ).run(id, o.id, scan.code, input.mode, input.mime, toPosix(path.relative(this.ctx.paths.root, partPath)),
        settings.stationName, settings.operator, at.toISOString());
      appendAudit(db, { actor: settings.operator, action: 'recording.start', entity: 'order', entityId: o.id, details: { recordingId: id, code: scan.code, mode: input.mode } });
      return o;
    })();
    this.open.set(id, { fh, nextSeq: 0, bytes: 0, queue: Promise.resolve() });
    return {
      id, orderId: order.id, orderNo: order.orderNo, trackingNo: order.trackingNo, mode: input.mode,
      mime: input.mime, startedAt: at.toISOString(), station: settings.stationName, operator: settings.operator,
    };
  }

  chunk(input: { recordingId: string; seq: number; data: Uint8Array }) {
    const rec = this.open.get(input.recordingId);
    if (!rec) throw new AppError('NOT_FOUND', 'This recording is not running');
    const task = rec.queue.then(async () => {
      if (input.seq < rec.nextSeq) return; // a retried chunk that already landed
      if (input.seq > rec.nextSeq) {
        throw new AppError('CONFLICT', `Chunk ${input.seq} arrived before ${rec.nextSeq}`);
      }
      try {
        await rec.fh.write(input.data);
        await rec.fh.datasync();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
          throw new AppError('DISK_FULL', 'The disk is full: recording stopped, footage so far is kept');
        }
        throw e;
      }
      rec.nextSeq++;
      rec.bytes += input.data.length;
    });
    rec.queue = task.catch(() => undefined);
    return task.then(() => ({ bytesOnDisk: rec.bytes, freeBytes: freeBytes(this.ctx.paths.media) }));
  }

  mark(input: { recordingId: string; step: string; atMs: number }): Chapter {
    const row = this.row(input.recordingId);
    if (row.status !== 'recording') throw new AppError('CONFLICT', 'This recording has ended');
    this.ctx.db
      .prepare('INSERT INTO chapters (recording_id, step, at_ms) VALUES (?, ?, ?)')
      .run(input.recordingId, input.step, input.atMs);
    return { step: input.step, atMs: input.atMs };
  }

  async stop(input: { recordingId: string }): Promise<Evidence> {
    const row = this.row(input.recordingId);
    if (row.status !== 'recording') throw new AppError('CONFLICT', 'This recording has already ended');
    const rec = this.open.get(row.id);
    if (rec) {
      this.open.delete(row.id);
      await rec.queue;
      await rec.fh.close();
    }
    return this.finalize(row, 'recorded');
  }

  /** Parts left by a crash or power cut become evidence marked "recovered". */
  async recoverInterrupted(): Promise<{ recovered: Evidence[]; failed: string[] }> {
    const rows = this.ctx.db
      .prepare("SELECT * FROM recordings WHERE status = 'recording' ORDER BY started_at")
      .all() as RecordingRow[];
    const recovered: Evidence[] = [];
    const failed: string[] = [];
    for (const row of rows) {
      if (this.open.has(row.id)) continue;
      try {
        recovered.push(await this.finalize(row, 'recovered'));
      } catch (e) {
        failed.push(row.id);
        this.ctx.db
          .prepare("UPDATE recordings SET status = 'failed', error = ? WHERE id = ?")
          .run((e as Error).message, row.id);
      }
    }
    return { recovered, failed };
  }

  private row(id: string): RecordingRow {
    const row = this.ctx.db.prepare('SELECT * FROM recordings WHERE id = ?').get(id) as RecordingRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'No such recording');
    return row;
  }

  private async finalize(row: RecordingRow, origin: 'recorded' | 'recovered'): Promise<Evidence> {
    const db = this.ctx.db;
    const partAbs = path.join(this.ctx.paths.root, row.part_path);
    const startedAt = new Date(row.started_at);
    const orderNo = (db.prepare('SELECT order_no FROM orders WHERE id = ?').get(row.order_id) as { order_no: string }).order_no;
    const relNoExt = evidenceRelPath(orderNo, row.mode, startedAt, 'x', row.id).replace(/\.x$/, '');
    const media = await finalizeRecording(partAbs, path.join(this.ctx.paths.media, relNoExt));
    const rel = toPosix(path.relative(this.ctx.paths.root, media.finalPath));
    const evidenceId = db.transaction(() => {
      const id = insertEvidence(db, {
        orderId: row.order_id, kind: 'video', origin, mode: row.mode, path: rel, originalName: null,
        mime: media.ext === 'mp4' ? 'video/mp4' : 'video/x-matroska', sha256: media.sha256, bytes: media.bytes,
        durationMs: media.durationMs, width: media.width, height: media.height, station: row.station,
        operator: row.operator, capturedAt: row.started_at, parentId: null,
      });
      db.prepare("UPDATE recordings SET status = ?, evidence_id = ? WHERE id = ?")
        .run(origin === 'recorded' ? 'finalized' : 'recovered', id, row.id);
      appendAudit(db, { actor: row.operator, action: origin === 'recorded' ? 'recording.saved' : 'recording.recovered', entity: 'evidence', entityId: id, details: { recordingId: row.id, sha256: media.sha256, bytes: media.bytes, path: rel } });
      return id;
    })();
    // the part is only removed once the evidence row is committed
    await fsp.rm(partAbs, { force: true });
    const evidence = getEvidence(db, evidenceId);
    notifyEvidenceAdded(this.ctx, evidence);
    return evidence;
  }

  /** Close open part files without finalizing (shutdown); they are recovered at next start. */
  async closeAll(): Promise<void> {
    for (const [id, rec] of this.open) {
      this.open.delete(id);
      await rec.queue;
      await rec.fh.close().catch(() => undefined);
    }
  }
}
