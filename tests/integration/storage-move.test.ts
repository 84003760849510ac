import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { createCore, type Core } from '../../electron/core/core';
import { POINTER_FILE, writePointer } from '../../electron/core/storage/data-location';
import { LOCK_FILE } from '../../electron/core/storage/data-lock';
import { sha256File } from '../../electron/core/storage/files';
import { followRelocations } from '../../electron/core/storage/relocation';
import type { MoveResult } from '../../shared/api/calls/storage';
import type { JobSnapshot } from '../../shared/domain/types';
import type { Evidence } from '../../shared/domain/types';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { rowOf, valueOf } from '../helpers/raw-sql';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const MIME = 'video/mp4;codecs=avc1';

/** The running app: a core that follows its data folder when it moves. */
async function app(dataDir: string) {
  const holder: { core: Core } = { core: await createCore({ dataDir, mode: 'web', recover: true }) };
  followRelocations(holder.core, (next) => {
    holder.core = next;
  });
  return holder;
}

async function record(
  core: Core,
  media: string,
  code: string,
  seconds = 2,
): Promise<{ id: string; chunks: Uint8Array[] }> {
  const { chunks } = recorderLikeStream(media, seconds, { width: 320, height: 240 });
  const s = await core.handlers['capture.start']({ code, mode: 'outbound', mime: MIME });
  return { id: s.id, chunks };
}

