import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { createPairingCode, listHubStations } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { syncStatusOf } from '../../electron/core/sync/sync-status';
import { makeVideo } from '../fixtures';
import { useHubCores } from '../helpers/hub-cores';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
/** the hub's clock throughout; each station pass brings its own */
const T0 = new Date('2026-11-20T08:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => () => new Date(T0.getTime() + ms);

const { core, serve } = useHubCores(tmp);

async function hubWithStation(stationNow: Date) {
  const hub = await core();
  const server = await serve({ core: hub, clock: () => T0 });
  const station = await core();
  const { code } = await createPairingCode(hub.ctx.db, '打包台 3', T0);
  await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: stationNow });
  return { hub, server, station };
}

async function addFile(station: Core, orderNo: string) {
  const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
  const file = await makeVideo({ format: 'mp4' });
  await importEvidence(station.ctx, { orderId: order.id, originalName: path.basename(file), source: { path: file } });
}

const clockAudits = async (hub: Core) =>
  (await hub.ctx.db.selectFrom('audit_log').select('action').orderBy('seq').execute())
    .map((a) => a.action)
    .filter((a) => a.startsWith('hub.station-clock'));

describe(`station status on the hub and at the station (${testEngine})`, () => {
  it('each pass reports queue, free disk and version; the hub lists the station online with them', async () => {
    const { hub, station } = await hubWithStation(T0);
    expect((await listHubStations(hub.ctx.db, T0))[0]).toMatchObject({ online: false, status: null });
    await addFile(station, 'ORDER-1');
    await syncNow(station.ctx.db, station.ctx.paths.root, { now: at(0) });
    const [row] = await listHubStations(hub.ctx.db, T0);
    expect(row).toMatchObject({ name: '打包台 3', online: true, lastSeenAt: T0.toISOString() });
    expect(row.status).toMatchObject({ at: T0.toISOString(), queued: 0, queuedBytes: 0, failed: 0, clockSkewMs: 0 });
    expect(row.status!.lastError).toBeNull();
    expect(row.status!.freeBytes).toBeGreaterThan(0);
    expect(row.status!.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    // four minutes without a call: offline, the last report kept
    expect((await listHubStations(hub.ctx.db, new Date(T0.getTime() + 4 * 60_000)))[0]).toMatchObject({
      online: false,
      status: { queued: 0 },
    });
    expect(await syncStatusOf(station.ctx.db)).toMatchObject({
      linked: true,
      lastContactAt: T0.toISOString(),
      clockSkewMs: 0,
      lastError: null,
    });
  });

  it('a station clock hours off is measured at pairing, shown on both sides and audited once per change', async () => {
    const ahead = 3 * HOUR;
    const { hub, station } = await hubWithStation(new Date(T0.getTime() + ahead));
    // the hub stamped the pairing with its clock: the station knows before its first sync
    expect((await syncStatusOf(station.ctx.db)).clockSkewMs).toBe(ahead);
    for (const n of [1, 2]) {
      await addFile(station, `ORDER-${n}`);
      await syncNow(station.ctx.db, station.ctx.paths.root, { now: at(ahead) });
    }
    expect((await listHubStations(hub.ctx.db, T0))[0].status?.clockSkewMs).toBe(ahead);
    expect(await clockAudits(hub)).toEqual(['hub.station-clock-off']);
    // staff set the time right: the next report clears it, once
    await addFile(station, 'ORDER-3');
    await syncNow(station.ctx.db, station.ctx.paths.root, { now: at(5_000) });
    expect((await listHubStations(hub.ctx.db, T0))[0].status?.clockSkewMs).toBe(5_000);
    expect(await clockAudits(hub)).toEqual(['hub.station-clock-off', 'hub.station-clock-ok']);
    expect((await syncStatusOf(station.ctx.db)).clockSkewMs).toBe(5_000);
    expect((await verifyAudit(hub.ctx.db)).ok).toBe(true);
  });

  it('an idle station reports once a minute; with the hub down it says why, and clears it once back', async () => {
    const { hub, server, station } = await hubWithStation(T0);
    const seen = async () => (await listHubStations(hub.ctx.db, T0))[0].status?.at ?? null;
    const loopPass = (ms: number) =>
      // as the background loop calls it
      syncNow(station.ctx.db, station.ctx.paths.root, { now: at(ms), quietWhenIdle: true });
    await loopPass(0); // nothing to send, and pairing was the contact
    expect(await seen()).toBeNull();
    await loopPass(61_000);
    expect(await seen()).toBe(T0.toISOString());
    await loopPass(62_000); // reported a second ago: quiet
    const skew = async () => (await listHubStations(hub.ctx.db, T0))[0].status?.clockSkewMs;
    expect(await skew()).toBe(61_000);
    await syncNow(station.ctx.db, station.ctx.paths.root, { now: at(63_000) }); // "sync now" always reports
    expect(await skew()).toBe(63_000);

    const port = server.port;
    await server.close();
    const down = await loopPass(130_000);
    expect(down).toMatchObject({ queued: 0, failed: 0 });
    expect(down.lastError).toMatch(/unreachable/);
    const waiting = await syncStatusOf(station.ctx.db);
    expect(waiting.lastError).toMatch(/unreachable/);
    expect(waiting.lastContactAt).toBe(new Date(T0.getTime() + 63_000).toISOString());

    await serve({ core: hub, port, clock: () => T0 });
    const back = await loopPass(140_000); // the last report failed: due at once
    expect(back.lastError).toBeNull();
    expect(await syncStatusOf(station.ctx.db)).toMatchObject({ lastError: null, clockSkewMs: 140_000 });
  });
});
