import fs from 'node:fs';
import type { Handlers } from '../../shared/api/contract';
import { openDatabase } from './db/connection';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './events';
import { JobManager } from './jobs/job-manager';
import { SettingsService } from './settings/settings-service';
import { RecordingService } from './capture/recording-service';
import { savePhoto } from './capture/photo-service';
import { dataPaths, type CoreContext } from './context';
import { getOrder, searchOrders } from './orders/order-repo';
import { evidenceForOrder, recentEvidence } from './evidence/evidence-repo';
import { ffmpegPath, ffprobePath } from './media/binaries';
import { APP_VERSION } from './version';
import { createInsightApi } from './insight/insight-api';
import { createCaseApi } from './cases/case-api';
import { writeAuditAnchor } from './audit/audit-anchor';
import { createCheckApi } from './checks/check-api';

export interface CoreOptions {
  dataDir: string;
  mode: CoreContext['mode'];
  /** finalize recordings left by a crash (the app does; one-shot CLI commands do not) */
  recover?: boolean;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
  dispatch: Dispatch;
  recordings: RecordingService;
  close(): Promise<void>;
}

/**
 * Builds every Node-only service on one data folder. Never imports `electron`: the
 * Electron shell, the loopback server, the CLI and the tests all use this.
 */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const paths = dataPaths(opts.dataDir);
  for (const dir of [paths.root, paths.media, paths.incoming, paths.tmp]) fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(paths.db);
  const events = new EventBus();
  const ctx: CoreContext = {
    db, paths, events, jobs: new JobManager(events), settings: new SettingsService(db), mode: opts.mode,
    version: APP_VERSION, onEvidenceAdded: [], startupNotices: [],
  };
  const recordings = new RecordingService(ctx);
  const insight = createInsightApi(ctx);
  const caseApi = createCaseApi(ctx);
  const checkApi = createCheckApi(ctx);

  const handlers: Handlers = {
    'app.info': () => ({
      version: ctx.version, mode: opts.mode === 'electron' ? 'electron' : 'web', dataDir: paths.root,
      dbPath: paths.db, ffmpegPath: ffmpegPath(), ffprobePath: ffprobePath(), startupNotices: ctx.startupNotices,
    }),
    'settings.get': () => ctx.settings.get(),
    'settings.update': (patch) => ctx.settings.update(patch),
    'capture.start': async (i) => insight.afterCaptureStart(await recordings.start(i)),
    'capture.chunk': (i) => recordings.chunk(i),
    'capture.mark': (i) => recordings.mark(i),
    'capture.stop': (i) => recordings.stop(i),
    'capture.photo': (i) => savePhoto(ctx, i),
    'orders.search': (i) => searchOrders(db, i.query, i.limit),
    'orders.get': (i) => ({ order: getOrder(db, i.id), evidence: evidenceForOrder(db, i.id) }),
    'evidence.recent': (i) => recentEvidence(db, i.limit),
    'jobs.list': () => ctx.jobs.list(),
    'jobs.cancel': (i) => ctx.jobs.cancel(i.id),
    'jobs.retry': (i) => ctx.jobs.retry(i.id),
    ...insight.handlers,
    ...caseApi.handlers,
    ...checkApi.handlers,
  };

  if (opts.recover) {
    const { recovered, failed } = await recordings.recoverInterrupted();
    for (const e of recovered) {
      ctx.startupNotices.push({ code: 'recording.recovered', message: `Recovered an interrupted recording`, params: { evidenceId: e.id, orderId: e.orderId } });
    }
    for (const id of failed) {
      ctx.startupNotices.push({ code: 'recording.unrecoverable', message: `An interrupted recording could not be rebuilt; its raw file is kept`, params: { recordingId: id } });
    }
  }

  if (opts.mode !== 'cli') checkApi.resume();
  const stopDeadlineWatch = opts.mode === 'cli' ? () => undefined : caseApi.startWatch();

  return {
    ctx,
    handlers,
    dispatch: createDispatch(handlers),
    recordings,
    async close() {
      stopDeadlineWatch();
      caseApi.stop();
      ctx.jobs.cancelAll();
      await checkApi.close();
      await recordings.closeAll();
      await writeAuditAnchor(paths.root, db).catch((e) => console.error('[proofpack] audit anchor not written', e));
      db.close();
    },
  };
}
