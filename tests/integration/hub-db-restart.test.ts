import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore, type Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { joinHub } from '../../electron/core/hub/join-hub';
import { sha256File } from '../../electron/core/storage/files';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeVideo } from '../fixtures';
import { cli, listOnHub, startHub, stopHubs } from '../helpers/hub-process';
import { startOwnPostgres } from '../helpers/own-postgres';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await stopHubs();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function addFile(station: Core, orderNo: string) {
  const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
  const { evidence } = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: 'packing.mp4',
    source: { path: await makeVideo({ format: 'mp4' }) },
  });
  return evidence;
}

// the hub's own cluster is stopped and started: run once, in the PostgreSQL pass
describe.runIf(testEngine === 'postgres')(
  'hub faults: PostgreSQL restarted under a running hub',
  { timeout: 300_000 },
  () => {
    it('while the database is down the hub says so and the station keeps its files; after, the backlog goes once', async () => {
      const db = startOwnPostgres();
      cleanups.push(() => void db.stop());
      const hubDir = tmp();
      const stationDir = tmp();
      const { url, proc } = await startHub(hubDir, ['--db', db.url]);
      const { code } = JSON.parse(
        cli(['hub', 'pair', '--data-dir', hubDir, '--db', db.url, '--station', '打包台 7', '--json']).out,
      );
      const station = await createCore({ dataDir: stationDir, mode: 'cli' });
      cleanups.push(async () => {
        await station.close();
        await dropDatabasesOf([stationDir]);
      });
      await joinHub(station.ctx.db, { hubUrl: url, code });
      const before = await addFile(station, 'PDD-PG-1');
      expect(await syncNow(station.ctx.db, stationDir)).toMatchObject({ verified: 1, failed: 0, lastError: null });

      // the database goes away (a service restart, an upgrade) while the hub runs
      db.down();
      const during = await addFile(station, 'PDD-PG-2');
      const down = await syncNow(station.ctx.db, stationDir);
      expect(down).toMatchObject({ queued: 1, uploaded: 0, verified: 0, failed: 1 });
      expect(down.lastError).toMatch(/database is not answering.*keeps its files/);
      expect(await sha256File(path.join(stationDir, during.path))).toBe(during.sha256);
      expect(proc.exitCode).toBeNull(); // no hub process died of it

      // back on the same port: the hub's pool reconnects by itself, nothing restarts the hub
      db.up();
      expect(await syncNow(station.ctx.db, stationDir)).toEqual({
        queued: 0,
        uploaded: 1,
        verified: 1,
        failed: 0,
        lastError: null,
      });
      const listed = listOnHub(hubDir, ['--db', db.url]);
      expect(listed.map((o) => [o.orderNo, o.evidence.map((e) => e.sha256)]).sort()).toEqual([
        ['PDD-PG-1', [before.sha256]],
        ['PDD-PG-2', [during.sha256]],
      ]);
      for (const o of listed) expect(await sha256File(o.evidence[0].location)).toBe(o.evidence[0].sha256);
      const audit = cli(['audit', 'verify', '--data-dir', hubDir, '--db', db.url, '--json']);
      expect(audit.code, audit.out + audit.err).toBe(0);
    });
  },
);
