import http from 'node:http';
import https from 'node:https';
import type { HubTls } from '../core/hub/hub-tls';
import { advertisedUrl, setHubInfo } from '../core/hub/hub-info';
import { placeHubEvidence } from '../core/hub/hub-files';
import { openHubJobs } from '../core/hub/hub-jobs';
import { PACKET_WORK } from '../core/hub/hub-packets';
import { removeAbandonedWorkDirs } from '../core/storage/work-dirs';
import { openHubMedia } from '../core/hub/open-hub-media';
import { HubThumbs } from '../core/hub/hub-thumbs';
import type { PgJobsOptions } from '../core/jobs/pg-jobs';
import type { SharedJobs } from '../core/jobs/shared-jobs';
import { PgUploadLocker } from '../core/hub/pg-upload-locker';
import { readSettings } from '../core/settings/settings-service';
import { translate } from '../../shared/i18n';
import type { Core } from '../core/core';
import { hubHttpHandler, isHubPath } from './hub-http';
import { listenOn } from './http-json';
import { catchUpHubMirror } from '../core/hub/hub-mirror';
import { inTransaction } from '../core/db/transaction';
import { isPublicApiPath, publicApiHttpHandler } from './public-api-http';
import { isSharePath, sharePageHandler } from './share-page-http';
import { defaultRendererDir, isStaffAppPath, staffAppHandler } from './staff-app-http';
import { isStaffPath, staffSessionHandler } from './staff-session-http';

export interface HubServer {
  url: string;
  port: number;
  /** SHA-256 of the certificate served over HTTPS; null for plain HTTP */
  fingerprint: string | null;
  /** where verified evidence goes: an absolute folder or s3://bucket/prefix */
  mediaRoot: string;
  /** the hub's long jobs (store check …): on PostgreSQL, shared with every hub process */
  jobs: SharedJobs;
  close(): Promise<void>;
}

/**
 * The hub on the LAN: stations call `/hub/v1/*` with their credential, and the order API
 * (`/api/v1/*`, issue 14) is served here for every station's orders. Staff in browsers
 * sign in under `/staff/v1/*` (issue 12: cookie sessions, same-site and CSRF checked).
 * Everything else is for programs only: a request from a browser page (it carries an
 * Origin) is refused, so no web page a clerk
 * opens can call the hub behind their back.
 */
