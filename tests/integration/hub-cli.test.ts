import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../electron/core/storage/files';
import { makeVideo } from '../fixtures';
import { cli, cliAsync, runningHubs, startHub, stopHubs } from '../helpers/hub-process';
import { hashAtLocation, startTestS3 } from '../helpers/s3-server';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const dirs: string[] = [];
afterEach(async () => {
  await stopHubs();
  await dropDatabasesOf(dirs.splice(0));
});

describe(`hub, hub pair, join (public contracts, ${testEngine})`, { timeout: 300_000 }, () => {
  it('pairs a station folder with a hub from the command line, once per code; revoke ends it', async () => {
    const hubDir = tmp();
    const stationDir = tmp();
    dirs.push(hubDir, stationDir);
    const { url, proc } = await startHub(hubDir);

    let r = cli(['hub', 'pair', '--data-dir', hubDir, '--station', 'Packing 3', '--json']);
    expect(r.code, r.err).toBe(0);
    const { code, expiresAt } = JSON.parse(r.out) as { code: string; expiresAt: string };
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    r = cli(['join', url, '--code', code, '--data-dir', stationDir, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ hubUrl: url, stationName: 'Packing 3' });

    r = cli(['join', url, '--code', code, '--data-dir', stationDir, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('pairing code is wrong, used or expired');

    r = cli(['hub', 'stations', '--data-dir', hubDir, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).stations).toEqual([expect.objectContaining({ name: 'Packing 3', revokedAt: null })]);
    r = cli(['hub', 'revoke', '--data-dir', hubDir, '--station', 'Packing 3', '--json']);
    expect([r.code, JSON.parse(r.out)]).toEqual([0, { station: 'Packing 3', revoked: 1 }]);
    r = cli(['hub', 'revoke', '--data-dir', hubDir, '--station', 'Packing 3']);
    expect(r.code).toBe(1);

    // usage errors exit 2; a hub that is not there exits 1 and says so
    expect(cli(['join', 'not a url', '--code', code, '--data-dir', stationDir]).code).toBe(2);
    expect(cli(['join', url, '--data-dir', stationDir]).code).toBe(2);
    expect(cli(['hub', 'pair', '--data-dir', hubDir]).code).toBe(2);
    r = cli(['join', 'http://127.0.0.1:9/', '--code', code, '--data-dir', stationDir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Cannot reach the warehouse hub');
    expect(proc.exitCode).toBeNull(); // the hub kept running through all of it
  });

  it('sync sends the station’s files; list on the hub shows them with station and location', async () => {
    const hubDir = tmp();
    const mediaDir = tmp();
    const stationDir = tmp();
    dirs.push(hubDir, stationDir);
    const video = await makeVideo({ format: 'mp4' });
    let r = cli(['add', '--order', 'PDD-20261120-7', video, '--data-dir', stationDir, '--json']);
    expect(r.code, r.err).toBe(0);
    const added = JSON.parse(r.out) as { files: { evidence: { sha256: string } }[] };
    const sha256 = added.files[0].evidence.sha256;

    // not paired yet: refused in words
    r = cli(['sync', '--data-dir', stationDir, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not paired with a hub');
    expect(cli(['hub', '--media', 'ftp://nas/x', '--data-dir', hubDir]).code).toBe(2);

    const { url, proc } = await startHub(hubDir, ['--media', mediaDir]);
    r = cli(['hub', 'pair', '--data-dir', hubDir, '--station', 'Packing 7', '--json']);
    const { code } = JSON.parse(r.out) as { code: string };
    expect(cli(['join', url, '--code', code, '--data-dir', stationDir]).code).toBe(0);

    r = cli(['sync', '--data-dir', stationDir, '--wait', '60', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ queued: 0, uploaded: 1, verified: 1, failed: 0, lastError: null });
    // the station reported how it is: the hub lists it online, with its queue and free disk
    r = cli(['hub', 'stations', '--data-dir', hubDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^Packing 7\tonline\t0 waiting \(0\.0 MB\), \d+\.\d GB free, version \d+\.\d+\.\d+\t[0-9a-f-]{36}$/m,
    );

    r = cli(['list', '--data-dir', hubDir, '--json']);
    expect(r.code, r.err).toBe(0);
    const listed = JSON.parse(r.out) as { orderNo: string; evidence: Record<string, unknown>[] }[];
    expect(listed).toEqual([
      expect.objectContaining({
        orderNo: 'PDD-20261120-7',
        evidence: [expect.objectContaining({ station: 'Packing 7', sha256, status: 'verified' })],
      }),
    ]);
    const location = listed[0].evidence[0].location as string;
    expect(path.isAbsolute(location) && location.startsWith(mediaDir)).toBe(true);
    expect(await sha256File(location)).toBe(sha256);

    // a share link from the CLI points at the running hub; revoked, it answers 410
    r = cli(['share', '--data-dir', hubDir, '--order', 'PDD-20261120-7', '--hours', '48', '--download', '--json']);
    expect(r.code, r.err).toBe(0);
    const link = JSON.parse(r.out) as { id: string; url: string; expiresAt: string };
    expect(link.url.startsWith(`${url}s/`)).toBe(true);
    const shared = await fetch(link.url);
    expect(shared.status).toBe(200);
    expect(await shared.text()).toContain(sha256);
    expect(cli(['share', '--data-dir', hubDir, '--order', 'PDD-NOPE', '--json']).err).toContain(
      'no verified file of order PDD-NOPE',
    );
    expect(cli(['share', 'revoke', '--data-dir', hubDir, '--id', link.id]).code).toBe(0);
    expect((await fetch(link.url)).status).toBe(410);

    // the hub gone: --wait gives up after its time with the reason, exit 1; nothing is lost
    const exited = new Promise((res) => proc.once('exit', res));
    proc.kill('SIGTERM');
    await exited;
    runningHubs.splice(runningHubs.indexOf(proc), 1);
    const video2 = await makeVideo({ format: 'mov' });
    expect(cli(['add', '--order', 'PDD-20261120-8', video2, '--data-dir', stationDir]).code).toBe(0);
    r = cli(['sync', '--data-dir', stationDir, '--wait', '1', '--json']);
    expect(r.code).toBe(1);
    const waiting = JSON.parse(r.out) as { queued: number; lastError: string };
    expect(waiting.queued).toBe(1);
    expect(waiting.lastError).toMatch(/unreachable/);
  });

  it('hub --media s3://BUCKET/PREFIX keeps the files in an S3-compatible store set by the AWS_* variables', async () => {
    const s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-cli-')));
    try {
      const hubDir = tmp();
      const stationDir = tmp();
      dirs.push(hubDir, stationDir);
      const video = await makeVideo({ format: 'mp4' });
      expect(cli(['add', '--order', 'PDD-S3-1', video, '--data-dir', stationDir]).code).toBe(0);
      // a store that cannot be used is said at start, in words, and nothing listens
      // (not spawnSync: the S3 server runs in this process and must keep answering)
      const wrong = await cliAsync(['hub', '--data-dir', hubDir, '--media', 's3://no-such-bucket/x'], s3.env);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain('Cannot use the media store s3://no-such-bucket/x');

      const { url } = await startHub(hubDir, ['--media', `s3://${s3.bucket}/site-a`], s3.env);
      const { code } = JSON.parse(cli(['hub', 'pair', '--data-dir', hubDir, '--station', 'S3 station', '--json']).out);
      expect(cli(['join', url, '--code', code, '--data-dir', stationDir]).code).toBe(0);
      const r = await cliAsync(['sync', '--data-dir', stationDir, '--wait', '60', '--json']);
      expect(JSON.parse(r.out)).toMatchObject({ queued: 0, verified: 1, failed: 0 });
      const listed = JSON.parse((await cliAsync(['list', '--data-dir', hubDir, '--json'])).out) as {
        evidence: { location: string; sha256: string; station: string }[];
      }[];
      const file = listed[0].evidence[0];
      expect(file.location).toMatch(
        new RegExp(`^s3://${s3.bucket}/site-a/S3_station-[0-9a-f]{8}-[0-9a-f]{8}/\\d{4}-\\d{2}-\\d{2}/PDD-S3-1/`),
      );
      expect(file.station).toBe('S3 station');
      expect(await hashAtLocation(file.location, s3)).toBe(file.sha256);
    } finally {
      await s3.close();
    }
  });
});
