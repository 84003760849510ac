import fs from 'node:fs';
import os from 'node:os';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import type { Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { listHubEvidence } from '../../electron/core/hub/hub-evidence';
import { createPairingCode, revokeHubStation } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { runRetention } from '../../electron/core/storage/retention';
import { syncNow } from '../../electron/core/sync/station-sync';
import type { HubServer } from '../../electron/web/hub-server';
import { makeLargeVideo, makeVideo } from '../fixtures';
import { hashAtLocation, keysIn, startTestS3, type TestS3 } from '../helpers/s3-server';
import { useHubCores } from '../helpers/hub-cores';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');
const clock = () => T0;

const { core, serve: serveHub, forget } = useHubCores(tmp);

/** the hub's media in this run: its data folder's hub-media, or a bucket on a real S3 server */
let media: { kind: 'folder' | 's3'; s3?: TestS3 } = { kind: 'folder' };

async function serve(hub: Core, port = 0): Promise<HubServer> {
  const where = media.s3 ? `s3://${media.s3.bucket}/warehouse-1` : undefined;
  return serveHub({ core: hub, port, clock, media: where });
}

/** A hub and one station paired with it. */
async function pairedStation(name = '打包台 1') {
  const hub = await core();
  const server = await serve(hub);
  const station = await core();
  const { code } = await createPairingCode(hub.ctx.db, name, T0);
  await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
  return { hub, server, station };
}

async function addFile(station: Core, orderNo: string, file: string) {
  const order = await findOrCreateOrderByNumber(station.ctx.db, orderNo, null);
  const { evidence } = await importEvidence(station.ctx, {
    orderId: order.id,
    originalName: path.basename(file),
    source: { path: file },
  });
  return evidence;
}

const outbox = (station: Core) => station.ctx.db.selectFrom('sync_outbox').selectAll().orderBy('seq').execute();

describe.each(['folder', 's3'] as const)(`stations sync evidence to the hub (${testEngine}, media: %s)`, (kind) => {
  const saved = { ...process.env };
  beforeAll(async () => {
    media = { kind };
    if (kind === 's3') {
      media.s3 = await startTestS3(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-s3-')));
      Object.assign(process.env, media.s3.env);
    }
  });
  afterAll(async () => {
    await media.s3?.close();
    for (const k of Object.keys(media.s3?.env ?? {})) if (saved[k] === undefined) delete process.env[k];
    media = { kind: 'folder' };
  });

  it('sends each file once, the hub hashes what it stored and files it by station, day and order', async () => {
    const { hub, server, station } = await pairedStation();
    const video = await addFile(station, 'PDD/2026:11..20-🎁', await makeVideo({ format: 'mp4' }));
    const photo = await addFile(station, 'PDD-2', await makeVideo({ format: 'mkv', durationSec: 1 }));

    const first = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(first).toEqual({ queued: 0, uploaded: 2, verified: 2, failed: 0, lastError: null });
    const onHub = await listHubEvidence(hub.ctx.db);
    expect(onHub.map((e) => [e.order_no, e.sha256, e.verified_at])).toEqual([
      ['PDD-2', photo.sha256, T0.toISOString()],
      ['PDD/2026:11..20-🎁', video.sha256, T0.toISOString()],
    ]);
    for (const e of onHub) {
      const rel = e.location!.slice(server.mediaRoot.length + 1);
      expect(e.location!.startsWith(`${server.mediaRoot}${kind === 's3' ? '/' : path.sep}`)).toBe(true);
      expect(await hashAtLocation(e.location!, media.s3)).toBe(e.sha256);
      expect(rel.split(kind === 's3' ? '/' : path.sep)).toHaveLength(4); // station/day/order/file
    }
    // nothing left of the uploads themselves
    if (kind === 'folder') expect(fs.readdirSync(path.join(server.mediaRoot, '.incoming'))).toEqual([]);
    else expect((await keysIn(media.s3!)).filter((k) => k.includes('.incoming'))).toEqual([]);

    // a second pass, and a station that forgot it sent them: nothing sent, nothing changes
    expect(await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock })).toEqual({
      queued: 0,
      uploaded: 0,
      verified: 0,
      failed: 0,
      lastError: null,
    });
    await station.ctx.db.updateTable('sync_outbox').set({ state: 'queued', verified_at: null }).execute();
    const again = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(again).toMatchObject({ uploaded: 0, verified: 2, queued: 0 });
    expect(await listHubEvidence(hub.ctx.db)).toEqual(onHub);
    const verifiedAudits = await hub.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'hub.evidence-verified')
      .execute();
    expect(verifiedAudits).toHaveLength(2);
    expect((await verifyAudit(hub.ctx.db)).ok).toBe(true);
  });

  it('a cut upload resumes from the hub’s last byte, also after the station restarts', async () => {
    const { hub, station } = await pairedStation();
    const big = await makeLargeVideo({ minBytes: 12 * 1024 * 1024, width: 640, height: 360 });
    const ev = await addFile(station, 'ORDER-BIG', big);
    const cut = new AbortController();
    const first = await syncNow(station.ctx.db, station.ctx.paths.root, {
      now: clock,
      signal: cut.signal,
      onProgress: (sent) => {
        if (sent > 3 * 1024 * 1024) cut.abort();
      },
    });
    expect(first).toMatchObject({ queued: 1, verified: 0 });
    const [waiting] = await outbox(station);
    expect(waiting.upload_url).toBeTruthy();
    const head = await fetch(waiting.upload_url!, {
      method: 'HEAD',
      headers: {
        'tus-resumable': '1.0.0',
        authorization: `Bearer ${(await station.ctx.db.selectFrom('hub_link').select('credential').executeTakeFirstOrThrow()).credential}`,
      },
    });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(ev.bytes);

    // the station process restarts: a new core on the same folder
    const dataDir = station.ctx.paths.root;
    await station.close();
    forget(station);
    const restarted = await core(dataDir);
    const progress: number[] = [];
    const done = await syncNow(restarted.ctx.db, restarted.ctx.paths.root, {
      now: clock,
      onProgress: (sent) => progress.push(sent),
    });
    expect(done).toEqual({ queued: 0, uploaded: 1, verified: 1, failed: 0, lastError: null });
    // tus-js-client reports progress from the resumed offset, never from zero
    expect(Math.min(...progress)).toBeGreaterThanOrEqual(offset);
    const [row] = await listHubEvidence(hub.ctx.db);
    expect(await hashAtLocation(row.location!, media.s3)).toBe(ev.sha256);
  });

  it('the hub down, then back: the backlog waits with a clear error and drains after', async () => {
    const { hub, server, station } = await pairedStation();
    const port = server.port;
    await server.close();
    await addFile(station, 'ORDER-1', await makeVideo({ format: 'mp4' }));
    await addFile(station, 'ORDER-2', await makeVideo({ format: 'mov' }));
    const down = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(down).toMatchObject({ queued: 2, uploaded: 0, verified: 0, failed: 1 });
    expect(down.lastError).toMatch(/unreachable.*ECONNREFUSED/);
    expect((await outbox(station)).map((o) => o.state)).toEqual(['failed', 'queued']);

    await serve(hub, port);
    const up = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(up).toEqual({ queued: 0, uploaded: 2, verified: 2, failed: 0, lastError: null });
    expect(await listHubEvidence(hub.ctx.db)).toHaveLength(2);
  });

  it('a file changed at the station after it was recorded is refused and audited, never verified', async () => {
    const { hub, station } = await pairedStation();
    const ev = await addFile(station, 'ORDER-X', await makeVideo({ format: 'mp4' }));
    const file = path.join(station.ctx.paths.root, ev.path);
    const bytes = await fsp.readFile(file);
    bytes[bytes.length - 10] ^= 0xff; // same size, other bytes
    await fsp.chmod(file, 0o644);
    await fsp.writeFile(file, bytes);
    const res = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(res).toMatchObject({ queued: 1, verified: 0, failed: 1 });
    expect(res.lastError).toMatch(/do not hash/);
    const [row] = await listHubEvidence(hub.ctx.db);
    expect(row.verified_at).toBeNull();
    const audits = await hub.ctx.db.selectFrom('audit_log').select(['action', 'details']).execute();
    expect(audits.filter((a) => a.action === 'hub.evidence-mismatch')).toHaveLength(1);
    expect((await outbox(station))[0].upload_url).toBeNull(); // the next try starts a fresh upload
  });

  it('a revoked station is refused with the reason, and its files stay queued', async () => {
    const { hub, station } = await pairedStation('S9');
    await addFile(station, 'ORDER-R', await makeVideo({ format: 'mp4' }));
    await revokeHubStation(hub.ctx.db, 'S9', T0);
    const res = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
    expect(res).toMatchObject({ queued: 1, uploaded: 0, verified: 0, failed: 1 });
    expect(res.lastError).toMatch(/revoked/);
    expect(await listHubEvidence(hub.ctx.db)).toEqual([]);
  });

  it('retention never deletes a local copy the hub has not verified, and keeps it hubKeepDays after', async () => {
    const { station } = await pairedStation();
    const ev = await addFile(station, 'ORDER-OLD', await makeVideo({ format: 'mp4' }));
    const old = new Date(T0.getTime() - 90 * 86_400_000).toISOString();
    await station.ctx.db
      .updateTable('evidence')
      .set({ captured_at: old, mode: 'outbound', origin: 'recorded' })
      .execute();
    const file = path.join(station.ctx.paths.root, ev.path);
    const retain = (now: Date) => runRetention(station.ctx, { dryRun: false, now });

    let report = await retain(T0); // 90 days old, never sent: kept
    expect([report.deletedCount, report.awaitingHubCount]).toEqual([0, 1]);
    expect(fs.existsSync(file)).toBe(true);

    await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock }); // verified at T0
    report = await retain(new Date(T0.getTime() + 6 * 86_400_000));
    expect([report.deletedCount, report.awaitingHubCount]).toEqual([0, 1]);
    report = await retain(new Date(T0.getTime() + 7 * 86_400_000 + 1000));
    expect([report.deletedCount, report.awaitingHubCount]).toEqual([1, 0]);
    expect(fs.existsSync(file)).toBe(false);
    // the station's outbox forgets a file it no longer has; the hub keeps its copy
    expect(await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock })).toMatchObject({
      queued: 0,
      failed: 0,
    });
  });
});
