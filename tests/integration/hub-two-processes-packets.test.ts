import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeWireInput } from '../../shared/api/wire';
import { addUser } from '../../electron/core/accounts/users';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore, type Core } from '../../electron/core/core';
import { dropTestDatabases, ensureTestDatabase, testDatabaseName } from '../../electron/core/db/postgres/test-database';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { openHubJobs } from '../../electron/core/hub/hub-jobs';
import { startHubPacketExport } from '../../electron/core/hub/hub-packets';
import { makeLargeVideo, makeVideo } from '../fixtures';
import { killHub } from '../helpers/hub-process';
import { startSlowLink } from '../helpers/slow-link';
import { hashAtLocation, keysIn, startTestS3 } from '../helpers/s3-server';
import { staffFetch } from '../helpers/staff-session';
import { dropDatabasesOf } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';
import { zipEntries } from '../helpers/zip';

const base = process.env.PROOFPACK_TEST_PG;
const tmp = useTempDirs();
const T0 = new Date('2026-12-04T08:00:00.000Z');
const clock = () => T0;
const PW = 'correct horse battery';
const MiB = 1024 * 1024;
const sharedName = `hub-packets-${process.pid}`;
const savedEnv = { ...process.env };
const opened: { cores: Core[]; servers: HubServer[]; dirs: string[] } = { cores: [], servers: [], dirs: [] };
afterEach(async () => {
  for (const s of opened.servers.splice(0)) await s.close().catch(() => undefined);
  for (const c of opened.cores.splice(0)) await c.close();
  await dropDatabasesOf(opened.dirs.splice(0));
  if (base) await dropTestDatabases(base, [testDatabaseName(sharedName)]);
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
});

type Fetcher = Awaited<ReturnType<typeof staffFetch>>;
type Job = { id: string; kind: string; status: string; result: unknown };
type Packet = { id: string; name: string; zip: string; zipMediaPath: string };

async function call<T>(as: Fetcher, name: string, input: unknown): Promise<{ status: number; value: T }> {
  const r = await as(`/staff/v1/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await r.json()) as { value: T };
  return { status: r.status, value: body.value };
}

async function untilEnded(as: Fetcher, jobId: string): Promise<Job> {
  for (let i = 0; i < 1200; i++) {
    const job = (await call<Job[]>(as, 'jobs.list', {})).value.find((j) => j.id === jobId);
    if (job && !['queued', 'running'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not end`);
}

/** one station's order for shop A: a packing video and a label photo, synced to the hub */
async function stationOrder(hub: Core, server: HubServer, videoFile: string): Promise<void> {
  const stationDir = tmp();
  opened.dirs.push(stationDir);
  const station = await createCore({ dataDir: stationDir, mode: 'cli' });
  opened.cores.push(station);
  const { code } = await createPairingCode(hub.ctx.db, '打包台 1', T0);
  await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
  const order = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-两台-1', null, T0);
  await station.ctx.db.updateTable('orders').set({ shop: 'A店' }).where('id', '=', order.id).execute();
  const video = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: 'pack.mp4',
    source: { path: videoFile },
  });
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#37a' } })
    .jpeg()
    .toBuffer();
  await importEvidence(station.ctx, { orderId: order.id, originalName: 'label.jpg', source: { bytes: jpeg } });
  // as a packing recording is, so the case's checklist takes it into the packet
  await station.ctx.db
    .updateTable('evidence')
    .set({ mode: 'outbound', origin: 'recorded' })
    .where('id', '=', video.evidence.id)
    .execute();
  expect(await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock })).toMatchObject({ failed: 0 });
}

/** a case for the station's order, made by the hub's core as a clerk's call would */
async function caseOf(hub: Core): Promise<string> {
  const made = await hub.dispatch('cases.create', {
    orderNo: 'PDD-两台-1',
    appealType: 'responsibility',
    scenario: 'damaged',
  });
  if (!made.ok) throw new Error(made.error.message);
  return (made.value as { case: { id: string } }).case.id;
}

