import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Selectable } from 'kysely';
import { AppError, isAppError } from '../../../shared/api/result';
import { classifyCode, normalizeScan } from '../../../shared/domain/scan-code';
import type { CaptureMode, Chapter, Evidence, RecordingSession } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import type { CoreContext } from '../context';
import { newId } from '../db/ids';
import type { RecordingsTable } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { findOrCreateOrder } from '../orders/order-repo';
import { createProvisionalOrder } from '../orders/provisional-orders';
import { assertSpaceToRecord, refuseChunkOnCriticalSpace } from '../storage/disk-space';
import { appendDurably, freeBytes, isDiskFullError, toPosix } from '../storage/files';
import { extensionForMime } from './media-layout';
import { saveRecording } from './save-recording';

export type RecordingRow = Pick<
  Selectable<RecordingsTable>,
  'id' | 'order_id' | 'scan_code' | 'mode' | 'mime' | 'part_path' | 'station' | 'operator' | 'started_at' | 'status'
>;

const RECORDING_COLUMNS = [
  'id',
  'order_id',
  'scan_code',
  'mode',
  'mime',
  'part_path',
  'station',
  'operator',
  'started_at',
  'status',
] as const;

interface OpenRecording {
  fh: fsp.FileHandle;
  nextSeq: number;
  bytes: number;
  /** chunk writes of one recording are serialised */
  queue: Promise<unknown>;
  /**
   * when the last chunk arrived or was stored, on the monotonic clock (performance.now):
   * a page that stopped sending is gone, and a wall-clock change (NTP sync, the clerk
   * setting the time) must not make a live recording look silent
   */
  lastChunkAt: number;
  /** chunks received but not yet stored: a slow disk is not a dead page */
  inFlight: number;
  closing?: Promise<void>;
  /** 'core' parts are written by a network camera feed, not a page: the page watchdog leaves them alone */
  owner: 'page' | 'core';
}

export type FinalizeOutcome =
  | { state: 'saved'; evidence: Evidence }
  | { state: 'failed'; recordingId: string; reason: string }
  /** not enough disk space to finalize: the part is kept and retried later */
  | { state: 'waiting'; recordingId: string };

/**
 * Live recordings: each MediaRecorder timeslice is appended to a `.part` file in the
 * data folder and fsync'd before it is acknowledged, so a crash loses at most the chunk
 * in flight. Stop turns the part into a playable, hashed file and records it in one
 * transaction; `recoverInterrupted` does the same for parts left by a crash, a page that
 * went away (see recording-watchdog.ts) or a disk that was full at stop.
 */
export class RecordingService {
  private open = new Map<string, OpenRecording>();
  private finalizing = new Map<string, Promise<Evidence>>();

  constructor(private ctx: CoreContext) {}

  /**
   * `at` is when the first frame of the file was captured (a network camera's file starts
   * at the keyframe before the scan); `owner: 'core'` marks parts a camera feed writes.
   */
  async start(
    input: { code: string; mode: CaptureMode; mime: string },
    opts: { at?: Date; owner?: 'page' | 'core' } = {},
  ): Promise<RecordingSession> {
    const scan = normalizeScan(input.code);
    if (!scan.ok) throw new AppError('BAD_SCAN', `Unusable code (${scan.problem})`, { problem: scan.problem });
    const settings = this.ctx.settings.get();
    assertSpaceToRecord(this.ctx.paths.media, settings.storage.reserveBytes);
    const kind = classifyCode(scan.code, settings);
    const id = randomUUID();
    const at = opts.at ?? new Date();
    await fsp.mkdir(this.ctx.paths.incoming, { recursive: true });
    const partPath = path.join(this.ctx.paths.incoming, `${id}.${extensionForMime(input.mime)}.part`);
    const fh = await fsp.open(partPath, 'wx');
    let order;
    try {
      order = await inTransaction(this.ctx.db, async (trx) => {
        // a SKU scan at an idle station: SKU-first packing records for a provisional order
        const o =
          kind === 'sku'
            ? await createProvisionalOrder(trx, scan.code, at, this.ctx.settings.get().shop)
            : await findOrCreateOrder(trx, scan.code, kind, at, this.ctx.settings.get().shop);
        await trx
          .insertInto('recordings')
          .values({
            id,
            order_id: o.id,
            scan_code: scan.code,
            mode: input.mode,
            mime: input.mime,
            part_path: toPosix(path.relative(this.ctx.paths.root, partPath)),
            station: settings.stationName,
            operator: settings.operator,
            started_at: at.toISOString(),
            status: 'recording',
            evidence_id: null,
            error: null,
            station_id: trx.stationId,
          })
          .execute();
        await appendAudit(trx, {
          actor: settings.operator,
          action: 'recording.start',
          entity: 'order',
          entityId: o.id,
          details: { recordingId: id, code: scan.code, mode: input.mode },
        });
        return o;
      });
    } catch (e) {
      // nothing refers to the empty part: do not leave it behind (e.g. SQLITE_FULL)
      await fh.close().catch(() => undefined);
      await fsp.rm(partPath, { force: true });
      throw e;
    }
    this.open.set(id, {
      fh,
      nextSeq: 0,
      bytes: 0,
      queue: Promise.resolve(),
      lastChunkAt: performance.now(),
      inFlight: 0,
      owner: opts.owner ?? 'page',
    });
    return {
      id,
      orderId: order.id,
      orderNo: order.orderNo,
      trackingNo: order.trackingNo,
      mode: input.mode,
      mime: input.mime,
      startedAt: at.toISOString(),
      station: settings.stationName,
      operator: settings.operator,
      ...(kind === 'sku' ? { provisionalSku: scan.code } : {}),
    };
  }

