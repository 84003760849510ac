import type { Db } from '../db/db';
import { syncNow, type SyncOptions } from './station-sync';

/** How often a paired station looks for files to send (a pass with nothing to send is two queries). */
const INTERVAL_MS = 5000;
/** After a failed pass, wait longer each time (up to this) so a hub down for days is not hammered. */
const MAX_BACKOFF_MS = 60_000;

export interface SyncLoop {
  /** run a pass soon (a file was just saved, or staff pressed "sync now") */
  wake(): void;
  /** stops the loop; an upload in flight is cut and resumes from the hub's last byte next time */
  stop(): Promise<void>;
}

/**
 * The station's background sync (app only; the CLI syncs with `proofpack sync`). It never
 * blocks recording: it runs beside it, and with no hub paired or the hub down it only
 * waits and tries again.
 */
export function startSyncLoop(
  db: Db,
  dataRoot: string,
  opts: { intervalMs?: number; applyManaged?: SyncOptions['applyManaged'] } = {},
): SyncLoop {
  const interval = opts.intervalMs ?? INTERVAL_MS;
  const cancel = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let delay = interval;
  let stopped = false;
  let lastLogged: string | null = null;

  const tick = async () => {
    timer = null;
    try {
      const linked = await db.selectFrom('hub_link').select('id').executeTakeFirst();
      if (linked) {
        const r = await syncNow(db, dataRoot, {
          signal: cancel.signal,
          quietWhenIdle: true,
          applyManaged: opts.applyManaged,
        });
        delay = r.failed || r.lastError ? Math.min(delay * 2, MAX_BACKOFF_MS) : interval;
        if (r.lastError && r.lastError !== lastLogged) console.warn('[proofpack] sync:', r.lastError);
        lastLogged = r.lastError;
      }
    } catch (e) {
      // the database closed under the loop (the core is shutting down, or its process is
      // being torn down without an orderly close): nothing more to send from here
      if (/destroyed/.test((e as Error).message ?? '')) stopped = true;
      if (!stopped) console.error('[proofpack] sync pass failed', e);
      delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    }
    schedule(delay);
  };
  const schedule = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      current = tick();
    }, ms);
    timer.unref?.();
  };
  schedule(interval);
  return {
    wake() {
      delay = interval;
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      // a pass running now finishes first; `schedule` then sets the next one
      void current.then(() => schedule(0));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      cancel.abort();
      await current;
    },
  };
}
