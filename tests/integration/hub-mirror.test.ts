import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../electron/core/accounts/users';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { mirroredFilePath } from '../../electron/core/evidence/evidence-sources';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import type { HubServer } from '../../electron/web/hub-server';
import { makeVideo } from '../fixtures';
import { useHubCores } from '../helpers/hub-cores';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { staffFetch } from '../helpers/staff-session';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';
import { zipEntries } from '../helpers/zip';

const tmp = useTempDirs();
const { core, serve } = useHubCores(tmp);
const T0 = new Date('2026-12-04T08:00:00.000Z');
const clock = () => T0;
const PW = 'correct horse battery';
let s3: TestS3 | null = null;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A station paired with the hub that records order `no` (shop A店): a 3 s video and a photo, both checked, synced. */
async function stationWith(hub: Core, server: HubServer, name: string, no: string) {
  const station = await core();
  const { code } = await createPairingCode(hub.ctx.db, name, T0);
  await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
  const order = await findOrCreateOrderByNumber(station.ctx.db, no, null, T0);
  await station.ctx.db.updateTable('orders').set({ shop: 'A店' }).where('id', '=', order.id).execute();
  const video = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: `${name}.mp4`,
    source: { path: await makeVideo({ format: 'mp4', durationSec: 3 }) },
  });
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#a73' } })
    .jpeg()
    .toBuffer();
  const photo = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: 'p.jpg',
    source: { bytes: jpeg },
  });
  // as a packing recording is (a recording's own path is tested at the station)
  await station.ctx.db
    .updateTable('evidence')
    .set({ mode: 'outbound', origin: 'recorded' })
    .where('id', '=', video.evidence.id)
    .execute();
  for (const e of [video.evidence, photo.evidence]) await station.handlers['checks.run']({ evidenceId: e.id });
  expect(await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock })).toMatchObject({ failed: 0 });
  return { station, video: video.evidence, photo: photo.evidence };
}

