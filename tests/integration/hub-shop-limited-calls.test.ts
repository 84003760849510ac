import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addUser } from '../../electron/core/accounts/users';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import type { HubServer } from '../../electron/web/hub-server';
import { makeVideo } from '../fixtures';
import { useHubCores } from '../helpers/hub-cores';
import { staffFetch } from '../helpers/staff-session';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const { core, serve } = useHubCores(tmp);
const T0 = new Date('2026-12-04T08:00:00.000Z');
const clock = () => T0;
const PW = 'correct horse battery';
const NO_SUCH = '0190a000-0000-7000-8000-000000000000';

type Fetcher = Awaited<ReturnType<typeof staffFetch>>;
type Answer<T> = { status: number; body: { ok?: true; value: T; error?: { details?: { problem?: string } } } };

/** a station that records `no` for `shop` (a 3 s video and a photo) and syncs it to the hub */
async function station(hub: Core, server: HubServer, name: string, no: string, shop: string) {
  const s = await core();
  const { code } = await createPairingCode(hub.ctx.db, name, T0);
  await joinHub(s.ctx.db, { hubUrl: server.url, code }, { now: T0 });
  const order = await findOrCreateOrderByNumber(s.ctx.db, no, null, T0);
  await s.ctx.db.updateTable('orders').set({ shop }).where('id', '=', order.id).execute();
  const video = await importEvidence(s.ctx, {
    orderId: order.id,
    originalName: 'pack.mp4',
    source: { path: await makeVideo({ format: 'mp4', durationSec: 2 }) },
  });
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#37a' } })
    .jpeg()
    .toBuffer();
  const photo = await importEvidence(s.ctx, { orderId: order.id, originalName: 'label.jpg', source: { bytes: jpeg } });
  // as a packing recording is, so the case's checklist takes it into the packet
  await s.ctx.db
    .updateTable('evidence')
    .set({ mode: 'outbound', origin: 'recorded' })
    .where('id', '=', video.evidence.id)
    .execute();
  for (const e of [video.evidence, photo.evidence]) await s.handlers['checks.run']({ evidenceId: e.id });
  expect(await syncNow(s.ctx.db, s.ctx.paths.root, { now: clock })).toMatchObject({ failed: 0 });
  return { video: video.evidence, photo: photo.evidence };
}

