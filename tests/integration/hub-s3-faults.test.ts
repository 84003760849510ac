import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { listHubEvidence } from '../../electron/core/hub/hub-evidence';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { sha256File } from '../../electron/core/storage/files';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeLargeVideo } from '../fixtures';
import { startFaultyHop, type FaultyHop } from '../helpers/faulty-http';
import { useHubCores } from '../helpers/hub-cores';
import { hashAtLocation, keysIn, startTestS3, type TestS3 } from '../helpers/s3-server';
import { testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');
const clock = () => T0;
const MiB = 1024 * 1024;
const { core, serve } = useHubCores(tmp);

let s3: TestS3;
let hop: FaultyHop;
const savedEnv = { ...process.env };

/** A hub keeping media in S3 behind the hop, and one station paired with it holding one 20 MB video. */
async function stationWithVideo(orderNo: string) {
  const hub = await core();
  const server = await serve({ core: hub, clock, media: `s3://${s3.bucket}/warehouse-1` });
  const station: Core = await core();
  const { code } = await createPairingCode(hub.ctx.db, '打包台 5', T0);
  await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
  const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
  const { evidence } = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: 'packing.mp4',
    source: { path: await makeLargeVideo({ minBytes: 20 * MiB, width: 640, height: 360 }) },
  });
  return { hub, station, evidence };
}

/** the one evidence file is on the hub, whole, and no upload is left in the bucket */
async function expectOneVerifiedCopy(hub: Core, sha256: string) {
  const onHub = await listHubEvidence(hub.ctx.db);
  expect(onHub.map((e) => [e.sha256, e.verified_at])).toEqual([[sha256, T0.toISOString()]]);
  expect(await hashAtLocation(onHub[0].location!, s3)).toBe(sha256);
  expect((await keysIn(s3)).filter((k) => k.includes('.incoming'))).toEqual([]);
}

// the hop sits between the hub and a local s3rver; an external store has no hop to break
describe.skipIf(!!process.env.PROOFPACK_TEST_S3)(
  `hub faults: the S3 store in trouble (${testEngine})`,
  { timeout: 300_000 },
  () => {
    beforeAll(async () => {
      s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-')));
      hop = await startFaultyHop(Number(new URL(s3.endpoint).port));
      Object.assign(process.env, s3.env, { AWS_ENDPOINT_URL: hop.endpoint });
    });
    afterAll(async () => {
      await hop.close();
      await s3.close();
      for (const k of Object.keys(s3.env)) if (savedEnv[k] === undefined) delete process.env[k];
    });
    afterEach(() => {
      hop.mode = { kind: 'pass' };
      hop.onRequest = undefined;
      hop.seen.length = 0;
    });

    it('S3 answering 500 part-way through an upload: the station keeps its file and its place, and finishes when the store is back', async () => {
      const { hub, station, evidence } = await stationWithVideo('PDD-S3-500');
      // the first 8 MiB part lands; from the second part on, the store answers every call with 500
      hop.onRequest = (req) => {
        if (req.method === 'PUT' && /[?&]partNumber=2(&|$)/.test(req.url ?? ''))
          hop.mode = { kind: 'fail', status: 500 };
      };
      const down = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
      expect(down).toMatchObject({ queued: 1, uploaded: 0, verified: 0, failed: 1 });
      // in words: what failed at the hub, and that the file is safe
      expect(down.lastError).toMatch(/media store \(s3:\/\/pp-test-\w+\/warehouse-1\): InternalError.*keeps it/s);
      expect(hop.seen.filter((r) => r.answered === 500).length).toBeGreaterThan(1); // the SDK and the station retried
      expect(await sha256File(path.join(station.ctx.paths.root, evidence.path))).toBe(evidence.sha256);
      const [waiting] = await station.ctx.db.selectFrom('sync_outbox').selectAll().execute();
      expect(waiting).toMatchObject({ state: 'failed', verified_at: null });
      expect(waiting.upload_url).toBeTruthy();
      expect((await listHubEvidence(hub.ctx.db)).map((e) => e.verified_at)).toEqual([null]);

      // the store recovers: the next pass continues after the part S3 already holds
      hop.mode = { kind: 'pass' };
      hop.onRequest = undefined;
      const progress: number[] = [];
      const up = await syncNow(station.ctx.db, station.ctx.paths.root, {
        now: clock,
        onProgress: (sent) => progress.push(sent),
      });
      expect(up).toEqual({ queued: 0, uploaded: 1, verified: 1, failed: 0, lastError: null });
      expect(Math.min(...progress)).toBeGreaterThanOrEqual(8 * MiB);
      await expectOneVerifiedCopy(hub, evidence.sha256);
    });

    it('the store failing after the last byte (the copy into place): the next pass has the hub check the whole upload, no byte sent again', async () => {
      const { hub, station, evidence } = await stationWithVideo('PDD-S3-PLACE');
      // every byte lands and hashes; moving it into place (CopyObject) fails
      hop.onRequest = (req) => {
        hop.mode = req.headers['x-amz-copy-source'] ? { kind: 'fail', status: 500 } : { kind: 'pass' };
      };
      const first = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
      expect(first).toMatchObject({ queued: 1, verified: 0, failed: 1 });
      expect(first.lastError).toMatch(/media store \(s3:\/\/pp-test-\w+\/warehouse-1\): InternalError/);
      expect((await listHubEvidence(hub.ctx.db)).map((e) => e.verified_at)).toEqual([null]);
      const [waiting] = await station.ctx.db.selectFrom('sync_outbox').selectAll().execute();
      expect(waiting.upload_url).toBeTruthy(); // the same upload, complete on the hub

      hop.onRequest = undefined;
      hop.mode = { kind: 'pass' };
      hop.seen.length = 0;
      const progress: number[] = [];
      const next = await syncNow(station.ctx.db, station.ctx.paths.root, {
        now: clock,
        onProgress: (sent) => progress.push(sent),
      });
      expect(next).toMatchObject({ queued: 0, verified: 1, failed: 0, lastError: null });
      // nothing was uploaded again: no part reached the store in this pass
      expect(hop.seen.filter((r) => r.method === 'PUT' && /partNumber=/.test(r.url))).toEqual([]);
      expect(progress.filter((p) => p < evidence.bytes)).toEqual([]);
      await expectOneVerifiedCopy(hub, evidence.sha256);
    });

    it('S3 answering slowly: every call late, the upload still completes once and is verified', async () => {
      const { hub, station, evidence } = await stationWithVideo('PDD-S3-SLOW');
      hop.mode = { kind: 'slow', delayMs: 400 };
      const done = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
      expect(done).toEqual({ queued: 0, uploaded: 1, verified: 1, failed: 0, lastError: null });
      expect(hop.seen.length).toBeGreaterThan(4); // every one of these waited
      await expectOneVerifiedCopy(hub, evidence.sha256);
    });
  },
);
