import fs from 'node:fs';
import type { Handlers } from '../../shared/api/contract';
import { openDatabase, type Db } from './db/connection';
import { stationIdFor } from './db/station-id';
import { resolveDbTarget, type DbTarget } from './db/target';
import { displayDbTarget } from './db/target-display';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './events';
import { JobManager } from './jobs/job-manager';
import { SettingsService } from './settings/settings-service';
import { RecordingService } from './capture/recording-service';
import { savePhoto } from './capture/photo-service';
import { dataPaths, type CoreContext } from './context';
import { getOrder, searchOrders } from './orders/order-repo';
import { confirmInterception, orderNotes } from './orders/order-details-repo';
import { refuseIntercepted } from './orders/interception';
import { listWebhooks, recentDeliveries, retryDelivery } from './webhooks/webhook-repo';
import { evidenceForOrder, recentEvidence } from './evidence/evidence-repo';
import { ffmpegPath, ffprobePath } from './media/binaries';
import { APP_VERSION } from './version';
import { createInsightApi } from './insight/insight-api';
import { createCaseApi } from './cases/case-api';
import { registerProfileLookup } from './cases/profiles';
import { writeAuditAnchor } from './audit/audit-anchor';
import { createCheckApi } from './checks/check-api';
import { ProfileStore } from './checks/profile-store';
import { createStorageApi, type StorageApiOptions } from './storage/storage-api';
import { acquireDataLock } from './storage/data-lock';
import { refuseMissingDatabase, resolveMovedDataDir } from './storage/data-location';
import type { Relocator } from './storage/move';
import { createWebhooks, type Webhooks } from './webhooks/webhook-service';
import type { DispatcherOptions } from './webhooks/dispatcher';
import { createCameraApi, type CameraApi, type CameraApiOptions } from './cameras/camera-api';
import { ScaleService } from './scale/scale-service';
import { listSerialPorts } from './scale/scale-ports';
import { weightsOfOrder } from './scale/weights-repo';
import { isProvisional, linkProvisionalOrder, listUnlinkedOrders } from './orders/provisional-orders';
import { AppError } from '../../shared/api/result';
import { startSyncLoop, type SyncLoop } from './sync/sync-loop';
import { managedSettingsApplier } from './hub/apply-managed-settings';
import { hubHandlers } from './hub/hub-calls';
import { createHubHost, type HubHost } from '../web/hub-host';
import { missingItemsOf, recordItemScan } from './orders/packed-items-repo';

export interface CoreOptions {
  dataDir: string;
  /**
   * The database: a postgres:// URL or a SQLite file path (`--db`). Default: PROOFPACK_DB,
   * else <data-dir>/proofpack.db (see db/target.ts).
   */
  db?: string;
  mode: CoreContext['mode'];
  /** finalize recordings left by a crash (the app does; one-shot CLI commands do not) */
  recover?: boolean;
  /** a core re-opened after a data-folder move keeps the UI's event bus and job list */
  events?: EventBus;
  jobs?: JobManager;
  storage?: StorageApiOptions;
  /** webhook sending: tests give a fixed clock and their own scheduler */
  webhooks?: DispatcherOptions;
  /** network cameras: connected in the app (electron, web); `connectCameras` forces it either way */
  cameras?: CameraApiOptions & { connectCameras?: boolean };
  /** the weighing scale: read in the app (electron, web); `connectScale` forces it either way */
  scale?: { connectScale?: boolean; retryMs?: number };
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
  dispatch: Dispatch;
  recordings: RecordingService;
  cameras: CameraApi;
  scale: ScaleService;
  /** the adapter's way of re-opening the app on a moved data folder (see storage/relocation.ts) */
  setRelocator(fn: Relocator): void;
  /** the renderer crashed: its running recordings are saved now (as "recovered") */
  rendererGone(): Promise<void>;
  /** keepJobs: the job list lives on in the core that replaces this one */
  close(opts?: { keepJobs?: boolean }): Promise<void>;
}