// scale-out: staff packets are jobs of the shared queue and zips in the shared store
describe.skipIf(!base || !!process.env.PROOFPACK_TEST_S3)(
  'staff packets on two hub processes sharing one PostgreSQL and one S3 store',
  { timeout: 300_000 },
  () => {
    it('exported through one, followed, downloaded, shared and verified through the other; nothing on either disk', async () => {
      const s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-packets-')));
      try {
        Object.assign(process.env, s3.env);
        const db = await ensureTestDatabase(base!, sharedName);
        const [dirA, dirB] = [tmp(), tmp()];
        const hubs: Core[] = [];
        const servers: HubServer[] = [];
        for (const dir of [dirA, dirB]) {
          const core = await createCore({ dataDir: dir, mode: 'cli', db });
          opened.cores.push(core);
          hubs.push(core);
          const server = await startHubServer({
            core,
            host: '127.0.0.1',
            port: 0,
            clock,
            media: `s3://${s3.bucket}/warehouse`,
          });
          opened.servers.push(server);
          servers.push(server);
        }
        const [hubA] = hubs;

        await stationOrder(hubA!, servers[0]!, await makeVideo({ format: 'mp4', durationSec: 2 }));
        await addUser(hubA!.ctx.db, { name: 'clerkA', role: 'clerk', shops: ['A店'], password: PW }, 'test', T0);
        const [viaA, viaB] = await Promise.all(servers.map((s) => staffFetch(s.url.replace(/\/$/, ''), 'clerkA', PW)));
        const made = await call<{ case: { id: string; orderId: string } }>(viaA!, 'cases.create', {
          orderNo: 'PDD-两台-1',
          appealType: 'responsibility',
          scenario: 'damaged',
        });
        expect(made.status).toBe(200);
        const caseId = made.value.case.id;

        // a label photo the clerk adds through A: kept in the store, served by B, none of it on A's disk
        const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#a73' } })
          .jpeg()
          .toBuffer();
        const wire = encodeWireInput({
          orderId: made.value.case.orderId,
          caseId,
          requirement: 'item-label-photo',
          name: '面单.jpg',
          data: new Uint8Array(jpeg),
        });
        const added = await viaA!('/staff/v1/call/evidence.import', {
          method: 'POST',
          headers: wire.headers,
          body: wire.body as BodyInit,
        });
        expect(added.status).toBe(200);
        const photo = ((await added.json()) as { value: { id: string; path: string } }).value;
        const stored = await hubA!.ctx.db
          .selectFrom('evidence')
          .select('location')
          .where('id', '=', photo.id)
          .executeTakeFirstOrThrow();
        expect(stored.location).toMatch(new RegExp(`^s3://${s3.bucket}/warehouse/\\.hub-files/${photo.id}/`));
        expect(fs.existsSync(path.join(dirA, photo.path))).toBe(false);
        const served = await viaB!(`/staff/v1/files/${photo.path.split('/').map(encodeURIComponent).join('/')}`);
        expect(served.status).toBe(200);
        expect(Buffer.from(await served.arrayBuffer()).equals(jpeg)).toBe(true);

        // asked of A, followed through B: the shop-limited clerk's own job, known to both processes
        const started = await call<{ jobId: string }>(viaA!, 'packets.export', {
          caseIds: [caseId],
          allowIncomplete: true,
        });
        expect(started.status).toBe(200);
        const job = await untilEnded(viaB!, started.value.jobId);
        expect([job.kind, job.status]).toEqual(['hub.packet-export', 'done']);

        const packets = (await call<Packet[]>(viaB!, 'packets.list', { caseId })).value;
        expect(packets).toHaveLength(1);
        const packet = packets[0]!;
        expect(packet.zip).toBe(`s3://${s3.bucket}/warehouse/.packets/${packet.name}.zip`);
        const zipUrl = `/staff/v1/files/${packet.zipMediaPath.split('/').map(encodeURIComponent).join('/')}`;
        const download = await viaB!(zipUrl);
        expect(download.status).toBe(200);
        const bytes = Buffer.from(await download.arrayBuffer());
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(await hashAtLocation(packet.zip, s3));
        const entries = await zipEntries(bytes);
        expect([...entries.keys()]).toContain('manifest.json');
        expect([...entries.keys()].some((n) => n.endsWith('.mp4'))).toBe(true);
        const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
          files: { evidenceId: string | null }[];
        };
        expect(manifest.files.map((f) => f.evidenceId)).toContain(photo.id);

        const verified = await call<{ ok: boolean }[]>(viaB!, 'packets.verify', { packetId: packet.id });
        expect(verified.value.map((r) => r.ok)).toEqual([true]);

        // a link to the packet, made on B, downloads the same zip from A
        const share = await viaB!('/staff/v1/shares', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ packetId: packet.id, download: true }),
        });
        expect(share.status).toBe(201);
        const { url } = (await share.json()) as { url: string };
        const shared = await fetch(new URL(`${new URL(url).pathname}/zip`, servers[0]!.url));
        expect(shared.status).toBe(200);
        expect(Buffer.from(await shared.arrayBuffer()).equals(bytes)).toBe(true);

        // exported again: the same zip replaced in the store, one packet on record
        const again = await call<{ jobId: string }>(viaB!, 'packets.export', {
          caseIds: [caseId],
          allowIncomplete: true,
        });
        expect((await untilEnded(viaA!, again.value.jobId)).status).toBe('done');
        expect((await call<Packet[]>(viaA!, 'packets.list', { caseId })).value.map((p) => p.zip)).toEqual([packet.zip]);
        expect((await keysIn(s3)).filter((k) => k.includes('.packets/'))).toEqual([
          `warehouse/.packets/${packet.name}.zip`,
        ]);

        // nothing of it on either hub's own disk
        for (const dir of [dirA, dirB]) {
          expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
          const exports = path.join(dir, 'exports');
          expect(fs.existsSync(exports) ? fs.readdirSync(exports) : []).toEqual([]);
        }
      } finally {
        await s3.close();
      }
    });
    it('a packet export whose process is killed while storing the zip is finished by another: one packet, one zip', async () => {
      const s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-takeover-')));
      // the dying process reaches the store through a 1 MiB/s link: killed while its zip is sent
      const link = await startSlowLink(Number(new URL(s3.endpoint).port), 1024 * 1024);
      const worker = { proc: null as ChildProcess | null };
      try {
        Object.assign(process.env, s3.env);
        const db = await ensureTestDatabase(base!, sharedName);
        const media = `s3://${s3.bucket}/warehouse`;
        const quick = { heartbeatSeconds: 10, superviseIntervalSeconds: 1 };
        const hub = await createCore({ dataDir: tmp(), mode: 'cli', db });
        opened.cores.push(hub);
        const first = await startHubServer({ core: hub, host: '127.0.0.1', port: 0, clock, media, jobs: quick });
        await stationOrder(hub, first, await makeLargeVideo({ minBytes: 8 * MiB, width: 640, height: 360 }));
        const caseId = await caseOf(hub);
        await first.close(); // only the worker takes jobs now

        worker.proc = spawn(
          process.execPath,
          ['--import', 'tsx', path.resolve(__dirname, '../helpers/packet-export-worker.ts'), tmp(), db, media],
          {
            cwd: path.resolve(__dirname, '../..'),
            stdio: ['ignore', 'pipe', 'inherit'],
            env: { ...process.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${link.port}` },
            detached: true,
          },
        );
        let out = '';
        worker.proc.stdout!.on('data', (c) => (out += c));
        for (let i = 0; !out.includes('ready') && i < 1200; i++) await sleep(100);
        expect(out).toContain('ready');
        const queue = openHubJobs(hub.ctx, hub.ctx.hubMedia!, quick); // queues only, runs nothing
        const { jobId } = await startHubPacketExport(hub.ctx.db, queue, {
          caseIds: [caseId],
          allowIncomplete: true,
          lang: 'zh-CN',
          by: null,
        });
        await queue.close();
        const row = () =>
          hub.ctx.db.selectFrom('shared_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
        // copied and zipped (≈ 0.63 of the work with an 8 MiB video), then sent to the store, which
        // takes this link ≥ 8 s: 2 s after 0.6 the zip is on its way
        let seen = await row();
        for (let i = 0; i < 3000 && !(seen.status === 'running' && Number(seen.progress) >= 0.6); i++) {
          await sleep(100);
          seen = await row();
          if (seen.status === 'failed' || seen.status === 'done') break;
        }
        expect([seen.status, seen.attempt]).toEqual(['running', 1]);
        await sleep(2000);
        expect(killHub(worker.proc)).toBe(true);
        expect((await row()).status).toBe('running'); // killed before it could finish

        // a hub process starts and takes the job over once the dead one's heartbeat is overdue
        const second = await startHubServer({ core: hub, host: '127.0.0.1', port: 0, clock, media, jobs: quick });
        opened.servers.push(second);
        const end = await second.jobs.wait(jobId);
        expect([end.status, (await row()).attempt]).toEqual(['done', 2]);
        const packets = await hub.ctx.db.selectFrom('packets').select(['id', 'zip_location']).execute();
        expect(packets).toHaveLength(1);
        const keys = (await keysIn(s3)).filter((k) => k.includes('.packets/'));
        expect(keys).toHaveLength(1);
        expect(packets[0]!.zip_location).toBe(`s3://${s3.bucket}/${keys[0]}`);
        const verified = await hub.dispatch('packets.verify', { packetId: packets[0]!.id });
        expect(verified.ok && (verified.value as { ok: boolean }[]).map((r) => r.ok)).toEqual([true]);
      } finally {
        if (worker.proc && worker.proc.exitCode === null && worker.proc.signalCode === null) killHub(worker.proc);
        await link.close();
        await s3.close();
      }
    });
  },
);