  chunk(input: { recordingId: string; seq: number; data: Uint8Array }) {
    const rec = this.open.get(input.recordingId);
    if (!rec || rec.closing)
      throw new AppError('NOT_FOUND', 'This recording is not running', { problem: 'recording-not-running' });
    rec.lastChunkAt = performance.now();
    rec.inFlight++;
    const task = rec.queue.then(async () => {
      if (input.seq < rec.nextSeq) return; // a retried chunk that already landed
      if (input.seq > rec.nextSeq) {
        throw new AppError('CONFLICT', `Chunk ${input.seq} arrived before ${rec.nextSeq}`, {
          problem: 'chunk-out-of-order',
        });
      }
      refuseChunkOnCriticalSpace(this.ctx.paths.media, this.ctx.settings.get().storage.reserveBytes, rec.bytes);
      try {
        await appendDurably(rec.fh, input.data, rec.bytes);
      } catch (e) {
        if (isDiskFullError(e)) {
          throw new AppError('DISK_FULL', 'The disk is full: recording stopped, footage so far is kept', {
            bytesOnDisk: rec.bytes,
          });
        }
        throw e;
      }
      rec.nextSeq++;
      rec.bytes += input.data.length;
    });
    rec.queue = task
      .catch(() => undefined)
      .finally(() => {
        rec.inFlight--;
        rec.lastChunkAt = performance.now();
      });
    return task.then(() => ({ bytesOnDisk: rec.bytes, freeBytes: freeBytes(this.ctx.paths.media) }));
  }

  async mark(input: { recordingId: string; step: string; atMs: number }): Promise<Chapter> {
    const row = await this.row(input.recordingId);
    if (row.status !== 'recording')
      throw new AppError('CONFLICT', 'This recording has ended', { problem: 'recording-ended' });
    const db = this.ctx.db;
    await db
      .insertInto('chapters')
      .values({
        id: newId(),
        recording_id: input.recordingId,
        step: input.step,
        at_ms: input.atMs,
        station_id: db.stationId,
      })
      .execute();
    return { step: input.step, atMs: input.atMs };
  }

  async stop(input: { recordingId: string }): Promise<Evidence> {
    const pending = this.finalizing.get(input.recordingId);
    if (pending) return pending; // the watchdog is already saving it
    const row = await this.row(input.recordingId);
    if (row.status !== 'recording')
      throw new AppError('CONFLICT', 'This recording has already ended', {
        problem: 'recording-ended',
      });
    await this.closePart(row.id);
    return this.finalizeOnce(row, 'recorded');
  }

