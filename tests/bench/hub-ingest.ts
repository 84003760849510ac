import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { createCore, type Core } from '../../electron/core/core';
import { insertEvidence } from '../../electron/core/evidence/evidence-repo';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { syncNow } from '../../electron/core/sync/station-sync';
import { startTestS3, type TestS3 } from '../helpers/s3-server';
import { benchDatabase, randomFile, rssSampler, startHubProcess, stopProcess } from './bench-hub';
import { percentile, type BenchRow } from './types';

/**
 * Issue 11's ingest benchmark: S simulated stations (each a real station core with its own
 * SQLite folder) sync F files of 20–60 MB each, all at once, to one hub process on
 * PostgreSQL + S3 (s3rver on 127.0.0.1). Compared, in the same run, with the same bytes sent
 * straight to the same S3 by the SDK's multipart `Upload`, S streams at once. Then the time
 * from "a file is saved" to "verified on the hub" for single 20 MB clips (what a 60 s 720p
 * recording weighs), and the hub's peak RSS throughout.
 * PROOFPACK_BENCH_STATIONS (20), PROOFPACK_BENCH_FILES (50), PROOFPACK_BENCH_MB_MIN/MAX
 * (20/60) scale it; the issue's full size is ~40 GB of station files. PostgreSQL:
 * PROOFPACK_BENCH_PG, else a throwaway cluster.
 */
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const MiB = 1024 * 1024;

/** One evidence file at a station, as a recording's save makes it (checks left out: they are not what is measured). */
async function addEvidence(station: Core, orderNo: string, bytes: number): Promise<void> {
  const rel = path.join('media', `${orderNo}.mp4`);
  const abs = path.join(station.ctx.paths.root, rel);
  await fsp.mkdir(path.dirname(abs), { recursive: true });
  const sha256 = await randomFile(abs, bytes);
  const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
  await insertEvidence(station.ctx.db, {
    orderId: order.id,
    kind: 'video',
    origin: 'recorded',
    mode: 'outbound',
    path: rel,
    originalName: null,
    mime: 'video/mp4',
    sha256,
    bytes,
    durationMs: 60_000,
    width: 1280,
    height: 720,
    station: 'bench',
    operator: 'bench',
    capturedAt: new Date().toISOString(),
    parentId: null,
  });
}

export async function benchHubIngest(): Promise<BenchRow[]> {
  const S = num('PROOFPACK_BENCH_STATIONS', 20);
  const F = num('PROOFPACK_BENCH_FILES', 50);
  const [minMb, maxMb] = [num('PROOFPACK_BENCH_MB_MIN', 20), num('PROOFPACK_BENCH_MB_MAX', 60)];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-bench-hub-'));
  const db = await benchDatabase('hub');
  const hubDb = db.url;
  let s3: TestS3 | null = null;
  let hub: ChildProcess | null = null;
  const stations: Core[] = [];
  try {
    s3 = await startTestS3(path.join(work, 's3'));
    const hubDir = path.join(work, 'hub');
    const started = await startHubProcess(hubDir, hubDb, `s3://${s3.bucket}/bench`, s3.env);
    hub = started.child;
    const rss = rssSampler(hub.pid!);

    const pairing = await createCore({ dataDir: hubDir, mode: 'cli', db: hubDb });
    let totalBytes = 0;
    const files: string[][] = [];
    try {
      for (let s = 0; s < S; s++) {
        const station = await createCore({ dataDir: path.join(work, `station-${s}`), mode: 'cli' });
        stations.push(station);
        const { code } = await createPairingCode(pairing.ctx.db, `bench-${s}`);
        await joinHub(station.ctx.db, { hubUrl: started.url, code });
        files.push([]);
        for (let f = 0; f < F; f++) {
          const bytes = Math.round((minMb + ((maxMb - minMb) * ((s * F + f) % 7)) / 6) * MiB);
          await addEvidence(station, `B${s}-${f}`, bytes);
          files[s].push(path.join(station.ctx.paths.root, 'media', `B${s}-${f}.mp4`));
          totalBytes += bytes;
        }
      }
    } finally {
      await pairing.close();
    }

    // ours: every station syncs its backlog at once
    const t0 = performance.now();
    const results = await Promise.all(stations.map((st) => syncNow(st.ctx.db, st.ctx.paths.root)));
    const oursMs = performance.now() - t0;
    const verified = results.reduce((n, r) => n + r.verified, 0);
    if (verified !== S * F)
      throw new Error(`only ${verified} of ${S * F} files verified: ${results.find((r) => r.lastError)?.lastError}`);

    // naive: the same bytes straight to the same store, S streams at once
    const t1 = performance.now();
    await Promise.all(
      files.map(async (list, s) => {
        for (const [i, file] of list.entries())
          await new Upload({
            client: s3!.client,
            params: { Bucket: s3!.bucket, Key: `direct/${s}/${i}.mp4`, Body: fs.createReadStream(file) },
            partSize: 8 * MiB,
          }).done();
      }),
    );
    const naiveMs = performance.now() - t1;

    // one clip at a time: saved → verified on the hub (what the app's wake-on-save does)
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const st = stations[0];
      const t = performance.now();
      await addEvidence(st, `CLIP-${i}`, 20 * MiB);
      const r = await syncNow(st.ctx.db, st.ctx.paths.root);
      if (r.verified !== 1) throw new Error(`clip ${i} not verified: ${r.lastError}`);
      latencies.push(performance.now() - t);
    }
    const peakMb = Math.round(rss.stop() / MiB);
    const treeMb = Math.round(rss.treePeak() / MiB);
    const gb = (totalBytes / 1024 ** 3).toFixed(2);
    const mbps = (ms: number) => ((totalBytes / MiB / ms) * 1000).toFixed(0);
    return [
      {
        name: `hub ingest: ${S} stations × ${F} files (${gb} GB) → hub on PostgreSQL + S3`,
        ours_ms: Math.round(oursMs),
        naive_ms: Math.round(naiveMs),
        ratio: Number((naiveMs / oursMs).toFixed(2)),
        goal: 'ratio ≥ 0.70 (ingest ≥ 70 % of direct S3 upload)',
        note: `ours ${mbps(oursMs)} MB/s (record, tus upload, hub hash read-back, copy into place, verify) vs SDK multipart Upload straight to S3 ${mbps(naiveMs)} MB/s; s3rver on 127.0.0.1`,
      },
      {
        name: 'saved → verified on hub, 20 MB clip (p95 of 10)',
        ours_ms: Math.round(percentile(latencies, 95)),
        naive_ms: null,
        ratio: null,
        goal: '≤ 5000 ms',
        note: `median ${Math.round(percentile(latencies, 50))} ms; includes writing the clip's random bytes at the station`,
      },
      {
        name: 'hub peak RSS in MB (not ms)',
        ours_ms: peakMb,
        naive_ms: null,
        ratio: null,
        goal: '≤ 300 MB whatever the file sizes',
        note: `the hub process sampled every 200 ms through the whole run; files up to ${maxMb} MB; with its children (ffmpeg, tsx's esbuild) ${treeMb} MB PSS`,
      },
    ];
  } finally {
    for (const st of stations) await st.close();
    await stopProcess(hub);
    await s3?.close();
    await db.drop();
    fs.rmSync(work, { recursive: true, force: true }); // gigabytes of station files and store
  }
}
