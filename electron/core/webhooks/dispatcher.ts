import type { Db } from '../db/db';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../shared/domain/webhooks';
import { GIVE_UP_AFTER_MS, retryDelayMs } from './backoff';
import { signBody } from './signature';

export type SendFn = (url: string, headers: Record<string, string>, body: string) => Promise<{ status: number }>;
/** schedules fn after ms; returns a cancel function */
export type ScheduleFn = (ms: number, fn: () => void) => () => void;

export interface DispatcherOptions {
  /** the clock (tests fix it; nothing here reads the machine's time otherwise) */
  now?: () => Date;
  send?: SendFn;
  schedule?: ScheduleFn;
  /** at most this many deliveries per run */
  batch?: number;
}

const TIMEOUT_MS = 10_000;
/** the longest wait between runs: rows a CLI command queued are sent within it */
const POLL_MS = 60_000;

/** POST with a time limit; a redirect is an answer, not followed (the URL is what was configured). */
export const httpSend: SendFn = async (url, headers, body) => {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.body?.cancel().catch(() => undefined);
  return { status: res.status };
};

const timerSchedule: ScheduleFn = (ms, fn) => {
  const t = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
  t.unref?.();
  return () => clearTimeout(t);
};

/**
 * Sends this station's due webhook deliveries from the outbox table and schedules the
 * next run at the earliest retry time. Every attempt's outcome is written to the row
 * before the next one starts, so a restart resumes exactly where it stopped (an attempt
 * cut off by a crash is sent again: receivers drop duplicates by the event id).
 * A webhook that failed waits for its retry time: its other deliveries (older or new) wait
 * with it and go out in order when it answers again, one failed request per retry.
 */
export class WebhookDispatcher {
  private readonly now: () => Date;
  private readonly send: SendFn;
  private readonly schedule: ScheduleFn;
  private readonly batch: number;
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: () => Db,
    opts: DispatcherOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.send = opts.send ?? httpSend;
    this.schedule = opts.schedule ?? timerSchedule;
    this.batch = opts.batch ?? 100;
  }

  /** run now (after an event was queued); a run under way runs once more after it */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.runDue()) === this.batch && !this.stopped);
        } while (this.again && !this.stopped);
        await this.scheduleNext();
      } catch (e) {
        console.error('[proofpack] webhook delivery run failed', e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** no new run starts; resolves when the one under way has written its last outcome */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.running;
  }

  /** Sends every due delivery once (up to `batch`); returns how many were taken. */
  async runDue(): Promise<number> {
    const db = this.db();
    const now = this.now();
    const due = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id', 'd.webhook_id', 'd.event', 'd.payload', 'd.attempts', 'd.created_at', 'w.url', 'w.secret'])
      .where('d.station_id', '=', db.stationId)
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now.toISOString())
      // in the order the events happened (a receiver that was down gets them in that order)
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(this.batch)
      .execute();
    // webhook id → when it is tried again: a receiver already failing is not hit again by
    // each new event; the new deliveries wait for its retry and follow in order
    const down = new Map<string, string>();
    if (due.length) {
      const waiting = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => ['webhook_id', eb.fn.min('next_attempt_at').as('next')])
        .where('station_id', '=', db.stationId)
        .where('status', '=', 'pending')
        .where('attempts', '>', 0)
        .where('next_attempt_at', '>', now.toISOString())
        .groupBy('webhook_id')
        .execute();
      for (const w of waiting) if (w.next) down.set(w.webhook_id, w.next);
    }
    for (const d of due) {
      if (this.stopped) break;
      const waitUntil = down.get(d.webhook_id);
      if (waitUntil) {
        await db.updateTable('webhook_deliveries').set({ next_attempt_at: waitUntil }).where('id', '=', d.id).execute();
        continue;
      }
      const at = this.now();
      const ts = Math.floor(at.getTime() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'ProofPack-Webhook/1',
        [EVENT_HEADER]: d.event,
        [DELIVERY_HEADER]: d.id,
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signBody(d.secret, ts, d.payload),
      };
      let status: number | null = null;
      let error: string | null = null;
      try {
        status = (await this.send(d.url, headers, d.payload)).status;
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (e) {
        error = describeFailure(e);
      }
      const attempts = Number(d.attempts) + 1;
      if (!error) {
        await db
          .updateTable('webhook_deliveries')
          .set({
            status: 'delivered',
            attempts,
            last_attempt_at: at.toISOString(),
            delivered_at: at.toISOString(),
            response_status: status,
            last_error: null,
            next_attempt_at: null,
          })
          .where('id', '=', d.id)
          .execute();
        continue;
      }
      const giveUp = at.getTime() - Date.parse(d.created_at) >= GIVE_UP_AFTER_MS;
      const next = giveUp ? null : new Date(at.getTime() + retryDelayMs(attempts)).toISOString();
      if (next) down.set(d.webhook_id, next);
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: giveUp ? 'failed' : 'pending',
          attempts,
          last_attempt_at: at.toISOString(),
          response_status: status,
          last_error: error.slice(0, 500),
          next_attempt_at: next,
        })
        .where('id', '=', d.id)
        .execute();
    }
    return due.length;
  }

  /** When the next pending delivery of this station is due (null: none). */
  async nextDueAt(): Promise<string | null> {
    const db = this.db();
    const row = await db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('station_id', '=', db.stationId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.next ?? null;
  }

  private async scheduleNext(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped) return;
    const next = await this.nextDueAt();
    const ms = next ? Math.min(POLL_MS, Math.max(0, Date.parse(next) - this.now().getTime())) : POLL_MS;
    this.cancelTimer = this.schedule(ms, () => void this.wake());
  }
}

function describeFailure(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timeout';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
