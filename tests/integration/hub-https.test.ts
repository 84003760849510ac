import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { hubTlsDir } from '../../electron/core/hub/hub-tls';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeVideo } from '../fixtures';
import { cli, cliAsync, listOnHub, startHub, stopHubs } from '../helpers/hub-process';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const dirs: string[] = [];
afterEach(async () => {
  await stopHubs();
  await dropDatabasesOf(dirs.splice(0));
});

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

describe(`HTTPS hub: a self-signed certificate pinned at pairing (${testEngine})`, { timeout: 300_000 }, () => {
  it('pairs over HTTPS, syncs, and refuses a hub with another certificate at the same address', async () => {
    const hubDir = tmp();
    const stationDir = tmp();
    dirs.push(hubDir, stationDir);
    const { url } = await startHub(hubDir, ['--https']);
    expect(url).toMatch(/^https:\/\//);
    const pair = () => JSON.parse(cli(['hub', 'pair', '--data-dir', hubDir, '--station', '打包台 3', '--json']).out);
    const first = pair();
    expect(first.fingerprint).toMatch(FINGERPRINT);

    // a fingerprint read wrong: refused before the code is even sent, so the code still works
    const wrong = first.fingerprint.replace(/^../, first.fingerprint.startsWith('00') ? '11' : '00');
    const refused = await cliAsync([
      'join',
      url,
      '--code',
      first.code,
      '--fingerprint',
      wrong,
      '--data-dir',
      stationDir,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`presents a certificate with fingerprint ${first.fingerprint}, not ${wrong}`);
    // typed as staff copy it: lower case, no colons
    const typed = first.fingerprint.replace(/:/g, '').toLowerCase();
    const joined = await cliAsync([
      'join',
      url,
      '--code',
      first.code,
      '--fingerprint',
      typed,
      '--data-dir',
      stationDir,
      '--json',
    ]);
    expect(joined.code, joined.err).toBe(0);
    expect(JSON.parse(joined.out)).toMatchObject({
      hubUrl: url,
      stationName: '打包台 3',
      fingerprint: first.fingerprint,
    });

    const station = await createCore({ dataDir: stationDir, mode: 'cli' });
    try {
      const add = async (orderNo: string) => {
        const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
        return (
          await importEvidence(station.ctx, {
            orderId: order.id,
            originalName: 'packing.mp4',
            source: { path: await makeVideo({ format: 'mp4' }) },
          })
        ).evidence;
      };
      const sent = await add('PDD-TLS-1');
      expect(await syncNow(station.ctx.db, stationDir)).toEqual({
        queued: 0,
        uploaded: 1,
        verified: 1,
        failed: 0,
        lastError: null,
      });

      // another hub answers at the same address with its own certificate (a reinstall, or an impostor)
      await stopHubs();
      fs.rmSync(hubTlsDir(hubDir), { recursive: true });
      await startHub(hubDir, ['--https'], {}, Number(new URL(url).port));
      expect(pair().fingerprint).not.toBe(first.fingerprint);
      const held = await add('PDD-TLS-2');
      const out = await syncNow(station.ctx.db, stationDir);
      expect(out).toMatchObject({ queued: 1, uploaded: 0, verified: 0, failed: 1 });
      expect(out.lastError).toMatch(/certificate is not the one this station paired with.*nothing was sent/);
      expect(fs.existsSync(path.join(stationDir, held.path))).toBe(true);

      // the hub got nothing of the second file: only the first order is there
      const listed = listOnHub(hubDir);
      expect(listed.map((o) => [o.orderNo, o.evidence.map((e) => e.sha256)])).toEqual([['PDD-TLS-1', [sent.sha256]]]);
    } finally {
      await station.close();
    }
  });
});
