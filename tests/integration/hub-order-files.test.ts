import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../electron/core/accounts/users';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { newId } from '../../electron/core/db/ids';
import { migrate } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { orderFiles } from '../../electron/core/hub/hub-order-files';
import { listShareLinks } from '../../electron/core/hub/share-links';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { createShareLink, revokeShareLink } from '../../electron/core/hub/share-links';
import { receiveStationRecords } from '../../electron/core/hub/station-records';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeVideo } from '../fixtures';
import { useHubCores } from '../helpers/hub-cores';
import type { Core } from '../../electron/core/core';
import type { HubServer } from '../../electron/web/hub-server';
import { HubThumbs, makeThumbnail, THUMBNAIL_JOB } from '../../electron/core/hub/hub-thumbs';
import { openHubMedia } from '../../electron/core/hub/open-hub-media';
import { InProcessJobs } from '../../electron/core/jobs/shared-jobs';
import { JobManager } from '../../electron/core/jobs/job-manager';
import { EventBus } from '../../electron/core/events';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { staffFetch } from '../helpers/staff-session';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';
import { zipEntries } from '../helpers/zip';
import { addRecordingMarks } from '../helpers/station-marks';

const tmp = useTempDirs();
const openTestDb = useTestDb();
const { core, serve } = useHubCores(tmp);
const T0 = new Date('2026-12-04T08:00:00.000Z');
const clock = () => T0;
const PW = 'correct horse battery';
let s3: TestS3 | null = null;

/** A hub and one station that recorded order PDD-C (shop A): a video with two marks and a 1600×1200 photo, synced. */
async function warehouse() {
  const hub = await core();
  const server = await serve({ core: hub, clock, media: s3 ? `s3://${s3.bucket}/wh` : undefined });
  const station = await core();
  const { code } = await createPairingCode(hub.ctx.db, '打包台 2', T0);
  await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
  const db = station.ctx.db;
  const order = await findOrCreateOrderByNumber(db, 'PDD-C', null, T0);
  await db.updateTable('orders').set({ shop: 'A店' }).where('id', '=', order.id).execute();
  const video = await makeVideo({ format: 'mp4', durationSec: 4 });
  const { evidence } = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: 'v.mp4',
    source: { path: video },
  });
  const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
  await importEvidence(station.ctx, { orderId: order.id, originalName: 'p.jpg', source: { bytes: photo } });
  // the recording the video came from, and the marks the packer set in it
  const { chapterIds } = await addRecordingMarks(db, {
    orderId: order.id,
    orderNo: 'PDD-C',
    evidenceId: evidence.id,
    at: T0,
    marks: [
      { step: 'item', atMs: 2500 },
      { step: 'label-closeup', atMs: 1200 },
    ],
  });
  expect(await syncNow(db, station.ctx.paths.root, { now: clock })).toMatchObject({ verified: 2, failed: 0 });
  await thumbnailsMade(server);
  return {
    hub,
    server,
    base: server.url.replace(/\/$/, ''),
    stationId: db.stationId,
    videoId: evidence.id,
    chapterIds,
  };
}

const signedIn = (base: string, name: string) => staffFetch(base, name, PW);

/** Waits for the thumbnail jobs the hub queued (as files were verified, or as pages asked) to finish. */
async function thumbnailsMade(server: HubServer) {
  for (const job of await server.jobs.list())
    if (job.kind === THUMBNAIL_JOB) expect((await server.jobs.wait(job.id)).status).toBe('done');
}

/** The thumbnails kept in the store: the media folder's, or the bucket's, `.thumbs/` */
async function storedThumbs(hub: Core): Promise<string[]> {
  if (s3) {
    const listed = await s3.client.listObjectsV2({ Bucket: s3.bucket, Prefix: 'wh/.thumbs/' });
    return (listed.Contents ?? []).map((o) => o.Key!);
  }
  const dir = path.join(hub.ctx.paths.root, 'hub-media', '.thumbs');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.jpg'))
    : [];
}

const jpegWidth = async (r: Response) => (await sharp(Buffer.from(await r.arrayBuffer())).metadata()).width;

