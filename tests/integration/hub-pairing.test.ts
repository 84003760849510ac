import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import type { Core } from '../../electron/core/core';
import { createPairingCode, listHubStations, revokeHubStation } from '../../electron/core/hub/hub-stations';
import { hubLinkOf, joinHub } from '../../electron/core/hub/join-hub';
import { useHubCores } from '../helpers/hub-cores';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');

/** A hub (a core in CLI mode behind the hub server on 127.0.0.1) and stations, each its own data folder and database. */
const { core, serve } = useHubCores(tmp);

async function hubAt(clock: { now: Date }) {
  const hub = await core();
  const server = await serve({ core: hub, clock: () => clock.now });
  return { hub, server, url: server.url };
}

const credentialOf = async (station: Core) =>
  (await station.ctx.db.selectFrom('hub_link').select('credential').executeTakeFirstOrThrow()).credential;

const hello = (url: string, credential: string | null) =>
  fetch(new URL('hub/v1/hello', url), { headers: credential ? { authorization: `Bearer ${credential}` } : {} });

describe(`pairing stations with a hub (${testEngine})`, () => {
  it('a code pairs a station once; its credential then identifies it; codes are case- and dash-insensitive', async () => {
    const clock = { now: T0 };
    const { hub, url } = await hubAt(clock);
    const station = await core();
    const { code, expiresAt } = await createPairingCode(hub.ctx.db, '  打包台 1 ', T0);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(expiresAt).toBe('2026-11-20T08:10:00.000Z');

    clock.now = new Date(T0.getTime() + 60_000);
    const link = await joinHub(station.ctx.db, {
      hubUrl: url.replace(/\/$/, ''),
      code: ` ${code.replace('-', '').toLowerCase()} `,
    });
    expect(link).toEqual({
      hubUrl: url,
      hubId: hub.ctx.db.stationId,
      stationName: '打包台 1',
      pairedAt: clock.now.toISOString(),
      fingerprint: null, // plain HTTP: nothing pinned
    });
    expect(await hubLinkOf(station.ctx.db)).toEqual(link);

    const res = await hello(url, await credentialOf(station));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      hubId: hub.ctx.db.stationId,
      stationId: station.ctx.db.stationId,
      stationName: '打包台 1',
    });
    const [row] = await listHubStations(hub.ctx.db);
    expect(row).toMatchObject({
      id: station.ctx.db.stationId,
      name: '打包台 1',
      lastSeenAt: clock.now.toISOString(),
      revokedAt: null,
    });

    // the same code a second time, from another station: refused, nothing changes
    const other = await core();
    await expect(joinHub(other.ctx.db, { hubUrl: url, code })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      details: { problem: 'hub-pairing-code' },
    });
    expect(await hubLinkOf(other.ctx.db)).toBeNull();
    expect(await listHubStations(hub.ctx.db)).toHaveLength(1);
    expect((await verifyAudit(hub.ctx.db)).ok).toBe(true);
    expect((await verifyAudit(station.ctx.db)).ok).toBe(true);
  });

  it('an expired code is refused; a revoked station is refused until paired again with a new code', async () => {
    const clock = { now: T0 };
    const { hub, url } = await hubAt(clock);
    const station = await core();
    const late = await createPairingCode(hub.ctx.db, 'S1', T0);
    clock.now = new Date(T0.getTime() + 10 * 60_000);
    await expect(joinHub(station.ctx.db, { hubUrl: url, code: late.code })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    const fresh = await createPairingCode(hub.ctx.db, 'S1', clock.now);
    await joinHub(station.ctx.db, { hubUrl: url, code: fresh.code });
    const first = await credentialOf(station);
    expect(await revokeHubStation(hub.ctx.db, 'S1', clock.now)).toBe(1);
    const refused = await hello(url, first);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.problem).toBe('hub-station-revoked');

    const again = await createPairingCode(hub.ctx.db, 'S1', clock.now);
    await joinHub(station.ctx.db, { hubUrl: url, code: again.code });
    expect((await hello(url, await credentialOf(station))).status).toBe(200);
    expect((await hello(url, first)).status).toBe(401); // the old credential stays dead
    const actions = await hub.ctx.db.selectFrom('audit_log').select('action').orderBy('seq').execute();
    expect(actions.map((a) => a.action).filter((a) => a.startsWith('hub.station'))).toEqual([
      'hub.station-paired',
      'hub.station-revoked',
      'hub.station-repaired',
    ]);
    expect((await verifyAudit(hub.ctx.db)).ok).toBe(true);
  });

  it('two stations racing with one code: exactly one is paired', async () => {
    const { hub, url } = await hubAt({ now: T0 });
    const [a, b] = [await core(), await core()];
    const { code } = await createPairingCode(hub.ctx.db, 'S1', T0);
    const results = await Promise.allSettled([a, b].map((s) => joinHub(s.ctx.db, { hubUrl: url, code })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await listHubStations(hub.ctx.db)).toHaveLength(1);
    expect((await verifyAudit(hub.ctx.db)).ok).toBe(true);
  });

  it('bad requests get clear answers and change nothing', async () => {
    const { hub, url } = await hubAt({ now: T0 });
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(new URL('hub/v1/pair', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ code: 'ABCD-EFGH', stationId: '../../etc' }))).status).toBe(400);
    expect((await post(JSON.stringify({ code: 'ABCD-EFGH', stationId: crypto.randomUUID() }))).status).toBe(401);
    expect((await post('{}', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await hello(url, null)).status).toBe(401);
    expect((await hello(url, 'pps_forged')).status).toBe(401);
    // without a credential every call but pair is refused, known or not: nothing to probe
    expect((await fetch(new URL('hub/v1/nothing', url))).status).toBe(401);
    expect(await listHubStations(hub.ctx.db)).toEqual([]);

    const station = await core();
    await expect(joinHub(station.ctx.db, { hubUrl: 'ftp://hub/', code: 'X' })).rejects.toMatchObject({
      details: { problem: 'hub-url' },
    });
    await expect(joinHub(station.ctx.db, { hubUrl: 'http://user:pw@127.0.0.1/', code: 'X' })).rejects.toMatchObject({
      details: { problem: 'hub-url' },
    });
    // something that is not a hub answers: the station says so and keeps no link
    await expect(
      joinHub(
        station.ctx.db,
        { hubUrl: url, code: 'ABCD-EFGH' },
        { fetch: async () => new Response('<html>', { status: 200 }) },
      ),
    ).rejects.toMatchObject({ code: 'HUB_UNREACHABLE', details: { problem: 'hub-not-a-hub' } });
    expect(await hubLinkOf(station.ctx.db)).toBeNull();
  });
});
