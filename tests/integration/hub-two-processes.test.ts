import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore } from '../../electron/core/core';
import { dropTestDatabases, ensureTestDatabase, testDatabaseName } from '../../electron/core/db/postgres/test-database';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeLargeVideo } from '../fixtures';
import { cli, cliAsync, killHub, startHub, stopHubs } from '../helpers/hub-process';
import { startRoundRobin } from '../helpers/round-robin';
import { hashAtLocation, keysIn, startTestS3 } from '../helpers/s3-server';
import { dropDatabasesOf } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const base = process.env.PROOFPACK_TEST_PG;
const tmp = useTempDirs();
const dirs: string[] = [];
const sharedName = `hub-pair-${process.pid}`;
afterEach(async () => {
  await stopHubs();
  await dropDatabasesOf(dirs.splice(0));
  if (base) await dropTestDatabases(base, [testDatabaseName(sharedName)]);
});
const MiB = 1024 * 1024;

// scale-out: PostgreSQL and S3 shared, nothing on either hub's own disk
describe.skipIf(!base || !!process.env.PROOFPACK_TEST_S3)(
  'two hub processes on one PostgreSQL and one S3 store, behind a round-robin load balancer',
  { timeout: 300_000 },
  () => {
    it('serve the same station request by request; one killed mid-upload, the other finishes it: one copy, verified', async () => {
      const s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-two-')));
      const lb = { close: async () => undefined } as { close(): Promise<void> };
      try {
        const db = await ensureTestDatabase(base!, sharedName);
        const [dirA, dirB, stationDir] = [tmp(), tmp(), tmp()];
        dirs.push(dirA, dirB, stationDir);
        const flags = ['--db', db, '--media', `s3://${s3.bucket}/warehouse`];
        const a = await startHub(dirA, flags, s3.env);
        const b = await startHub(dirB, flags, s3.env);
        const ports = [a, b].map((h) => Number(new URL(h.url).port));
        // bodies at 8 MB/s: long enough to stop a process while bytes flow
        const rr = await startRoundRobin(ports, 8 * MiB);
        lb.close = rr.close;

        // paired on one process's command line, through the balancer
        const { code } = JSON.parse(
          cli(['hub', 'pair', '--data-dir', dirA, '--db', db, '--station', '打包台 1', '--json']).out,
        ) as { code: string };
        const station = await createCore({ dataDir: stationDir, mode: 'cli' });
        try {
          await joinHub(station.ctx.db, { hubUrl: `http://127.0.0.1:${rr.port}/`, code });
          const order = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-TWO-HUBS', null);
          const big = await makeLargeVideo({ minBytes: 24 * MiB, width: 640, height: 360 });
          const { evidence } = await importEvidence(station.ctx, {
            orderId: order.id,
            originalName: 'packing.mp4',
            source: { path: big },
          });

          // the upload is under way on one process once 10 MB passed to it: that one is killed
          const pass = syncNow(station.ctx.db, station.ctx.paths.root);
          let carrying: number | undefined;
          for (let i = 0; i < 600 && carrying === undefined; i++) {
            carrying = ports.find((p) => (rr.bodyBytes.get(p) ?? 0) > 10 * MiB);
            if (carrying === undefined) await sleep(50);
          }
          expect(carrying).toBeDefined();
          expect(killHub(carrying === ports[0] ? a.proc : b.proc)).toBe(true);
          await pass.catch(() => undefined);

          // the station goes on through the balancer: the other process finishes the same upload
          let summary = await syncNow(station.ctx.db, station.ctx.paths.root);
          for (let i = 0; i < 20 && summary.queued > 0; i++) {
            await sleep(500);
            summary = await syncNow(station.ctx.db, station.ctx.paths.root);
          }
          expect(summary).toMatchObject({ queued: 0, failed: 0 });
          const other = carrying === ports[0] ? ports[1] : ports[0];
          expect(rr.served.get(other)).toBeGreaterThan(2);

          const survivor = carrying === ports[0] ? dirB : dirA;
          const listed = JSON.parse((await cliAsync(['list', '--data-dir', survivor, '--db', db, '--json'])).out) as {
            orderNo: string;
            evidence: { id: string; location: string; sha256: string; status: string }[];
          }[];
          const files = listed.flatMap((o) => o.evidence);
          expect(files.map((f) => [f.id, f.status])).toEqual([[evidence.id, 'verified']]);
          expect(await hashAtLocation(files[0].location, s3)).toBe(evidence.sha256);
          expect((await keysIn(s3)).filter((k) => k.includes('.incoming'))).toEqual([]);
          const audit = await cliAsync(['audit', 'verify', '--data-dir', survivor, '--db', db, '--json']);
          expect(audit.code, audit.err).toBe(0);
        } finally {
          await station.close();
        }
      } finally {
        await lb.close();
        await stopHubs();
        await s3.close();
      }
    });
  },
);