describe.each(['folder', 's3'] as const)(
  `an order's files across stations: marks, thumbnails, zip (${testEngine}, media: %s)`,
  (kind) => {
    const saved = { ...process.env };
    beforeAll(async () => {
      if (kind !== 's3') return;
      s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-thumbs-')));
      Object.assign(process.env, s3.env);
    });
    afterAll(async () => {
      for (const k of Object.keys(s3?.env ?? {})) if (saved[k] === undefined) delete process.env[k];
      await s3?.close();
      s3 = null;
    });

    it('staff get each video’s marks in order and small pictures of every file, within their shops', async () => {
      const { hub, base, stationId, videoId } = await warehouse();
      await addUser(hub.ctx.db, { name: 'clerk', role: 'clerk', password: PW }, 'test', T0);
      await addUser(hub.ctx.db, { name: 'viewerB', role: 'viewer', shops: ['B店'], password: PW }, 'test', T0);
      const clerk = await signedIn(base, 'clerk');
      const { files } = (await (await clerk('/staff/v1/orders/PDD-C/files')).json()) as {
        files: { evidenceId: string; kind: string; chapters: unknown[] }[];
      };
      expect(files.map((f) => f.kind).sort()).toEqual(['photo', 'video']);
      expect(files.find((f) => f.kind === 'video')!.chapters).toEqual([
        { step: 'label-closeup', atMs: 1200 },
        { step: 'item', atMs: 2500 },
      ]);
      expect(files.find((f) => f.kind === 'photo')!.chapters).toEqual([]);

      for (const f of files) {
        const first = await clerk(`/staff/v1/thumbs/${stationId}/${f.evidenceId}`);
        expect(first.status).toBe(200);
        expect(first.headers.get('content-type')).toBe('image/jpeg');
        expect(first.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await jpegWidth(first)).toBe(320);
      }
      // made as the files were verified, kept in the store by the file's hash (not on the hub's disk)
      expect(await storedThumbs(hub)).toHaveLength(2);
      expect(fs.existsSync(path.join(hub.ctx.paths.root, 'hub-thumbs'))).toBe(false);

      // another shop's viewer learns nothing; nor does someone signed out, or a guessed id
      const viewerB = await signedIn(base, 'viewerB');
      expect((await viewerB(`/staff/v1/thumbs/${stationId}/${videoId}`)).status).toBe(404);
      expect((await fetch(`${base}/staff/v1/thumbs/${stationId}/${videoId}`)).status).toBe(401);
      expect((await clerk(`/staff/v1/thumbs/${stationId}/${newId()}`)).status).toBe(404);
      expect((await clerk(`/staff/v1/thumbs/..%2F..%2Fetc/passwd`)).status).toBe(404);
    });

    it('a thumbnail missing from the store is queued when a page asks, and shown from the next view', async () => {
      const { hub, server, base, stationId, videoId } = await warehouse();
      const [video] = (await orderFiles(hub.ctx.db, 'PDD-C', null)).filter((f) => f.evidenceId === videoId);
      const where = (await storedThumbs(hub)).find((n) => n.includes(video!.sha256))!;
      if (s3) await s3.client.deleteObject({ Bucket: s3.bucket, Key: where });
      else fs.rmSync(path.join(hub.ctx.paths.root, 'hub-media', '.thumbs', where));
      await addUser(hub.ctx.db, { name: 'clerk', role: 'clerk', password: PW }, 'test', T0);
      const clerk = await signedIn(base, 'clerk');
      expect((await clerk(`/staff/v1/thumbs/${stationId}/${videoId}`)).status).toBe(404);
      await thumbnailsMade(server);
      expect((await clerk(`/staff/v1/thumbs/${stationId}/${videoId}`)).status).toBe(200);
    });

    it('a share link’s page has a poster and the marks for each video; both end with the link', async () => {
      const { hub, base, stationId, videoId } = await warehouse();
      const made = await createShareLink(hub.ctx.db, { orderNo: 'PDD-C' }, null, T0);
      const html = await (await fetch(`${base}/s/${made.token}`, { headers: { 'accept-language': 'en' } })).text();
      const poster = `/s/${made.token}/t/${stationId}/${videoId}`;
      expect(html).toContain(`poster="${poster}"`);
      expect(html).toContain(`/s/${made.token}/f/${stationId}/${videoId}#t=1.2">0:01 Label close-up</a>`);
      const shown = await fetch(`${base}${poster}`);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('content-type')).toBe('image/jpeg');
      await revokeShareLink(hub.ctx.db, made.id, null, T0);
      expect((await fetch(`${base}${poster}`)).status).toBe(410);
    });

    it('an order downloads as one zip streamed as it is made, with SHA256SUMS and a manifest that match its files', async () => {
      const { hub, base, stationId } = await warehouse();
      await addUser(hub.ctx.db, { name: 'viewer', role: 'viewer', password: PW }, 'test', T0);
      await addUser(hub.ctx.db, { name: 'viewerB', role: 'viewer', shops: ['B店'], password: PW }, 'test', T0);
      const viewer = await signedIn(base, 'viewer');
      const r = await viewer('/staff/v1/orders/PDD-C/zip');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/zip');
      expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="PDD-C\.zip"/);
      const body = Buffer.from(await r.arrayBuffer());
      expect(Number(r.headers.get('content-length'))).toBe(body.length); // known before the first byte
      const entries = await zipEntries(body);
      const names = [...entries.keys()];
      expect(names).toHaveLength(4);
      expect(names.slice(2)).toEqual(['SHA256SUMS', 'manifest.json']);
      // numbered in capture order, the station's name made safe for every file system
      expect(names[0]).toMatch(/^1-打包台_2-.+\.(mp4|jpg)$/);
      expect(names[1]).toMatch(/^2-打包台_2-.+\.(mp4|jpg)$/);
      const sums = entries.get('SHA256SUMS')!.toString('utf8').trim().split('\n');
      expect(sums).toHaveLength(2);
      for (const line of sums) {
        const [hash, name] = line.split('  ') as [string, string];
        expect(createHash('sha256').update(entries.get(name)!).digest('hex')).toBe(hash);
      }
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
        orderNo: string;
        files: { name: string; station: string; sha256: string; marks: unknown[] }[];
      };
      expect(manifest.orderNo).toBe('PDD-C');
      expect(manifest.files.map((f) => f.station)).toEqual(['打包台 2', '打包台 2']);
      expect(manifest.files[0]!.marks).toHaveLength(2);
      const audit = await hub.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('action', '=', 'order.downloaded')
        .execute();
      expect(audit).toEqual([{ action: 'order.downloaded', actor: 'viewer' }]);
      // another shop's viewer: not there
      expect((await (await signedIn(base, 'viewerB'))('/staff/v1/orders/PDD-C/zip')).status).toBe(404);
      expect((await fetch(`${base}/staff/v1/orders/PDD-C/zip`)).status).toBe(401);
      void stationId;
    });

    it('a file gone from the store: the zip is refused before its first byte, never a zip that lies', async () => {
      const { hub, base, videoId } = await warehouse();
      const [video] = (await orderFiles(hub.ctx.db, 'PDD-C', null)).filter((f) => f.evidenceId === videoId);
      if (kind === 'folder') fs.rmSync(video!.location);
      else await s3!.client.deleteObject({ Bucket: s3!.bucket, Key: video!.location.replace(/^s3:\/\/[^/]+\//, '') });
      await addUser(hub.ctx.db, { name: 'clerk', role: 'clerk', password: PW }, 'test', T0);
      const r = await (await signedIn(base, 'clerk'))('/staff/v1/orders/PDD-C/zip');
      expect(r.status).toBe(404);
      const { error } = (await r.json()) as { error: { details: { problem: string } } };
      expect(error.details.problem).toBe('share-file-missing');
      // and no download was recorded
      expect(
        await hub.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'order.downloaded').execute(),
      ).toEqual([]);
    });

    it('a share link with download offers the zip; a view-only one refuses it', async () => {
      const { hub, base } = await warehouse();
      const viewOnly = await createShareLink(hub.ctx.db, { orderNo: 'PDD-C' }, null, T0);
      expect(await (await fetch(`${base}/s/${viewOnly.token}`)).text()).not.toContain('/zip');
      expect((await fetch(`${base}/s/${viewOnly.token}/zip`)).status).toBe(403);
      const withDownload = await createShareLink(hub.ctx.db, { orderNo: 'PDD-C', download: true }, null, T0);
      const html = await (
        await fetch(`${base}/s/${withDownload.token}`, { headers: { 'accept-language': 'en' } })
      ).text();
      expect(html).toContain(`href="/s/${withDownload.token}/zip" download>Download all 2 files`);
      const r = await fetch(`${base}/s/${withDownload.token}/zip`, { headers: { 'user-agent': 'Agent/1' } });
      expect(r.status).toBe(200);
      expect([...(await zipEntries(Buffer.from(await r.arrayBuffer()))).keys()]).toHaveLength(4);
      const [link] = (await listShareLinks(hub.ctx.db, 'PDD-C', null, T0)).filter((l) => l.id === withDownload.id);
      expect(link!.opens.map((o) => o.what)).toContain('download');
    });

    it('a mark deleted at the station goes from the hub; a recording’s marks follow its file', async () => {
      const { hub, stationId, videoId, chapterIds } = await warehouse();
      await receiveStationRecords(
        hub.ctx.db,
        { id: stationId },
        [{ table: 'chapters', key: chapterIds[1]!, row: null }],
        T0,
      );
      const [video] = (await orderFiles(hub.ctx.db, 'PDD-C', null)).filter((f) => f.evidenceId === videoId);
      expect(video!.chapters).toEqual([{ step: 'item', atMs: 2500 }]);
    });
  },
);

