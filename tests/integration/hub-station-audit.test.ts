import { describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeVideo } from '../fixtures';
import { cliAsync } from '../helpers/hub-process';
import { useHubCores } from '../helpers/hub-cores';
import { testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');
const clock = () => T0;
const { core, serve } = useHubCores(tmp);

async function addFile(station: Core, orderNo: string) {
  const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
  await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: 'packing.mp4',
    source: { path: await makeVideo({ format: 'mp4' }) },
  });
}

const stationChain = (station: Core) =>
  station.ctx.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq').execute();
const hubCopy = (hub: Core, stationId: string) =>
  hub.ctx.db
    .selectFrom('hub_station_audit')
    .select(['seq', 'hash'])
    .where('station_id', '=', stationId)
    .orderBy('seq')
    .execute();

async function auditVerify(dir: string) {
  const r = await cliAsync(['audit', 'verify', '--data-dir', dir, '--json']);
  return {
    code: r.code,
    out: JSON.parse(r.out) as { ok: boolean; ownOk: boolean; stations: Record<string, unknown>[] },
  };
}

describe(`each station's audit chain on the hub (${testEngine})`, { timeout: 120_000 }, () => {
  it('arrives whole and in order, is verified by audit verify on the hub, and a change on either side is caught', async () => {
    const hub = await core();
    const server = await serve({ core: hub, clock });
    const station = await core();
    const { code } = await createPairingCode(hub.ctx.db, '打包台 1', T0);
    await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
    await addFile(station, 'PDD-AUDIT-1');
    await addFile(station, 'PDD-AUDIT-2');

    expect(await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock })).toMatchObject({ verified: 2 });
    const chain = await stationChain(station);
    expect(chain.length).toBeGreaterThan(3);
    const { audit_sent_seq } = await station.ctx.db
      .selectFrom('hub_link')
      .select('audit_sent_seq')
      .executeTakeFirstOrThrow();
    expect(audit_sent_seq).toBe(chain[chain.length - 1].seq);
    expect(await hubCopy(hub, station.ctx.db.stationId)).toEqual(chain);

    const intact = await auditVerify(hub.ctx.paths.root);
    expect(intact.code).toBe(0);
    expect(intact.out.stations).toEqual([
      expect.objectContaining({ stationName: '打包台 1', ok: true, entries: chain.length, brokenAt: null }),
    ]);

    // a station that forgot what it sent sends it all again: nothing changes on the hub
    await station.ctx.db.updateTable('hub_link').set({ audit_sent_seq: 0 }).execute();
    await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(await hubCopy(hub, station.ctx.db.stationId)).toEqual(chain);

    // an entry the hub already has, sent with other content: the hub keeps its copy and says so
    const { credential } = await station.ctx.db.selectFrom('hub_link').select('credential').executeTakeFirstOrThrow();
    const [first] = await station.ctx.db.selectFrom('audit_log').selectAll().where('seq', '=', 1).execute();
    const put = (entries: unknown[]) =>
      fetch(new URL('hub/v1/audit', server.url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
        body: JSON.stringify({ entries }),
      }).then((r) => r.json());
    const entry = {
      seq: 1,
      at: first.at,
      actor: first.actor,
      action: first.action,
      entity: first.entity,
      entityId: first.entity_id,
      details: '{"edited":true}',
      prevHash: first.prev_hash,
      hash: 'f'.repeat(64),
    };
    expect(await put([entry])).toEqual({ lastSeq: chain.length });
    expect(await hubCopy(hub, station.ctx.db.stationId)).toEqual(chain);
    const flagged = await hub.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'hub.station-audit-changed')
      .execute();
    expect(flagged).toEqual([{ action: 'hub.station-audit-changed', details: JSON.stringify({ seqs: [1] }) }]);
    // one out of order (a gap) is not kept: the answer says where to resume
    expect(await put([{ ...entry, seq: chain.length + 5 }])).toEqual({ lastSeq: chain.length });

    // an entry changed on the hub afterwards: audit verify there names the station and where
    await hub.ctx.db
      .updateTable('hub_station_audit')
      .set({ details: '{"tampered":true}' })
      .where('station_id', '=', station.ctx.db.stationId)
      .where('seq', '=', 2)
      .execute();
    const broken = await auditVerify(hub.ctx.paths.root);
    expect(broken.code).toBe(1);
    expect(broken.out.ownOk).toBe(true);
    expect(broken.out.stations).toEqual([
      expect.objectContaining({ stationName: '打包台 1', ok: false, brokenAt: 2, reason: 'entry-edited' }),
    ]);
  });
});
