import path from 'node:path';
import type { DB } from './db/connection';
import type { EventBus } from './events';
import type { JobManager } from './jobs/job-manager';
import type { SettingsService } from './settings/settings-service';
import type { Evidence } from '../../shared/domain/types';

/** Folders inside the data folder. Media never lives in the install folder. */
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

/** Called after a new evidence file is durable and recorded (checks hook in here). */
export type EvidenceListener = (evidence: Evidence) => void;

/** What every core service is given: no globals, so tests build as many cores as they like. */
export interface CoreContext {
  db: DB;
  paths: DataPaths;
  events: EventBus;
  jobs: JobManager;
  settings: SettingsService;
  mode: 'electron' | 'web' | 'cli';
  version: string;
  onEvidenceAdded: EvidenceListener[];
  /** user-facing things that happened at start (recovered recordings …) */
  startupNotices: { code: string; message: string; params?: Record<string, string | number> }[];
}

export function notifyEvidenceAdded(ctx: CoreContext, e: Evidence): void {
  ctx.events.emit('evidence.changed', { orderId: e.orderId, evidenceId: e.id });
  for (const l of ctx.onEvidenceAdded) {
    try {
      l(e);
    } catch (err) {
      console.error('evidence listener failed', err);
    }
  }
}
