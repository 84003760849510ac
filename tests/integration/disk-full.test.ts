import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { createCore, type Core } from '../../electron/core/core';
import type { Db } from '../../electron/core/db/db';
import { sqliteHandle } from '../../electron/core/db/sqlite/open-sqlite';
import { probe } from '../../electron/core/media/ffmpeg';
import { freeBytes, sha256File } from '../../electron/core/storage/files';
import type { Evidence } from '../../shared/domain/types';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { dropDatabasesOf } from '../helpers/test-db';

/**
 * A real full disk: a 48 MiB tmpfs mounted for this test (we run as root in CI; where
 * mounting is not allowed the suite is skipped and says why). The data folder lives on
 * it; a filler file eats the space while a recording streams into it.
 */
const MNT = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-smallfs-'));
let mounted = false;
let whyNot = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', MNT], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  whyNot = String((e as { stderr?: Buffer }).stderr ?? e).trim();
}

const MIME = 'video/mp4;codecs=avc1';
const recent = async (core: Core): Promise<Evidence[]> => core.handlers['evidence.recent']({ limit: 10 });
const statusOf = async (core: Core, id: string) =>
  (await core.ctx.db.selectFrom('recordings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const recordingCount = async (core: Core) =>
  (
    await core.ctx.db
      .selectFrom('recordings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

/**
 * The database file is intact (SQLite's own check). A PostgreSQL store lives on the
 * server, not on the full disk: there the audit chain and the rows speak for it.
 */
const intact = (db: Db) =>
  db.engine === 'sqlite' ? sqliteHandle(db).pragma('integrity_check', { simple: true }) : 'ok';

/** Fill the filesystem until only `leave` bytes are free (real bytes, not a sparse file). */
function fill(file: string, leave: number): void {
  const fd = fs.openSync(file, 'a');
  const block = Buffer.alloc(256 * 1024, 0x5a);
  try {
    for (;;) {
      const free = freeBytes(path.dirname(file))!;
      if (free <= leave) break;
      fs.writeSync(fd, block, 0, Math.min(block.length, free - leave));
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

describe.skipIf(!mounted)(`disk full during a recording (tmpfs${mounted ? '' : `: cannot mount — ${whyNot}`})`, () => {
  const media = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-media-'));
  afterAll(async () => {
    await dropDatabasesOf([path.join(MNT, 'data'), path.join(MNT, 'data2')]);
    if (mounted) execFileSync('umount', ['-l', MNT]);
    fs.rmSync(MNT, { recursive: true, force: true });
    fs.rmSync(media, { recursive: true, force: true });
  });

  it('stops cleanly with DISK_FULL, keeps the footage, harms neither the database nor existing files, and saves it once space is back', async () => {
    const dataDir = path.join(MNT, 'data');
    const core = await createCore({ dataDir, mode: 'web' });
    await core.handlers['settings.update']({
      storage: { reserveBytes: 0, retentionEnabled: true, retentionDays: { outbound: 60, return: 60 } },
    });

    // an existing recording that must survive untouched
    const small = recorderLikeStream(media, 2, { width: 320, height: 240 });
    const a = await core.handlers['capture.start']({ code: 'SF1000000000001', mode: 'outbound', mime: MIME });
    let seq = 0;
    for (const data of small.chunks) await core.handlers['capture.chunk']({ recordingId: a.id, seq: seq++, data });
    const evA = await core.handlers['capture.stop']({ recordingId: a.id });
    const hashA = await sha256File(path.join(dataDir, evA.path));

    // the next recording runs into a full disk
    const big = recorderLikeStream(media, 12, { width: 640, height: 360 });
    const b = await core.handlers['capture.start']({ code: 'SF1000000000002', mode: 'outbound', mime: MIME });
    fill(path.join(MNT, 'filler.bin'), 1024 * 1024);
    let acked = 0;
    let failure: { code: string } | null = null;
    for (let i = 0; i < big.chunks.length; i++) {
      const r = await core.dispatch('capture.chunk', { recordingId: b.id, seq: i, data: big.chunks[i] });
      if (!r.ok) {
        failure = r.error;
        break;
      }
      acked = (r.value as { bytesOnDisk: number }).bytesOnDisk;
    }
    expect(failure).toMatchObject({ code: 'DISK_FULL' });
    expect(acked).toBeGreaterThan(0);
    const part = path.join(dataDir, 'media', 'incoming', fs.readdirSync(path.join(dataDir, 'media', 'incoming'))[0]);
    // the part ends on the last whole chunk: a half-written chunk was cut off again
    expect(fs.statSync(part).size).toBe(acked);
    expect(Buffer.compare(fs.readFileSync(part), fs.readFileSync(big.file).subarray(0, acked))).toBe(0);

    // stop: no room to make the MP4 — the raw footage stays, the station is told so
    const stop = await core.dispatch('capture.stop', { recordingId: b.id });
    expect(stop).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(fs.statSync(part).size).toBe(acked);

    // other writes on the full disk fail cleanly too
    const noise = Buffer.from(Array.from({ length: 600 * 600 * 3 }, (_, i) => (i * 2654435761) >>> 24));
    const jpeg = await sharp(noise, { raw: { width: 600, height: 600, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(jpeg.length).toBeGreaterThan(freeBytes(dataDir)!);
    const photo = await core.dispatch('capture.photo', {
      orderId: evA.orderId,
      mode: 'outbound',
      mime: 'image/jpeg',
      data: new Uint8Array(jpeg),
    });
    expect(photo).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(fs.readdirSync(path.dirname(path.join(dataDir, evA.path))).filter((n) => n.includes('.tmp-'))).toEqual([]);

    // nothing harmed: database, audit chain, the earlier file and its row
    expect(intact(core.ctx.db)).toBe('ok');
    expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
    expect(await sha256File(path.join(dataDir, evA.path))).toBe(hashA);
    expect(await recent(core)).toEqual([expect.objectContaining({ id: evA.id, sha256: hashA })]);
    expect(await statusOf(core, b.id)).toBe('recording');

    // space comes back: the kept footage becomes evidence (the app retries; here directly)
    fs.rmSync(path.join(MNT, 'filler.bin'));
    const partDuration = Number((await probe(part)).format.duration);
    const { recovered, waiting } = await core.recordings.recoverInterrupted();
    expect(waiting).toEqual([]);
    expect(recovered).toHaveLength(1);
    const evB = recovered[0];
    expect(evB.origin).toBe('recovered');
    expect(Math.abs(evB.durationMs! / 1000 - partDuration)).toBeLessThan(0.6);
    expect(evB.sha256).toBe(await sha256File(path.join(dataDir, evB.path)));
    expect(intact(core.ctx.db)).toBe('ok');
    await core.close();
  });

  it('at start, footage that cannot be saved for lack of space waits (kept, announced), and is saved at a later start', async () => {
    const dataDir = path.join(MNT, 'data2');
    const core = await createCore({ dataDir, mode: 'web' });
    await core.handlers['settings.update']({
      storage: { reserveBytes: 0, retentionEnabled: true, retentionDays: { outbound: 60, return: 60 } },
    });
    const rec = recorderLikeStream(media, 6, { width: 640, height: 360 });
    const s = await core.handlers['capture.start']({ code: 'SF1000000000003', mode: 'return', mime: MIME });
    let seq = 0;
    for (const data of rec.chunks) await core.handlers['capture.chunk']({ recordingId: s.id, seq: seq++, data });
    await core.ctx.db.destroy(); // crash
    fill(path.join(MNT, 'filler2.bin'), 256 * 1024);

    const again = await createCore({ dataDir, mode: 'web', recover: true });
    expect(again.ctx.startupNotices.map((n) => n.code)).toContain('recording.waitingForSpace');
    expect(fs.readdirSync(path.join(dataDir, 'media', 'incoming'))).toHaveLength(1);
    await again.close();

    fs.rmSync(path.join(MNT, 'filler2.bin'));
    const later = await createCore({ dataDir, mode: 'web', recover: true });
    expect(later.ctx.startupNotices.map((n) => n.code)).toContain('recording.recovered');
    expect((await recent(later))[0]).toMatchObject({ origin: 'recovered', mode: 'return' });
    await later.close();
  });
});

describe('the free-space guard', () => {
  it('refuses to start a recording below the reserve, with the numbers for the message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-guard-'));
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const free = freeBytes(dir)!;
    await core.handlers['settings.update']({
      storage: {
        reserveBytes: free + 10 * 1024 ** 3,
        retentionEnabled: true,
        retentionDays: { outbound: 60, return: 60 },
      },
    });
    const r = await core.dispatch('capture.start', { code: 'SF1000000000009', mode: 'outbound', mime: MIME });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'LOW_DISK', details: { reserveBytes: free + 10 * 1024 ** 3 } },
    });
    expect(await recordingCount(core)).toBe(0);
    const status = await core.dispatch('storage.status', {});
    expect(status).toMatchObject({ ok: true, value: { lowDisk: true } });
    // the chunk acknowledgement carries the free space the station compares with the reserve
    await core.handlers['settings.update']({
      storage: { reserveBytes: 0, retentionEnabled: true, retentionDays: { outbound: 60, return: 60 } },
    });
    const s = await core.handlers['capture.start']({ code: 'SF1000000000009', mode: 'outbound', mime: MIME });
    const ack = await core.handlers['capture.chunk']({ recordingId: s.id, seq: 0, data: new Uint8Array(10) });
    expect(ack.freeBytes).toBeGreaterThan(0);
    await core.close();
    await dropDatabasesOf([dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