/**
 * Builds every Node-only service on one data folder. Never imports `electron`: the
 * Electron shell, the loopback server, the CLI and the tests all use this.
 */
export async function createCore(opts: CoreOptions): Promise<Core> {
  // a moved data folder is found through the pointer it left behind
  const paths = dataPaths(resolveMovedDataDir(opts.dataDir));
  for (const dir of [paths.root, paths.media, paths.incoming, paths.tmp]) fs.mkdirSync(dir, { recursive: true });
  // the app instance (the one that recovers recordings) owns the folder alone
  const releaseLock = opts.recover ? acquireDataLock(paths.root) : () => undefined;
  let target: DbTarget;
  let opened: Db | undefined;
  let settings: SettingsService;
  try {
    target = await resolveDbTarget({ dataDir: paths.root, db: opts.db });
    // only the folder's own SQLite file can have vanished from under its media
    if (target.engine === 'sqlite' && target.file === paths.db) refuseMissingDatabase(paths.root);
    opened = await openDatabase(target, { stationId: stationIdFor(paths.root) });
    settings = await SettingsService.open(opened);
  } catch (e) {
    await opened?.destroy();
    releaseLock();
    throw e;
  }
  const db = opened;
  const events = opts.events ?? new EventBus();
  const ctx: CoreContext = {
    db,
    dbTarget: target,
    dbChoice: opts.db,
    paths,
    events,
    jobs: opts.jobs ?? new JobManager(events),
    settings,
    mode: opts.mode,
    version: APP_VERSION,
    onEvidenceAdded: [],
    startupNotices: [],
    // set just below: the webhook service needs the context it belongs to
    webhooks: null as unknown as Webhooks,
  };
  // the app sends webhook deliveries; a one-shot CLI command only queues them
  ctx.webhooks = createWebhooks(ctx, { ...opts.webhooks, sending: opts.mode !== 'cli' });
  const recordings = new RecordingService(ctx);
  const insight = createInsightApi(ctx);
  const caseApi = createCaseApi(ctx);
  const checkApi = createCheckApi(ctx);
  const storage = createStorageApi(ctx, recordings, opts.storage);
  const cameras = createCameraApi(ctx, recordings, opts.cameras);
  const scale = new ScaleService(ctx, { retryMs: opts.scale?.retryMs });
  const connectScale = opts.scale?.connectScale ?? opts.mode !== 'cli';
  // cases read deadlines and the statement limit from staff-edited profiles too
  // through the caller's Db: inside a case transaction that is its trx (SQLite has one connection)
  registerProfileLookup(ctx, (id, db) => new ProfileStore(db).find(id));

  // the station's background sync to its hub (started below, once everything is ready)
  let syncLoop: SyncLoop | null = null;
  // this PC as the warehouse hub, when Settings say so (app modes only)
  let hubHost: HubHost | null = null;
  /** the hub's job queue when it is PostgreSQL's (on SQLite its jobs are JobManager's, listed already) */
  const sharedHubJobs = () => {
    const jobs = hubHost?.jobs();
    return jobs?.engine === 'postgres' ? jobs : null;
  };
  // what the hub manages, applied here: every open window follows as after a local change
  const applyManaged = managedSettingsApplier(db, ctx.settings, {
    onApplied: (next) => ctx.events.emit('settings.changed', next),
  });
  const handlers: Handlers = {
    'app.info': () => ({
      version: ctx.version,
      mode: opts.mode === 'electron' ? 'electron' : 'web',
      dataDir: paths.root,
      dbPath: displayDbTarget(target),
      ffmpegPath: ffmpegPath(),
      ffprobePath: ffprobePath(),
      startupNotices: ctx.startupNotices,
    }),
    'settings.get': () => ctx.settings.get(),
    'settings.update': async (patch) => {
      const updated = await ctx.settings.update(patch);
      if (connectScale) await scale.configure(updated.scale);
      // every open window (and a second station page) follows: patterns, hotkeys, mode …
      ctx.events.emit('settings.changed', updated);
      await hubHost?.apply(updated.hubServe);
      return updated;
    },
    'capture.start': async (i) => {
      await refuseIntercepted(ctx, i);
      const session = await recordings.start(i);
      // the station's network cameras record the same scan, started in the same turn
      cameras.afterCaptureStart(session.id, { code: i.code, mode: i.mode }, Date.parse(session.startedAt));
      storage.watchdog.afterStart(session.id);
      scale.recordingStarted(session.id);
      // SKU-first: the item that started the recording is the first one packed
      if (session.provisionalSku)
        await recordItemScan(db, { recordingId: session.id, sku: session.provisionalSku, atMs: 0 });
      return { ...(await insight.afterCaptureStart(session)), notes: await orderNotes(db, session.orderId) };
    },
    'capture.chunk': (i) => recordings.chunk(i),
    'capture.mark': (i) => {
      const chapter = recordings.mark(i);
      cameras.activity(i.recordingId); // a scan during the recording: it is not forgotten
      return chapter;
    },
    'capture.link': async (i) => {
      const settings = ctx.settings.get();
      const rec = await db.selectFrom('recordings').selectAll().where('id', '=', i.recordingId).executeTakeFirst();
      if (!rec) throw new AppError('NOT_FOUND', 'No such recording', { problem: 'recording-not-running' });
      const current = await getOrder(db, rec.order_id);
      if (!(await isProvisional(db, rec.order_id)))
        throw new AppError('CONFLICT', `This recording is for order ${current.orderNo} already`, {
          problem: 'recording-has-order',
          orderNo: current.orderNo,
        });
      const { order } = await linkProvisionalOrder(db, {
        orderId: rec.order_id,
        code: i.code,
        actor: settings.operator || 'station',
        patterns: settings,
        shop: settings.shop,
      });
      return {
        id: rec.id,
        orderId: order.id,
        orderNo: order.orderNo,
        trackingNo: order.trackingNo,
        mode: rec.mode,
        mime: rec.mime,
        startedAt: rec.started_at,
        station: rec.station,
        operator: rec.operator,
      };
    },
    'capture.item': (i) => recordItemScan(db, i),
    'capture.missingItems': (i) => missingItemsOf(db, i.recordingId),
    'capture.activity': (i) => {
      cameras.activity(i.recordingId);
      return { ok: true as const };
    },
    'capture.stop': async (i) => {
      // every view of the scan stops together; the webcam's file is the answer
      const [webcam] = await Promise.allSettled([recordings.stop(i), cameras.stopTakes(i.recordingId)]);
      if (webcam.status === 'rejected') throw webcam.reason;
      // the weight goes with the order once the file is safe; a failure here never fails the save
      await scale.recordingStopped(i.recordingId).catch((e) => console.error('[proofpack] weight not stored', e));
      return webcam.value;
    },
    'capture.photo': (i) => savePhoto(ctx, i),
    'orders.search': (i) => searchOrders(db, i.query, i.limit),
    'orders.unlinked': () => listUnlinkedOrders(db),
    'orders.link': async (i) => {
      const settings = ctx.settings.get();
      const actor = settings.operator || 'staff';
      return (await linkProvisionalOrder(db, { orderId: i.orderId, code: i.code, actor, patterns: settings })).order;
    },
    'orders.get': async (i) => {
      const [order, evidence] = await Promise.all([getOrder(db, i.id), evidenceForOrder(db, i.id)]);
      return { order, evidence };
    },
    'evidence.recent': (i) => recentEvidence(db, i.limit),
    'orders.confirmInterception': async (i) => ({
      confirmed: await confirmInterception(db, i.orderId, ctx.settings.get().operator || 'station'),
    }),
    'webhooks.list': async (i) => ({
      webhooks: await listWebhooks(db),
      deliveries: await recentDeliveries(db, i.limit),
    }),
    'webhooks.retry': async (i) => {
      const queued = await retryDelivery(db, i.deliveryId);
      if (queued) ctx.webhooks.wake();
      return { queued };
    },
    'scale.state': () => scale.current(),
    'scale.ports': () => listSerialPorts(),
    'scale.orderWeights': (i) => weightsOfOrder(db, i.orderId),
    ...hubHandlers(ctx, { syncLoop: () => syncLoop, host: () => hubHost, applyManaged }),
    // a hub on PostgreSQL keeps its jobs in the shared queue (any hub process runs them)
    'jobs.list': async () => [...ctx.jobs.list(), ...((await sharedHubJobs()?.list()) ?? [])],
    'jobs.cancel': async (i) => {
      const shared = sharedHubJobs();
      if (shared && !ctx.jobs.list().some((j) => j.id === i.id)) return shared.cancel(i.id);
      return ctx.jobs.cancel(i.id);
    },
    'jobs.retry': (i) => ctx.jobs.retry(i.id),
    ...insight.handlers,
    ...caseApi.handlers,
    ...checkApi.handlers,
    ...storage.handlers,
    ...cameras.handlers,
  };

  if (opts.recover) {
    const { recovered, failed, waiting } = await recordings.recoverInterrupted();
    for (const e of recovered) {
      ctx.startupNotices.push({
        code: 'recording.recovered',
        message: `Recovered an interrupted recording`,
        params: { evidenceId: e.id, orderId: e.orderId },
      });
    }
    for (const id of failed) {
      ctx.startupNotices.push({
        code: 'recording.unrecoverable',
        message: `An interrupted recording could not be rebuilt; its raw file is kept`,
        params: { recordingId: id },
      });
    }
    for (const id of waiting) {
      ctx.startupNotices.push({
        code: 'recording.waitingForSpace',
        message: `An interrupted recording waits for free disk space; its raw file is kept`,
        params: { recordingId: id },
      });
    }
    const space = await storage.status();
    if (space.lowDisk) {
      ctx.startupNotices.push({
        code: 'storage.lowDisk',
        message: `Low disk space: no recording can start`,
        params: { freeGb: gib(space.freeBytes ?? 0), reserveGb: gib(space.reserveBytes) },
      });
    }
    storage.startBackground();
  }

  if (opts.mode !== 'cli') await checkApi.resume();
  if (opts.cameras?.connectCameras ?? opts.mode !== 'cli') await cameras.start();
  if (connectScale) await scale.configure();
  const stopDeadlineWatch = opts.mode === 'cli' ? () => undefined : caseApi.startWatch();
  syncLoop = opts.mode === 'cli' ? null : startSyncLoop(db, paths.root, { applyManaged });
  // a file just saved goes to the hub now, not at the next tick
  const stopSyncWake = ctx.events.onAny((event) => {
    if (event === 'evidence.changed') syncLoop?.wake();
  });

  const core: Core = {
    ctx,
    handlers,
    dispatch: storage.gate(createDispatch(handlers)),
    recordings,
    cameras,
    scale,
    setRelocator: (fn) => storage.setRelocator(fn),
    rendererGone: () => storage.watchdog.pageGone(),
    async close(closeOpts = {}) {
      storage.stop();
      stopSyncWake();
      await hubHost?.close();
      await syncLoop?.stop();
      await ctx.webhooks.stop();
      stopDeadlineWatch();
      caseApi.stop();
      if (!closeOpts.keepJobs) ctx.jobs.cancelAll();
      await checkApi.close();
      await cameras.close();
      await scale.close();
      await recordings.closeAll();
      await writeAuditAnchor(paths.root, db).catch((e) => console.error('[proofpack] audit anchor not written', e));
      await db.destroy();
      releaseLock();
    },
  };
  if (opts.mode !== 'cli') {
    hubHost = createHubHost(() => core);
    const { hubServe } = ctx.settings.get();
    if (hubServe.enabled) {
      const started = await hubHost.apply(hubServe);
      if (started.error) console.error(`[proofpack] this PC could not serve as the hub: ${started.error}`);
    }
  }
  return core;
}

const gib = (n: number) => (n / 1024 ** 3).toFixed(1);
