import path from 'node:path';
import type { Db } from './db/db';
import type { DbTarget } from './db/target';
import type { EventBus } from './events';
import type { JobManager } from './jobs/job-manager';
import type { SettingsService } from './settings/settings-service';
import type { Webhooks } from './webhooks/webhook-service';
import type { Evidence } from '../../shared/domain/types';
import type { HubMedia } from './hub/hub-media';

/**
 * Folders inside the data folder. Media never lives in the install folder. `db` is where
 * the folder's SQLite database lives when no other database is chosen (`--db`).
 */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    db: path.join(dataDir, 'proofpack.db'),
    media: path.join(dataDir, 'media'),
    incoming: path.join(dataDir, 'media', 'incoming'),
    exports: path.join(dataDir, 'exports'),
    tmp: path.join(dataDir, 'tmp'),
  };
}
export type DataPaths = ReturnType<typeof dataPaths>;

/**
 * Called after a new evidence file is durable and recorded (checks hook in here). A
 * listener may be async: its rejection is logged, never left unhandled.
 */
export type EvidenceListener = (evidence: Evidence) => void | Promise<void>;

/** What every core service is given: no globals, so tests build as many cores as they like. */
export interface CoreContext {
  db: Db;
  /** which database `db` is (a SQLite file or a PostgreSQL URL) */
  dbTarget: DbTarget;
  /** the database chosen with `--db` when the core was opened (kept when the data folder moves) */
  dbChoice?: string;
  paths: DataPaths;
  events: EventBus;
  jobs: JobManager;
  settings: SettingsService;
  mode: 'electron' | 'web' | 'cli';
  version: string;
  onEvidenceAdded: EvidenceListener[];
  /** webhook events: queued in the outbox, sent by the app (set by createCore) */
  webhooks: Webhooks;
  /** user-facing things that happened at start (recovered recordings …) */
  startupNotices: { code: string; message: string; params?: Record<string, string | number> }[];
  /**
   * On a running hub: the store that holds the stations' files its own cases and packets
   * use (set by the hub server while it serves; evidence-sources.ts reads through it)
   */
  hubMedia?: HubMedia | null;
  /**
   * On a hub whose processes share PostgreSQL: puts a file made here (a photo a clerk added,
   * a fixed file) into the shared store before anyone reads it (hub-files.ts)
   */
  placeEvidence?: ((e: Evidence) => Promise<void>) | null;
}

/**
 * Tells the listeners about a new evidence file and resolves when each has answered:
 * what a listener does at once (linking a label photo to the serial scanned before it)
 * is done when the save returns; slow work (checks) is queued by its listener, not awaited.
 * A failing listener is logged and never fails the save.
 */
export async function notifyEvidenceAdded(ctx: CoreContext, e: Evidence): Promise<void> {
  // first into a shared hub store, so the checks it starts (and other hub processes) read it there
  await ctx.placeEvidence?.(e).catch((err: unknown) => console.error('evidence not put in the hub store', err));
  await Promise.all(
    ctx.onEvidenceAdded.map(async (listener) => {
      try {
        await listener(e);
      } catch (err) {
        console.error('evidence listener failed', err);
      }
    }),
  );
  // after the listeners: a screen that refreshes on this sees the photo already linked
  ctx.events.emit('evidence.changed', { orderId: e.orderId, evidenceId: e.id });
}