async function setup() {
  const hub = await core();
  const server = await serve({ core: hub, clock });
  const a = await station(hub, server, '打包台 1', 'PDD-A1', 'A店');
  const b = await station(hub, server, '打包台 2', 'PDD-B1', 'B店');
  await addUser(hub.ctx.db, { name: 'clerk', role: 'clerk', password: PW }, 'test', T0);
  await addUser(hub.ctx.db, { name: 'clerkA', role: 'clerk', shops: ['A店'], password: PW }, 'test', T0);
  const base = server.url.replace(/\/$/, '');
  const clerk = await staffFetch(base, 'clerk', PW);
  const clerkA = await staffFetch(base, 'clerkA', PW);
  const call = async <T>(as: Fetcher, name: string, input: unknown): Promise<Answer<T>> => {
    const r = await as(`/staff/v1/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: r.status, body: (await r.json()) as Answer<T>['body'] };
  };
  return { hub, a, b, clerk, clerkA, call };
}

const refusal = (r: Answer<unknown>) => [r.status, r.body.error?.details?.problem];
const CASE = { appealType: 'responsibility', scenario: 'damaged' };

describe(`a clerk limited to shop A on the hub (${testEngine})`, () => {
  it('works her shop’s cases and packets; another shop’s are answered as if they did not exist', async () => {
    const { a, b, clerk, clerkA, call } = await setup();
    type Made = { case: { id: string } };
    const mine = await call<Made>(clerkA, 'cases.create', { orderNo: 'PDD-A1', ...CASE });
    expect(mine.status).toBe(200);
    const theirs = await call<Made>(clerk, 'cases.create', { orderNo: 'PDD-B1', ...CASE });
    expect(theirs.status).toBe(200);
    const mineId = mine.body.value.case.id;
    const theirsId = theirs.body.value.case.id;

    // another shop's order, or one never seen (she cannot create orders): the same 404
    for (const orderNo of ['PDD-B1', 'PDD-NEW'])
      expect(refusal(await call(clerkA, 'cases.create', { orderNo, ...CASE }))).toEqual([404, 'no-such-order']);

    // the list and its count hold her shop's case only; an unlimited clerk sees both
    type Page = { items: { id: string }[]; total: number };
    const list = (await call<Page>(clerkA, 'cases.list', {})).body.value;
    expect([list.items.map((c) => c.id), list.total]).toEqual([[mineId], 1]);
    expect((await call<Page>(clerk, 'cases.list', {})).body.value.total).toBe(2);

    // by id: another shop's case, file or order is refused exactly like one that does not exist
    const same = async (name: string, theirsInput: object, noneInput: object) => {
      const x = refusal(await call(clerkA, name, theirsInput));
      expect(x, name).toEqual(refusal(await call(clerk, name, noneInput)));
      expect(x[0], name).toBe(404);
    };
    await same('cases.get', { id: theirsId }, { id: NO_SUCH });
    await same('packets.list', { caseId: theirsId }, { caseId: NO_SUCH });
    await same('checks.forEvidence', { evidenceId: b.video.id }, { evidenceId: NO_SUCH });
    await same('checks.run', { evidenceId: b.video.id }, { evidenceId: NO_SUCH });
    expect(
      refusal(
        await call(clerkA, 'cases.link', { caseId: mineId, requirement: 'packing-video', evidenceId: b.video.id }),
      ),
    ).toEqual([404, 'no-such-evidence']);
    expect((await call(clerkA, 'cases.get', { id: mineId })).status).toBe(200);
    expect((await call(clerkA, 'checks.forEvidence', { evidenceId: a.video.id })).status).toBe(200);
    // what every shop shares stays refused
    for (const name of ['orders.import.mappings', 'orders.import.preview', 'orders.flags', 'checks.reevaluate'])
      expect(refusal(await call(clerkA, name, {})), name).toEqual([403, 'shop-limited']);

    // packets: hers exports; someone else's export is not in her jobs and cannot be cancelled
    expect(
      refusal(await call(clerkA, 'packets.export', { caseIds: [mineId, theirsId], allowIncomplete: true })),
    ).toEqual([404, 'no-such-case']);
    const started = await call<{ jobId: string }>(clerkA, 'packets.export', {
      caseIds: [mineId],
      allowIncomplete: true,
    });
    expect(started.status).toBe(200);
    const other = await call<{ jobId: string }>(clerk, 'packets.export', {
      caseIds: [theirsId],
      allowIncomplete: true,
    });
    const jobs = async (as: Fetcher) => (await call<{ id: string; status: string }[]>(as, 'jobs.list', {})).body.value;
    expect((await jobs(clerkA)).map((j) => j.id)).toEqual([started.body.value.jobId]);
    expect(refusal(await call(clerkA, 'jobs.cancel', { id: other.body.value.jobId }))).toEqual([404, 'no-such-job']);
    const ids = [started.body.value.jobId, other.body.value.jobId];
    for (let i = 0; i < 600; i++) {
      const ended = (await jobs(clerk)).filter((j) => ids.includes(j.id) && !['queued', 'running'].includes(j.status));
      if (ended.length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    type Packet = { id: string; zipMediaPath: string | null };
    const myPacket = (await call<Packet[]>(clerkA, 'packets.list', { caseId: mineId })).body.value[0]!;
    const theirPacket = (await call<Packet[]>(clerk, 'packets.list', { caseId: theirsId })).body.value[0]!;
    const zipUrl = (p: Packet) => `/staff/v1/files/${p.zipMediaPath!.split('/').map(encodeURIComponent).join('/')}`;
    expect((await clerkA(zipUrl(myPacket))).status).toBe(200);
    expect((await clerkA(zipUrl(theirPacket))).status).toBe(404);
    expect((await clerk(zipUrl(theirPacket))).status).toBe(200);
    expect(refusal(await call(clerkA, 'packets.verify', { packetId: theirPacket.id }))).toEqual([
      404,
      'no-such-packet',
    ]);

    // a share link to her packet, not to theirs
    const share = (packetId: string) =>
      clerkA('/staff/v1/shares', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ packetId, download: true }),
      });
    const made = await share(myPacket.id);
    expect(made.status, await made.clone().text()).toBe(201);
    expect((await share(theirPacket.id)).status).toBe(404);
  });
});

describe(`coverage and the dashboard of a clerk limited to shop A (${testEngine})`, () => {
  it('count her shop’s recordings and cases only; a lookup of another shop’s order finds nothing', async () => {
    const { hub, clerk, clerkA, call } = await setup();
    for (const [as, orderNo] of [
      [clerkA, 'PDD-A1'],
      [clerk, 'PDD-B1'],
    ] as const)
      expect((await call(as, 'cases.create', { orderNo, ...CASE })).status).toBe(200);
    // every file and case on T0's day, whatever day the test runs
    await hub.ctx.db.updateTable('evidence').set({ captured_at: T0.toISOString() }).execute();
    await hub.ctx.db.updateTable('cases').set({ created_at: T0.toISOString() }).execute();
    const range = { fromDay: '2026-12-03', toDay: '2026-12-05' };
    type Dash = { outcomes: { total: number }; compliance: { recordings: number; photos: number }[] };
    const dash = async (as: Fetcher) => (await call<Dash>(as, 'dashboard.report', range)).body.value;
    const sum = (d: Dash, k: 'recordings' | 'photos') => d.compliance.reduce((n, r) => n + r[k], 0);
    const [mine, all] = [await dash(clerkA), await dash(clerk)];
    expect([mine.outcomes.total, sum(mine, 'recordings'), sum(mine, 'photos')]).toEqual([1, 1, 1]);
    expect([all.outcomes.total, sum(all, 'recordings'), sum(all, 'photos')]).toEqual([2, 2, 2]);
    type Cov = { days: { recordings: number }[]; byStation: { station: string }[] };
    const cov = async (as: Fetcher) => (await call<Cov>(as, 'coverage.report', { ...range, limit: 100 })).body.value;
    const recordings = (c: Cov) => c.days.reduce((n, d) => n + d.recordings, 0);
    expect([recordings(await cov(clerkA)), (await cov(clerkA)).byStation.length]).toEqual([1, 1]);
    expect([recordings(await cov(clerk)), (await cov(clerk)).byStation.length]).toEqual([2, 2]);
    const lookup = async (as: Fetcher, code: string) =>
      (await call<unknown>(as, 'coverage.lookup', { code })).body.value;
    expect(await lookup(clerkA, 'PDD-B1')).toBeNull();
    expect(await lookup(clerk, 'PDD-B1')).toMatchObject({ orderNo: 'PDD-B1' });
    expect(await lookup(clerkA, 'PDD-A1')).toMatchObject({ orderNo: 'PDD-A1' });
  });
});