async function hubWithStations() {
  const hub = await core();
  const server = await serve({ core: hub, clock, media: s3 ? `s3://${s3.bucket}/wh` : undefined });
  const one = await stationWith(hub, server, '打包台 1', 'PDD-M');
  const two = await stationWith(hub, server, '打包台 2', 'PDD-M');
  await addUser(hub.ctx.db, { name: 'clerk', role: 'clerk', password: PW }, 'test', T0);
  const base = server.url.replace(/\/$/, '');
  const clerk = await staffFetch(base, 'clerk', PW);
  const call = async <T>(name: string, input: unknown, as = clerk) => {
    const r = await as(`/staff/v1/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: r.status, body: (await r.json()) as { ok?: true; value: T; error?: { details?: unknown } } };
  };
  return { hub, server, one, two, base, clerk, call };
}

type Call = Awaited<ReturnType<typeof hubWithStations>>['call'];

/** a job's last snapshot, followed as the staff app does (jobs.list), once it has ended */
async function jobDone(call: Call, id: string) {
  let job: { id: string; status: string } | undefined;
  for (let i = 0; i < 1200; i++) {
    job = (await call<{ id: string; status: string }[]>('jobs.list', {})).body.value.find((j) => j.id === id);
    if (job && !['queued', 'running'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  return job;
}

describe.each(['folder', 's3'] as const)(
  `the hub's cases and packets over every station (${testEngine}, %s)`,
  (kind) => {
    const saved = { ...process.env };
    beforeAll(async () => {
      if (kind !== 's3') return;
      s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-mirror-')));
      Object.assign(process.env, s3.env);
    });
    afterAll(async () => {
      for (const k of Object.keys(s3?.env ?? {})) if (saved[k] === undefined) delete process.env[k];
      await s3?.close();
      s3 = null;
    });

    it('mirrors each verified file into one order per number, with the station’s check and shop', async () => {
      const { hub, one, two } = await hubWithStations();
      const db = hub.ctx.db;
      const orders = await db.selectFrom('orders').selectAll().where('order_no', '=', 'PDD-M').execute();
      expect(orders).toHaveLength(1);
      expect(orders[0]!.shop).toBe('A店');
      const files = await db.selectFrom('evidence').selectAll().where('order_id', '=', orders[0]!.id).execute();
      expect(files.map((f) => f.id).sort()).toEqual([one.video.id, one.photo.id, two.video.id, two.photo.id].sort());
      for (const f of files) {
        expect(f.location).toBeTruthy();
        expect(f.path).toBe(`hub/${f.station_id}/${f.id}/${path.basename(f.path)}`);
        expect(f.check_state).not.toBe('pending');
      }
      const video = files.find((f) => f.id === two.video.id)!;
      expect([video.station_id, video.sha256, video.kind]).toEqual([
        two.station.ctx.db.stationId,
        two.video.sha256,
        'video',
      ]);
      const stationCheck = await two.station.handlers['checks.forEvidence']({ evidenceId: two.video.id });
      const hubCheck = await hub.handlers['checks.forEvidence']({ evidenceId: two.video.id });
      expect(hubCheck?.checkedAt).toBe(stationCheck?.checkedAt);
      expect(hubCheck?.findings.map((f) => f.code)).toEqual(stationCheck?.findings.map((f) => f.code));
      // the hub PC's own screens play a folder store's file in place (an S3 store's through the staff route)
      const played = await mirroredFilePath(hub.ctx, video.path);
      if (kind === 'folder') expect(fs.readFileSync(played!).length).toBe(Number(video.bytes));
      else expect(played).toBeNull();
      expect(await mirroredFilePath(hub.ctx, `hub/${video.station_id}/${video.id}/other.mp4`)).toBeNull();
      // sending again changes nothing
      expect(await syncNow(two.station.ctx.db, two.station.ctx.paths.root, { now: clock })).toMatchObject({
        failed: 0,
      });
      expect(await db.selectFrom('evidence').select('id').execute()).toHaveLength(4);
    });

    it('a re-check at a station replaces the hub’s copy', async () => {
      const { hub, two } = await hubWithStations();
      const before = await hub.handlers['checks.forEvidence']({ evidenceId: two.photo.id });
      const again = await two.station.handlers['checks.run']({ evidenceId: two.photo.id });
      expect(again.checkedAt).not.toBe(before?.checkedAt);
      await syncNow(two.station.ctx.db, two.station.ctx.paths.root, { now: clock });
      const after = await hub.handlers['checks.forEvidence']({ evidenceId: two.photo.id });
      expect(after?.checkedAt).toBe(again.checkedAt);
      expect(
        await hub.ctx.db.selectFrom('evidence_checks').where('evidence_id', '=', two.photo.id).select('id').execute(),
      ).toHaveLength(1);
    });

    it('a clerk makes a case and a packet of both stations’ files in a browser, and downloads its zip', async () => {
      const { hub, one, two, call, clerk } = await hubWithStations();
      const made = await call<{ case: { id: string } }>('cases.create', {
        orderNo: 'PDD-M',
        appealType: 'responsibility',
        scenario: 'damaged',
      });
      expect(made.status).toBe(200);
      const caseId = made.body.value.case.id;
      const started = await call<{ jobId: string }>('packets.export', { caseIds: [caseId], allowIncomplete: true });
      expect(started.status).toBe(200);
      let job: { id: string; status: string; error?: unknown } | undefined;
      for (let i = 0; i < 600; i++) {
        const jobs = (await call<{ id: string; status: string }[]>('jobs.list', {})).body.value;
        job = jobs.find((j) => j.id === started.body.value.jobId);
        if (job && !['queued', 'running'].includes(job.status)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(job?.status, JSON.stringify(job)).toBe('done');
      const packets = (await call<{ id: string; zipMediaPath: string }[]>('packets.list', { caseId })).body.value;
      // as the staff screens fetch it: from the exports folder, or (PostgreSQL) from the store
      const zip = await clerk(
        `/staff/v1/files/${packets[0]!.zipMediaPath.split('/').map(encodeURIComponent).join('/')}`,
      );
      expect(zip.status).toBe(200);
      expect(zip.headers.get('content-disposition')).toMatch(/attachment/);
      const zipBytes = Buffer.from(await zip.arrayBuffer());
      const entries = await zipEntries(zipBytes);
      // the packet takes what its checklist asks for, from whichever station recorded it
      const media = [...entries.keys()].filter((n) => /\.(mp4|jpe?g)$/i.test(n));
      expect(media.length, [...entries.keys()].join(', ')).toBeGreaterThanOrEqual(1);
      const stationFiles = [one.video, two.video, one.photo, two.photo].map((e) => e.sha256);
      for (const n of media) expect(stationFiles).toContain(sha(entries.get(n)!));
      const videos = media.map((n) => sha(entries.get(n)!));
      expect(videos.some((h) => h === one.video.sha256 || h === two.video.sha256)).toBe(true);
      // nothing fetched from the store is left on the hub's disk
      for (const dir of [hub.ctx.paths.exports, hub.ctx.paths.tmp])
        expect((fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((n) => /sources-|hub-packet-/.test(n))).toEqual(
          [],
        );

      // a link to the packet: its files on a page, its own zip as the download
      const shared = await clerk('/staff/v1/shares', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ packetId: packets[0]!.id, download: true }),
      });
      expect(shared.status).toBe(201);
      const { url } = (await shared.json()) as { url: string };
      const page = await fetch(url, { headers: { 'accept-language': 'en' } });
      const html = await page.text();
      expect(html).toContain('Appeal packet for order PDD-M');
      for (const n of media) expect(html).toContain(sha(entries.get(n)!));
      const packetZip = await fetch(`${url}/zip`);
      expect(packetZip.status).toBe(200);
      expect(sha(Buffer.from(await packetZip.arrayBuffer()))).toBe(sha(zipBytes));
      const links = (await (await clerk('/staff/v1/shares?order=PDD-M')).json()) as {
        links: { packetId: string | null; opens: { what: string }[] }[];
      };
      expect(links.links[0]).toMatchObject({ packetId: packets[0]!.id });
      expect(links.links[0]!.opens.map((o) => o.what).sort()).toEqual(['download', 'page']);
    });

    it('coverage and a check run on the hub read the stations’ files', async () => {
      const { two, call, clerk } = await hubWithStations();
      const insight = await call<{ orderNo: string; photos: number }>('coverage.lookup', { code: 'PDD-M' });
      expect(insight.body.value).toMatchObject({ orderNo: 'PDD-M', photos: 2 });
      const checked = await call<{ facts: { missing?: boolean } }>('checks.run', { evidenceId: two.video.id });
      expect(checked.status).toBe(200);
      expect(JSON.stringify(checked.body.value.facts)).not.toMatch(/"missing":true/);
      // a clerk trims a station's video on the hub: the cut is the hub's own file, in its data folder
      const fix = await call<{ jobId: string }>('fixes.start', {
        evidenceId: two.video.id,
        trim: { startSec: 0.5, endSec: 2 },
      });
      expect(fix.status, JSON.stringify(fix.body)).toBe(200);
      const done = await jobDone(call, fix.body.value.jobId);
      expect(done?.status, JSON.stringify(done)).toBe('done');
      const out = (done as unknown as { result: { outputs: { path: string }[] } }).result.outputs[0]!;
      expect(out.path).toMatch(/^media\/hub-fixed\//);
      const played = await clerk(`/staff/v1/files/${out.path.split('/').map(encodeURIComponent).join('/')}`, {
        headers: { range: 'bytes=0-99' },
      });
      expect([played.status, played.headers.get('content-type')]).toEqual([206, 'video/mp4']);
    });
  },
);

describe(`the staff call route (${testEngine})`, () => {
  it('needs a session, the CSRF token and the role, and refuses station calls, shop limits and hub paths', async () => {
    const { hub, base, call } = await hubWithStations();
    await addUser(hub.ctx.db, { name: 'viewer', role: 'viewer', password: PW }, 'test', T0);
    await addUser(hub.ctx.db, { name: 'clerkA', role: 'clerk', shops: ['A店'], password: PW }, 'test', T0);
    const post = (p: string, headers: Record<string, string> = {}) =>
      fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await post('/staff/v1/call/cases.list')).status).toBe(401);
    const viewer = await staffFetch(base, 'viewer', PW);
    const problem = (r: { body: { error?: { details?: unknown } } }) =>
      (r.body.error?.details as { problem?: string })?.problem;
    const denied = await call('cases.list', {}, viewer);
    expect([denied.status, problem(denied)]).toEqual([403, 'role-forbidden']);
    expect((await call('orders.search', { query: 'PDD' }, viewer)).status).not.toBe(403);
    const station = await call('capture.start', {});
    expect([station.status, problem(station)]).toEqual([403, 'station-only']);
    const limited = await call('orders.import.mappings', {}, await staffFetch(base, 'clerkA', PW));
    expect([limited.status, problem(limited)]).toEqual([403, 'shop-limited']);
    const outDir = await call('packets.export', { caseIds: ['0190a000-0000-7000-8000-000000000000'], outDir: '/tmp' });
    expect([outDir.status, problem(outDir)]).toEqual([400, 'hub-path']);
    expect((await call('no.such.call', {})).status).toBe(404);
    const clerkNoCsrf = await call('cases.list', {}, (p, init) =>
      viewer(p, { ...init, headers: { ...(init?.headers ?? {}), 'x-csrf-token': 'wrong' } }),
    );
    expect(clerkNoCsrf.status).toBe(403);
    expect((await call('cases.list', {})).status).toBe(200);
    // another folder's files are not served as exports or hub files
    const traversal = await (await staffFetch(base, 'clerk', PW))('/staff/v1/exports/..%2Fproofpack.db');
    expect(traversal.status).toBe(404);
  });

  it('files verified before the mirror existed join it when the hub starts', async () => {
    const { hub, server, one } = await hubWithStations();
    await hub.ctx.db.deleteFrom('check_findings').execute();
    await hub.ctx.db.deleteFrom('evidence_checks').execute();
    await hub.ctx.db.deleteFrom('evidence').execute();
    await server.close();
    const again = await serve({ core: hub, clock });
    for (let i = 0; i < 300; i++) {
      if ((await hub.ctx.db.selectFrom('evidence').select('id').execute()).length === 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await hub.ctx.db.selectFrom('evidence').select('id').execute()).toHaveLength(4);
    expect((await hub.handlers['checks.forEvidence']({ evidenceId: one.video.id }))?.evidenceId).toBe(one.video.id);
    await again.close();
  });
});