describe(`migration 026 (marks on the hub) on ${testEngine}`, () => {
  it('fills hub_recordings and hub_chapters from the station rows the hub already held', async () => {
    const db = await openTestDb(tmp(), { migrate: false });
    await migrate(
      db,
      migrations.filter((m) => m.version < 26),
    );
    const rows: [string, string, unknown][] = [
      ['recordings', 'r1', { id: 'r1', evidence_id: 'e1', status: 'finalized' }],
      ['recordings', 'r2', { id: 'r2', evidence_id: null, status: 'recording' }],
      ['chapters', 'c1', { id: 'c1', recording_id: 'r1', step: 'opening', at_ms: 4000 }],
      ['chapters', 'c2', null],
      ['chapters', 'c3', { id: 'c3', step: 'item' }], // not a whole mark: left out
      ['orders', 'o1', { id: 'o1', order_no: 'P1' }],
    ];
    for (const [tbl, key, data] of rows)
      await db
        .insertInto('hub_station_records')
        .values({
          station_id: 's1',
          tbl,
          row_key: key,
          data: data === null ? null : JSON.stringify(data),
          received_at: T0.toISOString(),
        })
        .execute();
    await migrate(db, migrations);
    expect(await db.selectFrom('hub_recordings').selectAll().orderBy('recording_id').execute()).toEqual([
      { station_id: 's1', recording_id: 'r1', evidence_id: 'e1' },
      { station_id: 's1', recording_id: 'r2', evidence_id: null },
    ]);
    const chapters = await db.selectFrom('hub_chapters').selectAll().execute();
    expect(chapters.map((c) => ({ ...c, at_ms: Number(c.at_ms) }))).toEqual([
      { station_id: 's1', chapter_id: 'c1', recording_id: 'r1', step: 'opening', at_ms: 4000 },
    ]);
  });
});

