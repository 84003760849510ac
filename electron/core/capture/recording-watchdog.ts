import type { Id } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import type { FinalizeOutcome, RecordingService } from './recording-service';

export interface WatchdogOptions {
  /**
   * An open recording whose page sent no chunk for this long is finalized as
   * "recovered". The station sends a chunk every 250 ms, so 15 s of silence means the
   * page is gone: the renderer crashed, the tab was reloaded or closed, the PC slept.
   */
  orphanAfterMs?: number;
  /** a new capture.start means the station page is alive again: anything else idle this long is an orphan */
  orphanOnNewStartMs?: number;
  tickMs?: number;
  /** how often parts that waited for disk space are tried again */
  retryEveryMs?: number;
}

/**
 * Finalizes recordings whose page went away while the server kept running (renderer
 * crash, reload, closed tab) — the server still has everything up to the last chunk —
 * and retries parts that could not be finalized because the disk was full. Each outcome
 * is pushed to the UI as a notice.
 */
export class RecordingWatchdog {
  private timer: NodeJS.Timeout | null = null;
  /** monotonic ms (performance.now) of the last retry; the first tick retries */
  private lastRetry = -Infinity;
  private busy = false;
  private readonly o: Required<WatchdogOptions>;

  constructor(
    private ctx: CoreContext,
    private recordings: RecordingService,
    opts: WatchdogOptions = {},
  ) {
    this.o = { orphanAfterMs: 15_000, orphanOnNewStartMs: 3_000, tickMs: 2_000, retryEveryMs: 60_000, ...opts };
  }

  start(): this {
    this.timer ??= setInterval(() => void this.tick(), this.o.tickMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** capture.start of a new recording: a recording left idle by a reloaded page is saved now, not in 15 s */
  afterStart(newId: string): void {
    const idle = this.recordings.pageOwnedIds().filter((id) => id !== newId);
    if (idle.length === 0) return;
    void this.run(() => this.recordings.finalizeIdle(this.o.orphanOnNewStartMs));
  }

  /** the page writing the recordings is gone for sure (Electron saw its renderer die) */
  pageGone(): Promise<void> {
    return this.run(() => this.recordings.finalizeIdle(0));
  }

  /** `now` on the monotonic clock: idle time is measured, not read off the wall clock */
  async tick(now = performance.now()): Promise<void> {
    await this.run(async () => {
      const out = await this.recordings.finalizeIdle(this.o.orphanAfterMs, now);
      if (now - this.lastRetry >= this.o.retryEveryMs) {
        this.lastRetry = now;
        const r = await this.recordings.recoverInterrupted();
        out.push(
          ...r.recovered.map((evidence) => ({ state: 'saved' as const, evidence })),
          ...r.failed.map((recordingId) => ({ state: 'failed' as const, recordingId, reason: '' })),
        );
        // still waiting: already announced when it started waiting
      }
      return out;
    });
  }

  private async run(work: () => Promise<FinalizeOutcome[]>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const o of await work()) await this.announce(o);
    } catch (e) {
      console.error('[proofpack] recording watchdog failed', e);
    } finally {
      this.busy = false;
    }
  }

  private async announce(o: FinalizeOutcome): Promise<void> {
    const ev = this.ctx.events;
    if (o.state === 'saved') {
      const orderNo = await this.orderNo(o.evidence.orderId);
      ev.emit('notice', {
        level: 'warn',
        code: 'notice.recordingRecovered',
        params: { orderNo, evidenceId: o.evidence.id },
      });
    } else if (o.state === 'failed') {
      ev.emit('notice', {
        level: 'error',
        code: 'notice.recordingUnrecoverable',
        params: { recordingId: o.recordingId },
      });
    } else {
      ev.emit('notice', {
        level: 'error',
        code: 'notice.recordingWaitingForSpace',
        params: { recordingId: o.recordingId },
      });
    }
  }

  private async orderNo(orderId: Id): Promise<string> {
    const r = await this.ctx.db.selectFrom('orders').select('order_no').where('id', '=', orderId).executeTakeFirst();
    return r?.order_no ?? orderId;
  }
}