export async function startHubServer(opts: {
  core: Core;
  host: string;
  port: number;
  /** where verified evidence is kept: a folder or s3://BUCKET/PREFIX; default `<data folder>/hub-media` */
  media?: string;
  /** tests fix "now" (pairing codes expire) */
  clock?: () => Date;
  /** HTTPS with this certificate (hub-tls.ts); plain HTTP without */
  tls?: HubTls;
  /** the built renderer, for the staff app in browsers (default: out/renderer) */
  rendererDir?: string;
  /** the shared job queue's timings (how soon a dead process's jobs go to another) */
  jobs?: Pick<PgJobsOptions, 'heartbeatSeconds' | 'superviseIntervalSeconds'>;
}): Promise<HubServer> {
  const { ctx } = opts.core;
  // on PostgreSQL several hub processes may serve the same stations (behind a load balancer):
  // upload locks, upload state and settings then come from what they share, not from memory
  const shared = ctx.dbTarget.engine === 'postgres' ? ctx.dbTarget.url : null;
  const media = await openHubMedia(opts.media, ctx.paths.root, !!shared);
  const locker = shared ? new PgUploadLocker(shared) : undefined;
  // every hub process takes long jobs from the queue (PostgreSQL), or runs its own (SQLite)
  const jobs = openHubJobs(ctx, media, opts.jobs);
  try {
    await jobs.start();
  } catch (e) {
    await jobs.close();
    await media.close();
    await locker?.close();
    throw e;
  }
  // what a killed process was building is of no use to anyone (its job starts afresh elsewhere)
  for (const purpose of [PACKET_WORK, 'verify-zip'])
    void removeAbandonedWorkDirs(ctx.paths.tmp, purpose).catch(() => undefined);
  // pictures of the evidence, kept in the store, made by the job queue as files are verified
  const thumbs = new HubThumbs(media, jobs, () => translate(ctx.settings.get().language, 'job.hub.thumbnail'));
  const hub = hubHttpHandler(
    () => ctx.db,
    media,
    opts.clock,
    shared ? () => readSettings(ctx.db) : () => ctx.settings.get(),
    locker,
    (row) =>
      thumbs.queue({ stationId: row.station_id, evidenceId: row.evidence_id, kind: row.kind, sha256: row.sha256 }),
  );
  const api = publicApiHttpHandler(() => opts.core);
  // staff in browsers (issue 12): sessions by cookie, checked for their site and CSRF token
  const staff = staffSessionHandler(() => ctx.db, media, thumbs, {
    secure: !!opts.tls,
    clock: opts.clock,
    core: { dispatch: (name, input) => opts.core.dispatch(name, input), paths: ctx.paths },
    // several hub processes on one PostgreSQL: staff packets are built by any of them, kept in the store
    shared: shared ? { jobs, lang: () => ctx.settings.get().language } : null,
  });

  // share links (issue 12): anyone holding one sees that order's evidence, nothing else
  const share = sharePageHandler(() => ctx.db, media, thumbs, opts.clock);
  const app = staffAppHandler(opts.rendererDir ?? defaultRendererDir());
  let port = opts.port;
  const onRequest: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (isStaffAppPath(url.pathname)) return app(req, res, url);
    const browser = isStaffPath(url.pathname) ? staff : isSharePath(url.pathname) ? share : null;
    if (browser) {
      return void browser(req, res, url).catch((e) => {
        console.error('[proofpack] staff request failed', e);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    }
    const handler = isHubPath(url.pathname) ? hub : isPublicApiPath(url.pathname) ? api : null;
    if (req.headers.origin || !handler) {
      res.writeHead(req.headers.origin ? 403 : 404, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ error: { code: req.headers.origin ? 'FORBIDDEN' : 'NOT_FOUND', message: 'Not here' } }),
      );
    }
    handler(req, res, url).catch((e) => {
      console.error('[proofpack] hub request failed', e);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest)
    : http.createServer(onRequest);
  const bound = await listenOn(server, opts.port, opts.host).catch(async (e: unknown) => {
    await jobs.close(); // a port already taken leaves nothing open behind it
    await media.close();
    await locker?.close();
    throw e;
  });
  port = bound.port;
  // the hub's own cases and packets read the stations' files from this store (issue 12);
  // files verified before the mirror existed join them in the background
  ctx.hubMedia = media;
  // several processes: a file a clerk adds goes to the store too, for every process to read
  const place = shared ? placeHubEvidence(ctx, media) : null;
  if (place) ctx.placeEvidence = place;
  const catchUp = new AbortController();
  const caughtUp = catchUpHubMirror(
    ctx.db,
    (fn) => inTransaction(ctx.db, fn),
    catchUp.signal,
    () => opts.clock?.() ?? new Date(),
  )
    .then((n) => void (n && console.log(`[proofpack] hub: ${n} earlier station files now in cases and packets`)))
    .catch((e: unknown) => console.error('[proofpack] hub: catching up the mirror failed', e));
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}/`;
  // links made from the CLI (share links) point at the hub that runs
  await setHubInfo(ctx.db, 'public_url', advertisedUrl(url, opts.host));
  return {
    url,
    port,
    fingerprint: opts.tls?.fingerprint ?? null,
    mediaRoot: media.description,
    jobs,
    close: async () => {
      catchUp.abort();
      await caughtUp;
      if (ctx.hubMedia === media) ctx.hubMedia = null;
      if (place && ctx.placeEvidence === place) ctx.placeEvidence = null;
      await bound.close();
      await jobs.close();
      await media.close();
      await locker?.close();
    },
  };
}