describe(`moving the data folder (real files, ${testEngine})`, () => {
  it('copies and verifies every file and the database, switches the running app, then removes the old copy', async () => {
    const from = tmp();
    const to = path.join(tmp(), 'Evidence');
    const media = tmp('pp-media-');
    const a = await app(from);
    const r = await record(a.core, media, 'MOVE-0001');
    for (let i = 0; i < r.chunks.length; i++)
      await a.core.handlers['capture.chunk']({ recordingId: r.id, seq: i, data: r.chunks[i] });
    const video = await a.core.handlers['capture.stop']({ recordingId: r.id });
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#08f' } })
      .png()
      .toBuffer();
    const photo = await a.core.handlers['capture.photo']({
      orderId: video.orderId,
      mode: 'outbound',
      mime: 'image/png',
      data: new Uint8Array(png),
    });
    fs.mkdirSync(path.join(from, 'exports', 'packet-1'), { recursive: true });
    fs.writeFileSync(path.join(from, 'exports', 'packet-1', 'manifest.json'), '{"files":[]}');

    const progress: number[] = [];
    a.core.ctx.events.onAny((e, p) => {
      if (e === 'job.update' && (p as JobSnapshot).kind === 'storage.move' && (p as JobSnapshot).progress !== null)
        progress.push((p as JobSnapshot).progress!);
    });
    const old = a.core;
    const job = await old.handlers['storage.move']({ target: to });
    const result = (await old.ctx.jobs.wait(job.id)) as MoveResult;

    expect(result).toMatchObject({ from, to, hashMismatches: [], leftBehind: [] });
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    // the app now runs on the new folder
    expect(a.core).not.toBe(old);
    expect(a.core.ctx.paths.root).toBe(to);
    const moved = (await a.core.handlers['evidence.recent']({ limit: 10 })) as Evidence[];
    expect(moved.map((e) => e.id).sort()).toEqual([video.id, photo.id].sort());
    for (const e of moved) expect(await sha256File(path.join(to, e.path))).toBe(e.sha256);
    expect(fs.readFileSync(path.join(to, 'exports', 'packet-1', 'manifest.json'), 'utf8')).toBe('{"files":[]}');
    if (a.core.ctx.db.engine === 'sqlite') expect(await valueOf(a.core.ctx.db, 'PRAGMA integrity_check')).toBe('ok');
    expect((await verifyAudit(a.core.ctx.db)).ok).toBe(true);
    expect(
      Number(await valueOf(a.core.ctx.db, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'storage.moved'")),
    ).toBe(1);
    // the old folder holds only the pointer to the new one
    expect(fs.readdirSync(from)).toEqual([POINTER_FILE]);
    expect(fs.existsSync(path.join(to, LOCK_FILE))).toBe(true);
    // it keeps working there
    const r2 = await record(a.core, media, 'MOVE-0002');
    await a.core.handlers['capture.chunk']({ recordingId: r2.id, seq: 0, data: r2.chunks[0] });
    await a.core.close();

    // the next start on the old location (e.g. the OS default folder) finds the new one
    const reopened = await createCore({ dataDir: from, mode: 'web', recover: true });
    expect(reopened.ctx.paths.root).toBe(to);
    expect(reopened.ctx.startupNotices.map((n) => n.code)).toEqual(['recording.recovered']); // MOVE-0002 was left open
    await reopened.close();
  });

  it('waits for a running recording, refusing new ones meanwhile, then moves it too', async () => {
    const from = tmp();
    const to = path.join(tmp(), 'moved');
    const media = tmp('pp-media-');
    const a = await app(from);
    const r = await record(a.core, media, 'MOVE-BUSY-1');
    await a.core.handlers['capture.chunk']({ recordingId: r.id, seq: 0, data: r.chunks[0] });
    const old = a.core;
    const job = await old.handlers['storage.move']({ target: to });
    const done = old.ctx.jobs.wait(job.id);
    // the gate closes once the bulk copy is done; new recordings are refused, the running one may finish
    let refused: unknown = null;
    // the copy's speed is the machine's: poll for the state with a generous bound, not a count
    for (const until = Date.now() + 90_000; !refused && Date.now() < until;) {
      const res = await old.dispatch('capture.start', { code: 'MOVE-BUSY-2', mode: 'outbound', mime: MIME });
      if (!res.ok) refused = res.error;
      else await old.dispatch('capture.stop', { recordingId: (res.value as { id: string }).id });
      await new Promise((res2) => setTimeout(res2, 20));
    }
    expect(refused).toMatchObject({ code: 'BUSY', details: { reason: 'moving' } });
    expect((await old.dispatch('orders.search', { query: '' })).ok).toBe(true); // reads still pass
    // the wall clock set 16 min forward while the move waits is no 15 min wait: the move
    // must not give up (it measures on the monotonic clock); let it check a few times
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60_000);
      const t0 = performance.now();
      while (performance.now() - t0 < 800) await new Promise((res2) => setTimeout(res2, 50));
    } finally {
      vi.useRealTimers();
    }
    for (let i = 1; i < r.chunks.length; i++)
      expect((await old.dispatch('capture.chunk', { recordingId: r.id, seq: i, data: r.chunks[i] })).ok).toBe(true);
    const ev = await old.dispatch('capture.stop', { recordingId: r.id });
    expect(ev.ok).toBe(true);
    await done;
    expect(a.core.ctx.paths.root).toBe(to);
    const got = (await a.core.handlers['evidence.recent']({ limit: 20 })) as Evidence[];
    const saved = got.find((e) => e.id === (ev as { value: Evidence }).value.id)!;
    expect(await sha256File(path.join(to, saved.path))).toBe(saved.sha256);
    await a.core.close();
  });

  it('holds the switch while a stopped recording is still becoming a file and a row', async () => {
    const a = await app(tmp());
    const r = await record(a.core, tmp('pp-media-'), 'MOVE-SAVING-1');
    for (let i = 0; i < r.chunks.length; i++)
      await a.core.handlers['capture.chunk']({ recordingId: r.id, seq: i, data: r.chunks[i] });
    // what the move waits on, sampled on every turn of the event loop while the stop runs
    // (remux, hash, rename, row): whenever it says "not busy", the file and its row exist
    let stopped = false;
    const stop = Promise.resolve(a.core.handlers['capture.stop']({ recordingId: r.id })).finally(
      () => (stopped = true),
    );
    const saved = () =>
      rowOf<{ path: string }>(
        a.core.ctx.db,
        'SELECT path FROM evidence e JOIN recordings r ON r.evidence_id = e.id WHERE r.id = ?',
        r.id,
      );
    let samples = 0;
    let idleTooEarly = 0;
    while (!stopped) {
      samples++;
      // "not busy" read before the row: the row must be there by the time the read returns
      const idle = !a.core.recordings.busy();
      const row = await saved();
      if (idle && !(row && fs.existsSync(path.join(a.core.ctx.paths.root, row.path)))) idleTooEarly++;
      await new Promise((res) => setImmediate(res));
    }
    await stop;
    expect(samples).toBeGreaterThan(1);
    expect(idleTooEarly).toBe(0);
    expect(a.core.recordings.busy()).toBe(false);
    await a.core.close();
  });

  it('refuses a target inside the data folder, and a file where a folder should be', async () => {
    const from = tmp();
    const a = await app(from);
    expect(await a.core.dispatch('storage.move', { target: path.join(from, 'media', 'x') })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { problem: 'inside' } },
    });
    expect(await a.core.dispatch('storage.move', { target: 'relative/path' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    // a non-empty folder gets a ProofPack folder inside it
    const busy = tmp();
    fs.writeFileSync(path.join(busy, 'someone-elses.txt'), 'x');
    const job = await a.core.handlers['storage.move']({ target: busy });
    const res = (await a.core.ctx.jobs.wait(job.id)) as MoveResult;
    expect(res.to).toBe(path.join(busy, 'ProofPack'));
    expect(fs.readFileSync(path.join(busy, 'someone-elses.txt'), 'utf8')).toBe('x');
    await a.core.close();
  });

  it('a CLI core cannot move the folder (only the running app can switch over)', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    expect(await core.dispatch('storage.move', { target: path.join(tmp(), 'x') })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await core.close();
  });

  it('a pointer to a folder that cannot be reached stops the start with a clear error, never a fresh empty start', async () => {
    const old = tmp();
    writePointer(old, path.join(tmp(), 'unplugged-usb-disk'));
    await expect(createCore({ dataDir: old, mode: 'web', recover: true })).rejects.toMatchObject({
      code: 'DATA_DIR_MISSING',
    });
    expect(fs.existsSync(path.join(old, 'proofpack.db'))).toBe(false);
  });
});
