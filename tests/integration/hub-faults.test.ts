import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { joinHub } from '../../electron/core/hub/join-hub';
import { sha256File } from '../../electron/core/storage/files';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeLargeVideo } from '../fixtures';
import { spawn } from 'node:child_process';
import { cli, cliAsync, killHub, listOnHub, startHub, stopHubs } from '../helpers/hub-process';
import { startSlowLink } from '../helpers/slow-link';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const dirs: string[] = [];
afterEach(async () => {
  await stopHubs();
  await dropDatabasesOf(dirs.splice(0));
});

const MiB = 1024 * 1024;

describe(`hub faults: nothing lost, nothing doubled (${testEngine})`, { timeout: 300_000 }, () => {
  it('the hub process killed mid-upload: the station keeps the file and resumes from the hub’s last byte', async () => {
    const hubDir = tmp();
    const stationDir = tmp();
    dirs.push(hubDir, stationDir);
    const { url, proc } = await startHub(hubDir);
    const { code } = JSON.parse(cli(['hub', 'pair', '--data-dir', hubDir, '--station', 'Packing 9', '--json']).out);
    const hubPort = Number(new URL(url).port);
    // the station reaches the hub over a 10 MB/s link, so the upload takes long enough to cut
    const link = await startSlowLink(hubPort, 10 * MiB);
    const station = await createCore({ dataDir: stationDir, mode: 'cli' });
    try {
      await joinHub(station.ctx.db, { hubUrl: `http://127.0.0.1:${link.port}/`, code });
      const order = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-KILL-1', null);
      const big = await makeLargeVideo({ minBytes: 20 * MiB, width: 640, height: 360 });
      const { evidence } = await importEvidence(station.ctx, {
        orderId: order.id,
        originalName: 'packing.mp4',
        source: { path: big },
      });

      // kill -9 the hub a few MB into the upload: no orderly close of anything
      const died = new Promise((r) => proc.once('exit', r));
      let killed = false;
      const cut = await syncNow(station.ctx.db, stationDir, {
        onProgress: (sent) => {
          if (!killed && sent > 4 * MiB) killed = killHub(proc);
        },
      });
      await died;
      expect(killed).toBe(true);
      expect(cut).toMatchObject({ queued: 1, uploaded: 0, verified: 0, failed: 1 });
      expect(cut.lastError).toMatch(/./);
      expect(await sha256File(path.join(stationDir, evidence.path))).toBe(evidence.sha256); // kept, untouched
      const [waiting] = await station.ctx.db.selectFrom('sync_outbox').selectAll().execute();
      expect(waiting).toMatchObject({ state: 'failed', verified_at: null });
      expect(waiting.upload_url).toBeTruthy();

      // the hub restarts on the same address; how far did it get before it died?
      await startHub(hubDir, [], {}, hubPort);
      const { credential } = await station.ctx.db.selectFrom('hub_link').select('credential').executeTakeFirstOrThrow();
      const head = await fetch(waiting.upload_url!, {
        method: 'HEAD',
        headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${credential}` },
      });
      const offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThan(evidence.bytes);

      const progress: number[] = [];
      const done = await syncNow(station.ctx.db, stationDir, { onProgress: (sent) => progress.push(sent) });
      expect(done).toEqual({ queued: 0, uploaded: 1, verified: 1, failed: 0, lastError: null });
      expect(Math.min(...progress)).toBeGreaterThanOrEqual(offset); // resumed, not sent again from zero

      // one record, one file, the station's hash; no upload left behind
      const listed = listOnHub(hubDir);
      expect(listed.map((o) => [o.orderNo, o.evidence.length])).toEqual([['PDD-KILL-1', 1]]);
      expect(listed[0].evidence[0].sha256).toBe(evidence.sha256);
      expect(await sha256File(listed[0].evidence[0].location)).toBe(evidence.sha256);
      expect(fs.readdirSync(path.join(hubDir, 'hub-media', '.incoming'))).toEqual([]);
    } finally {
      await station.close();
      await link.close();
    }
  });

  it('the station killed mid-upload: after a restart it resumes, and the hub keeps one copy', async () => {
    const hubDir = tmp();
    const stationDir = tmp();
    dirs.push(hubDir, stationDir);
    const { url } = await startHub(hubDir);
    const { code } = JSON.parse(cli(['hub', 'pair', '--data-dir', hubDir, '--station', 'Packing 10', '--json']).out);
    const link = await startSlowLink(Number(new URL(url).port), 10 * MiB);
    try {
      const station = await createCore({ dataDir: stationDir, mode: 'cli' });
      let evidence;
      try {
        await joinHub(station.ctx.db, { hubUrl: `http://127.0.0.1:${link.port}/`, code });
        const order = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-KILL-2', null);
        const big = await makeLargeVideo({ minBytes: 20 * MiB, width: 640, height: 360 });
        ({ evidence } = await importEvidence(station.ctx, {
          orderId: order.id,
          originalName: 'packing.mp4',
          source: { path: big },
        }));
      } finally {
        await station.close(); // the CLI below takes the data folder
      }

      // `proofpack sync` as its own process, killed -9 once the hub holds a few MB of the file
      const incoming = path.join(hubDir, 'hub-media', '.incoming');
      const held = () =>
        fs.existsSync(incoming)
          ? fs
              .readdirSync(incoming)
              .filter((n) => !n.endsWith('.json'))
              .reduce((sum, n) => sum + fs.statSync(path.join(incoming, n)).size, 0)
          : 0;
      const proc = spawn(
        process.execPath,
        [path.resolve('bin/proofpack.mjs'), 'sync', '--data-dir', stationDir, '--json'],
        {
          detached: true,
          stdio: 'ignore',
        },
      );
      const exited = new Promise((r) => proc.once('exit', r));
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (held() > 4 * MiB) {
            clearInterval(timer);
            resolve();
          } else if (proc.exitCode !== null) {
            clearInterval(timer);
            reject(new Error('sync ended before it could be killed'));
          }
        }, 20);
      });
      process.kill(-proc.pid!, 'SIGKILL');
      await exited;
      const cutAt = held();
      expect(cutAt).toBeLessThan(evidence.bytes);

      // the station starts again: the next sync continues the same upload and finishes it
      const r = await cliAsync(['sync', '--data-dir', stationDir, '--wait', '120', '--json']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ queued: 0, verified: 1, failed: 0, lastError: null });
      const listed = listOnHub(hubDir);
      expect(listed.map((o) => [o.orderNo, o.evidence.length])).toEqual([['PDD-KILL-2', 1]]);
      expect(await sha256File(listed[0].evidence[0].location)).toBe(evidence.sha256);
      expect(fs.readdirSync(incoming)).toEqual([]); // the cut upload was finished, not left beside a new one
    } finally {
      await link.close();
    }
  });
});