  /**
   * Recordings left in state "recording" that no page is writing: crash leftovers at
   * start, and parts that could not be finalized for lack of space. Each becomes
   * evidence marked "recovered", or is marked failed (raw file kept), or keeps waiting
   * for disk space.
   */
  async recoverInterrupted(): Promise<{ recovered: Evidence[]; failed: string[]; waiting: string[] }> {
    // only this station's: on a shared PostgreSQL the other stations' rows are their live
    // recordings, whose parts are in their own data folders
    const rows = await this.ctx.db
      .selectFrom('recordings')
      .select(RECORDING_COLUMNS)
      .where('status', '=', 'recording')
      .where('station_id', '=', this.ctx.db.stationId)
      .orderBy('started_at')
      .execute();
    const out = { recovered: [] as Evidence[], failed: [] as string[], waiting: [] as string[] };
    for (const row of rows) {
      if (this.open.has(row.id) || this.finalizing.has(row.id)) continue;
      const r = await this.settle(row, 'recovered');
      if (r.state === 'saved') out.recovered.push(r.evidence);
      else if (r.state === 'failed') out.failed.push(r.recordingId);
      else out.waiting.push(r.recordingId);
    }
    return out;
  }

  /**
   * Open recordings whose page sent nothing for `idleMs` (crashed, reloaded, closed).
   * `now` is on the monotonic clock (performance.now), like `lastChunkAt`.
   */
  async finalizeIdle(idleMs: number, now = performance.now()): Promise<FinalizeOutcome[]> {
    const idle = [...this.open]
      .filter(([, r]) => r.owner === 'page' && !r.closing && r.inFlight === 0 && now - r.lastChunkAt >= idleMs)
      .map(([id]) => id);
    const outcomes: FinalizeOutcome[] = [];
    for (const id of idle) {
      await this.closePart(id);
      outcomes.push(await this.settle(await this.row(id), 'recovered'));
    }
    return outcomes;
  }

  /** Finalize one row, turning "no usable video" into a failed row and "no space" into waiting. */
  async settle(row: RecordingRow, origin: 'recorded' | 'recovered'): Promise<FinalizeOutcome> {
    try {
      return { state: 'saved', evidence: await this.finalizeOnce(row, origin) };
    } catch (e) {
      if (isAppError(e) && e.code === 'DISK_FULL') return { state: 'waiting', recordingId: row.id };
      return { state: 'failed', recordingId: row.id, reason: (e as Error).message };
    }
  }

  /** whether a recording (of any state) has this id */
  async exists(id: string): Promise<boolean> {
    const row = await this.ctx.db.selectFrom('recordings').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  private async row(id: string): Promise<RecordingRow> {
    const row = await this.ctx.db
      .selectFrom('recordings')
      .select(RECORDING_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'No such recording', { problem: 'no-such-recording' });
    return row;
  }

  /** Let queued chunks land, close the part; the entry stays in `open` until then. */
  private async closePart(id: string): Promise<void> {
    const rec = this.open.get(id);
    if (!rec) return;
    rec.closing ??= (async () => {
      await rec.queue;
      await rec.fh.close().catch(() => undefined);
      this.open.delete(id);
    })();
    await rec.closing;
  }

  /** One finalization per recording, however many callers (stop, watchdog, recovery) ask. */
  private finalizeOnce(row: RecordingRow, origin: 'recorded' | 'recovered'): Promise<Evidence> {
    const running = this.finalizing.get(row.id);
    if (running) return running;
    const p = saveRecording(this.ctx, row, origin).finally(() => this.finalizing.delete(row.id));
    this.finalizing.set(row.id, p);
    return p;
  }

  /** ids of recordings still being written (by a page or a camera feed) */
  openIds(): string[] {
    return [...this.open.keys()];
  }

  /** a page is writing a recording, or a stopped one is still becoming a file and a row */
  busy(): boolean {
    return this.open.size > 0 || this.finalizing.size > 0;
  }

  /** ids of recordings a page is still writing */
  pageOwnedIds(): string[] {
    return [...this.open].filter(([, r]) => r.owner === 'page').map(([id]) => id);
  }

  /** Close open part files without finalizing (shutdown); they are recovered at next start. */
  async closeAll(): Promise<void> {
    for (const [id, rec] of this.open) {
      this.open.delete(id);
      await rec.queue;
      await rec.fh.close().catch(() => undefined);
    }
    await Promise.allSettled([...this.finalizing.values()]);
  }
}
