import { describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { receiveStationRecords, stationRows } from '../../electron/core/hub/station-records';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { sendRecords } from '../../electron/core/sync/record-outbox';
import { syncNow } from '../../electron/core/sync/station-sync';
import { SYNCED_TABLES } from '../../shared/hub/records';
import type { Evidence, RecordingSession } from '../../shared/domain/types';
import { cliAsync } from '../helpers/hub-process';
import { useHubCores } from '../helpers/hub-cores';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');
const clock = () => T0;
const { core, serve } = useHubCores(tmp);

/** A real recording through the contract, with a chapter and a serial scan mid-way. */
async function record(station: Core, code: string) {
  const { chunks } = recorderLikeStream(tmp(), 2, { width: 320, height: 240 });
  const session = (await station.handlers['capture.start']({
    code,
    mode: 'outbound',
    mime: 'video/mp4;codecs=avc1',
  })) as RecordingSession;
  for (const [seq, data] of chunks.entries()) {
    await station.handlers['capture.chunk']({ recordingId: session.id, seq, data });
    if (seq === 0) {
      await station.handlers['capture.mark']({ recordingId: session.id, step: 'sealed', atMs: 400 });
      await station.handlers['serials.scan']({ recordingId: session.id, code: 'SN-0042-REC', atMs: 600 });
    }
  }
  return (await station.handlers['capture.stop']({ recordingId: session.id })) as Evidence;
}

async function checksSettled(station: Core) {
  for (let i = 0; i < 600; i++) {
    const pending = await station.ctx.db
      .selectFrom('evidence')
      .select('id')
      .where('check_state', '=', 'pending')
      .execute();
    if (!pending.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('checks did not finish');
}

/** every synced row at the station, and the hub's copy of that station's rows, table by table */
async function bothSides(station: Core, hub: Core) {
  const at: Record<string, unknown[]> = {};
  const onHub: Record<string, unknown[]> = {};
  for (const t of SYNCED_TABLES) {
    at[t] = await station.ctx.db
      .selectFrom(t as 'orders')
      .selectAll()
      .orderBy('id')
      .execute();
    onHub[t] = (await stationRows(hub.ctx.db, t))
      .filter((r) => r.stationId === station.ctx.db.stationId)
      .map(({ stationId: _, ...row }) => row);
  }
  return { at: JSON.parse(JSON.stringify(at)) as typeof at, onHub };
}

const sync = (station: Core) => syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
const dirtyCount = async (station: Core) =>
  (await station.ctx.db.selectFrom('sync_dirty').select('tbl').execute()).length;

describe(
  `a station's records on the hub: orders, recordings, chapters, serial scans, checks (${testEngine})`,
  {
    timeout: 120_000,
  },
  () => {
    it('arrive as they stand at the station, follow changes and deletions, and sending again changes nothing', async () => {
      const hub = await core();
      const server = await serve({ core: hub, clock });
      const station = await core();
      const { code } = await createPairingCode(hub.ctx.db, '打包台 1', T0);
      await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });

      const video = await record(station, 'PDD-REC-0001');
      const waiting = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-REC-NOFILE', null);
      await checksSettled(station);
      expect(await dirtyCount(station)).toBeGreaterThan(4);

      expect(await sync(station)).toMatchObject({ verified: 1, failed: 0, lastError: null });
      expect(await dirtyCount(station)).toBe(0);
      const first = await bothSides(station, hub);
      for (const t of SYNCED_TABLES) expect(first.onHub[t], t).toEqual(first.at[t]);
      for (const t of ['orders', 'recordings', 'chapters', 'serial_scans', 'evidence_checks'])
        expect(first.onHub[t].length, t).toBeGreaterThan(0);

      // the hub's list has the order with no file yet, and the station's check of the video
      const listed = async () =>
        JSON.parse((await cliAsync(['list', '--data-dir', hub.ctx.paths.root, '--json'])).out) as {
          orderNo: string;
          trackingNo: string | null;
          evidence: { id: string; check: string }[];
        }[];
      let list = await listed();
      expect(list.find((o) => o.orderNo === 'PDD-REC-NOFILE')).toMatchObject({ evidence: [] });
      const file = list.find((o) => o.orderNo === 'PDD-REC-0001')?.evidence.find((e) => e.id === video.id);
      expect(file?.check).toBe(
        (
          await station.ctx.db
            .selectFrom('evidence')
            .select('check_state')
            .where('id', '=', video.id)
            .executeTakeFirstOrThrow()
        ).check_state,
      );

      // changed and deleted at the station: the next pass brings both
      await station.ctx.db
        .updateTable('orders')
        .set({ tracking_no: 'YT9000000001' })
        .where('id', '=', waiting.id)
        .execute();
      await station.ctx.db.deleteFrom('chapters').execute();
      expect(await sync(station)).toMatchObject({ failed: 0, lastError: null });
      const second = await bothSides(station, hub);
      for (const t of SYNCED_TABLES) expect(second.onHub[t], t).toEqual(second.at[t]);
      expect(second.onHub.chapters).toEqual([]);
      const gone = await hub.ctx.db
        .selectFrom('hub_station_records')
        .select('data')
        .where('tbl', '=', 'chapters')
        .execute();
      expect(gone.length).toBeGreaterThan(0);
      expect(gone.every((r) => r.data === null)).toBe(true);
      list = await listed();
      expect(list.find((o) => o.orderNo === 'PDD-REC-NOFILE')?.trackingNo).toBe('YT9000000001');

      // sending everything again (as after pairing again) leaves the hub's copy as it was
      const snapshot = () =>
        hub.ctx.db
          .selectFrom('hub_station_records')
          .select(['tbl', 'row_key', 'data'])
          .orderBy('tbl')
          .orderBy('row_key')
          .execute();
      const before = await snapshot();
      await station.ctx.db
        .insertInto('sync_dirty')
        .columns(['tbl', 'row_key', 'gen'])
        .expression((eb) => eb.selectFrom('orders').select([eb.val('orders').as('tbl'), 'id', eb.val(1).as('gen')]))
        .execute();
      await sync(station);
      expect(await snapshot()).toEqual(before);
    });

    it('a station paired late sends its backlog; a row changed while on its way is sent again', async () => {
      const hub = await core();
      const server = await serve({ core: hub, clock });
      const station = await core();
      const orders: { id: string }[] = [];
      for (let i = 0; i < 3; i++) orders.push(await findOrCreateOrderByNumber(station.ctx.db, `PDD-LATE-${i}`, null));
      expect(await dirtyCount(station)).toBe(0); // not paired: nothing kept for a hub

      const { code } = await createPairingCode(hub.ctx.db, '打包台 2', T0);
      await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
      expect(await dirtyCount(station)).toBe(3);

      // the first batch is on its way (straight to the hub's store) when the station changes one of its rows
      const sent: string[][] = [];
      await sendRecords(station.ctx.db, async (batch) => {
        sent.push(batch.records.map((r) => r.key));
        await receiveStationRecords(hub.ctx.db, { id: station.ctx.db.stationId }, batch.records, T0);
        if (sent.length === 1)
          await station.ctx.db
            .updateTable('orders')
            .set({ tracking_no: 'YT-CHANGED' })
            .where('id', '=', orders[1].id)
            .execute();
      });
      expect(sent).toEqual([orders.map((o) => o.id).sort()]);
      expect(await station.ctx.db.selectFrom('sync_dirty').select('row_key').execute()).toEqual([
        { row_key: orders[1].id },
      ]);

      await sync(station);
      expect(await dirtyCount(station)).toBe(0);
      const onHub = await stationRows<{ id: string; tracking_no: string | null }>(hub.ctx.db, 'orders');
      expect(onHub.map((o) => o.id).sort()).toEqual(orders.map((o) => o.id).sort());
      expect(onHub.find((o) => o.id === orders[1].id)?.tracking_no).toBe('YT-CHANGED');
    });
  },
);