describe('a file that gives no picture', () => {
  it('gets an empty thumbnail once: shown as none, never tried again', async () => {
    const root = tmp();
    const media = await openHubMedia(undefined, root, false);
    const jobs = new InProcessJobs(new JobManager(new EventBus()));
    const sha256 = 'ab'.repeat(32);
    const location = path.join(root, 'hub-media', 'st', 'bad.mp4');
    fs.mkdirSync(path.dirname(location), { recursive: true });
    fs.writeFileSync(location, Buffer.from('not a video at all, just text '.repeat(100)));
    const file = {
      stationId: 'st',
      evidenceId: 'ev',
      orderNo: 'P',
      kind: 'video',
      mode: null,
      fileName: 'bad.mp4',
      sha256,
      bytes: fs.statSync(location).size,
      durationMs: 4000,
      capturedAt: T0.toISOString(),
      operator: '',
      stationName: 'S',
      location,
    };
    expect(await makeThumbnail(media, file)).toBe(false);
    expect(await media.sizeOf(media.thumbLocation(sha256))).toBe(0);
    const thumbs = new HubThumbs(media, jobs, () => 'thumbnail');
    expect(await thumbs.of(file)).toBeNull();
    expect(await jobs.list()).toEqual([]); // nothing queued for it
    await media.close();
  });
});
