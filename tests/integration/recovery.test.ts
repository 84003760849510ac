import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { createCore, type Core } from '../../electron/core/core';
import { probe } from '../../electron/core/media/ffmpeg';
import { LOCK_FILE } from '../../electron/core/storage/data-lock';
import { sha256File } from '../../electron/core/storage/files';
import type { ApiEvents } from '../../shared/api/events';
import type { Evidence } from '../../shared/domain/types';
import { fragmentsOf } from '../helpers/fmp4';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const MIME = 'video/mp4;codecs=avc1';

/** A recording whose part holds exactly `bytes`, left behind as by a crash (no stop, no close). */
async function leavePart(dir: string, bytes: Uint8Array, code = 'SF1000000000001'): Promise<string> {
  const core = await createCore({ dataDir: dir, mode: 'web' });
  const s = await core.handlers['capture.start']({ code, mode: 'outbound', mime: MIME });
  if (bytes.length) await core.handlers['capture.chunk']({ recordingId: s.id, seq: 0, data: bytes });
  await core.ctx.db.destroy(); // the process "dies": nothing else runs
  return s.id;
}

const recent = async (core: Core): Promise<Evidence[]> => core.handlers['evidence.recent']({ limit: 10 });
const rowOf = (core: Core, id: string) =>
  core.ctx.db
    .selectFrom('recordings')
    .select(['status', 'error', 'evidence_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const count = async (core: Core, table: 'recordings' | 'orders') =>
  (
    await core.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

/** Makes inserting the audit entry of `action` fail, as a full disk or a broken constraint would. */
async function failAuditOf(core: Core, action: string): Promise<void> {
  const db = core.ctx.db;
  if (db.engine === 'sqlite') {
    await sql`CREATE TRIGGER t_fail BEFORE INSERT ON audit_log WHEN NEW.action = ${sql.lit(action)}
      BEGIN SELECT RAISE(ABORT, 'boom'); END`.execute(db);
  } else {
    await sql`CREATE FUNCTION t_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = ${sql.lit(action)} THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`.execute(db);
    await sql`CREATE TRIGGER t_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION t_fail()`.execute(db);
  }
}

describe(`crash recovery of recordings (real ${testEngine}, real ffmpeg)`, () => {
  const stream = () => recorderLikeStream(tmp('pp-media-'), 4, { width: 320, height: 240 });

  it.each([0.25, 0.5, 0.9])(
    'a part cut in the middle of a fragment (%s of the way) keeps every complete fragment',
    async (where) => {
      const { file } = stream();
      const whole = fs.readFileSync(file);
      const { fragments, timescale } = fragmentsOf(whole);
      const k = 4; // cut inside the fifth fragment
      const cut = Math.floor(fragments[k].start + (fragments[k].end - fragments[k].start) * where);
      const dir = tmp();
      await leavePart(dir, whole.subarray(0, cut));

      const core = await createCore({ dataDir: dir, mode: 'web', recover: true });
      expect(core.ctx.startupNotices.map((n) => n.code)).toEqual(['recording.recovered']);
      const [ev] = await recent(core);
      const complete = fragments[k].baseTime / timescale; // end of the last complete fragment
      const fragmentLen = (fragments[k + 1].baseTime - fragments[k].baseTime) / timescale;
      expect(ev.origin).toBe('recovered');
      expect(ev.durationMs! / 1000).toBeGreaterThanOrEqual(complete - 0.05);
      expect(ev.durationMs! / 1000).toBeLessThanOrEqual(complete + fragmentLen + 0.05);
      const p = await probe(path.join(dir, ev.path));
      expect(Math.abs(Number(p.format.duration) * 1000 - ev.durationMs!)).toBeLessThan(50);
      expect(ev.sha256).toBe(await sha256File(path.join(dir, ev.path)));
      expect(fs.readdirSync(path.join(dir, 'media', 'incoming'))).toEqual([]);
      expect((await verifyAudit(core.ctx.db)).ok).toBe(true);
      await core.close();
    },
  );

  it.each([
    [
      'only the header (killed before the first complete fragment)',
      (b: Buffer) => b.subarray(0, fragmentsOf(b).initEnd + 100),
    ],
    ['zero bytes (killed before the first chunk)', () => Buffer.alloc(0)],
    ['noise instead of video', () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251))],
  ])('a part holding %s is marked failed, kept, and announced', async (_name, make) => {
    const dir = tmp();
    const id = await leavePart(dir, make(fs.readFileSync(stream().file)));
    const core = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(core.ctx.startupNotices).toEqual([
      expect.objectContaining({ code: 'recording.unrecoverable', params: { recordingId: id } }),
    ]);
    const row = await rowOf(core, id);
    expect(row).toMatchObject({ status: 'failed', evidence_id: null });
    expect(row.error).toBeTruthy();
    expect(fs.readdirSync(path.join(dir, 'media', 'incoming'))).toHaveLength(1); // the raw file stays
    expect(await recent(core)).toEqual([]);
    const audit = await core.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'recording.unrecoverable')
      .execute();
    expect(audit).toHaveLength(1);
    await core.close();
    // a failed recording is not retried at every start
    const again = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(again.ctx.startupNotices).toEqual([]);
    await again.close();
  });

  it('a recording whose part file is gone is marked failed, not left pending', async () => {
    const dir = tmp();
    const id = await leavePart(dir, fs.readFileSync(stream().file));
    for (const f of fs.readdirSync(path.join(dir, 'media', 'incoming')))
      fs.rmSync(path.join(dir, 'media', 'incoming', f));
    const core = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect((await rowOf(core, id)).status).toBe('failed');
    await core.close();
  });

  it("another station's live recording on the same database is left alone", async () => {
    const dir = tmp();
    const ours = await leavePart(dir, fs.readFileSync(stream().file));
    // a second station writing to the same (PostgreSQL) database: its part is in its own folder
    const cli = await createCore({ dataDir: dir, mode: 'cli' });
    const { id: orderId } = await cli.ctx.db.selectFrom('orders').select('id').executeTakeFirstOrThrow();
    const theirs = '0b7c1a52-55f4-4d4e-9a57-2f1e3c8d9e10';
    await cli.ctx.db
      .insertInto('recordings')
      .values({
        id: theirs,
        order_id: orderId,
        scan_code: 'SF1000000000001',
        mode: 'outbound',
        mime: MIME,
        part_path: `media/incoming/${theirs}.mp4.part`,
        station: 'Desk 2',
        operator: 'wang',
        started_at: new Date().toISOString(),
        status: 'recording',
        evidence_id: null,
        error: null,
        station_id: 'another-station',
      })
      .execute();
    await cli.close();

    const core = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(core.ctx.startupNotices).toEqual([
      expect.objectContaining({ code: 'recording.recovered', params: expect.anything() }),
    ]);
    expect((await rowOf(core, ours)).status).toBe('recovered');
    expect(await rowOf(core, theirs)).toEqual({ status: 'recording', error: null, evidence_id: null });
    await core.close();
  });

  it('a remux killed half-way leaves a temp file that the next attempt replaces', async () => {
    const dir = tmp();
    await leavePart(dir, fs.readFileSync(stream().file));
    const core = await createCore({ dataDir: dir, mode: 'web', recover: true });
    const [ev] = await recent(core);
    await core.close();
    // what a killed remux of the same recording would have left next to the final name
    const stale = `${path.join(dir, ev.path)}.tmp-99999`;
    fs.writeFileSync(stale, 'half a file');
    const dir2 = tmp();
    await leavePart(dir2, fs.readFileSync(stream().file));
    const core2 = await createCore({ dataDir: dir2, mode: 'web', recover: true });
    const [ev2] = await recent(core2);
    const folder = path.dirname(path.join(dir2, ev2.path));
    expect(fs.readdirSync(folder).filter((n) => n.includes('.tmp-'))).toEqual([]);
    await core2.close();
  });

  it('multi-row changes are atomic: a failing insert leaves no recording row and no part', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    // make the audit insert fail inside capture.start's transaction
    await failAuditOf(core, 'recording.start');
    await expect(core.handlers['capture.start']({ code: 'ATOMIC-0001', mode: 'outbound', mime: MIME })).rejects.toThrow(
      /boom/,
    );
    expect(await count(core, 'recordings')).toBe(0);
    expect(await count(core, 'orders')).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'media', 'incoming'))).toEqual([]);
    await core.close();
  });
});

describe('recordings whose page went away while the server kept running', () => {
  async function appCore(dir: string, orphanAfterMs = 1500) {
    const core = await createCore({
      dataDir: dir,
      mode: 'web',
      recover: true,
      storage: { watchdog: { orphanAfterMs, tickMs: 50, orphanOnNewStartMs: 200 } },
    });
    const notices: ApiEvents['notice'][] = [];
    core.ctx.events.onAny((e, p) => e === 'notice' && notices.push(p as ApiEvents['notice']));
    return { core, notices };
  }

  it('a recording that stops receiving chunks (renderer crash, reload) is saved as recovered and announced', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 4, { width: 320, height: 240 });
    const { core, notices } = await appCore(dir);
    const s = await core.handlers['capture.start']({ code: 'ORPHAN-0001', mode: 'return', mime: MIME });
    for (let i = 0; i < 3; i++) await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    // the notice comes last (after the file, the row and the evidence): wait for it, not
    // for the evidence alone, with a bound far above the 1.5 s idle time on a busy machine
    await vi.waitFor(() => expect(notices).toHaveLength(1), { timeout: 90_000, interval: 50 });
    const [ev] = await recent(core);
    expect(await recent(core)).toHaveLength(1);
    expect(ev).toMatchObject({ origin: 'recovered', mode: 'return' });
    expect((await rowOf(core, s.id)).status).toBe('recovered');
    expect(notices).toEqual([
      expect.objectContaining({
        code: 'notice.recordingRecovered',
        params: expect.objectContaining({ orderNo: 'ORPHAN-0001', evidenceId: ev.id }),
      }),
    ]);
    // the page, if it comes back, learns that this recording is no longer running
    expect(await core.dispatch('capture.chunk', { recordingId: s.id, seq: 3, data: chunks[3] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // and a late stop returns a clear conflict, not a second file
    expect(await core.dispatch('capture.stop', { recordingId: s.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await core.close();
  });

  it('a new scan on the reloaded page saves the abandoned recording at once', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 4, { width: 320, height: 240 });
    const { core } = await appCore(dir, 60_000);
    const a = await core.handlers['capture.start']({ code: 'RELOAD-0001', mode: 'outbound', mime: MIME });
    for (let i = 0; i < 3; i++) await core.handlers['capture.chunk']({ recordingId: a.id, seq: i, data: chunks[i] });
    // the precondition, not an assertion: the old page has been silent longer than orphanOnNewStartMs (200)
    await new Promise((r) => setTimeout(r, 300));
    const b = await core.handlers['capture.start']({ code: 'RELOAD-0002', mode: 'outbound', mime: MIME });
    await vi.waitFor(async () => expect((await rowOf(core, a.id)).status).toBe('recovered'), {
      timeout: 90_000,
      interval: 50,
    });
    expect((await rowOf(core, b.id)).status).toBe('recording');
    await core.handlers['capture.chunk']({ recordingId: b.id, seq: 0, data: chunks[0] });
    await core.close();
  });

  it('a wall-clock jump (NTP sync, the clerk sets the time) does not cut a live recording', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 4, { width: 320, height: 240 });
    const { core, notices } = await appCore(dir);
    const s = await core.handlers['capture.start']({ code: 'JUMP-0001', mode: 'outbound', mime: MIME });
    await core.handlers['capture.chunk']({ recordingId: s.id, seq: 0, data: chunks[0] });
    vi.useFakeTimers({ toFake: ['Date'] }); // only the wall clock moves; timers stay real
    try {
      vi.setSystemTime(Date.now() + 3_600_000);
      // the page sent a chunk a moment ago: one hour on the wall clock is no silence
      expect(await core.recordings.finalizeIdle(1500)).toEqual([]);
      for (let i = 1; i < chunks.length; i++)
        await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
      const ev = await core.handlers['capture.stop']({ recordingId: s.id });
      expect(ev.origin).toBe('recorded');
    } finally {
      vi.useRealTimers();
    }
    expect(notices).toEqual([]);
    await core.close();
  });

  it('Electron saw the renderer die: its recordings are saved without waiting', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 4, { width: 320, height: 240 });
    const { core, notices } = await appCore(dir, 60_000);
    const s = await core.handlers['capture.start']({ code: 'GONE-0001', mode: 'outbound', mime: MIME });
    for (let i = 0; i < 3; i++) await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    await core.rendererGone();
    expect((await rowOf(core, s.id)).status).toBe('recovered');
    expect(notices.map((n) => n.code)).toEqual(['notice.recordingRecovered']);
    await core.close();
  });

  it('a stop racing the watchdog yields one file', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 4, { width: 320, height: 240 });
    const { core } = await appCore(dir, 60_000);
    const s = await core.handlers['capture.start']({ code: 'RACE-0001', mode: 'outbound', mime: MIME });
    for (let i = 0; i < 3; i++) await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    const [a, b] = await Promise.all([core.rendererGone(), core.handlers['capture.stop']({ recordingId: s.id })]);
    expect(a).toBeUndefined();
    expect(await recent(core)).toEqual([expect.objectContaining({ id: b.id })]);
    await core.close();
  });
});

describe('one app instance per data folder', () => {
  it('a second app on the same folder is refused; the lock goes with the app', async () => {
    const dir = tmp();
    const first = await createCore({ dataDir: dir, mode: 'web', recover: true });
    // another process holds it: simulate with a live pid that is not ours (our parent)
    const lock = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ ...lock, pid: process.ppid }));
    await expect(createCore({ dataDir: dir, mode: 'web', recover: true })).rejects.toMatchObject({
      code: 'DATA_DIR_IN_USE',
    });
    // one-shot CLI commands still work next to the app
    const cli = await createCore({ dataDir: dir, mode: 'cli' });
    await cli.close();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lock));
    await first.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it.each([
    ['its process is gone (kill -9)', { pid: 2 ** 22 + 12345, startedAt: new Date().toISOString() }],
    [
      'it was written before this machine booted (power cut)',
      { pid: process.ppid, startedAt: '2000-01-01T00:00:00.000Z' },
    ],
  ])('a lock is taken over when %s', async (_name, lock) => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ ...lock, host: (await import('node:os')).hostname() }),
    );
    const core = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await core.close();
  });
});

// PostgreSQL keeps the records on the server: only a SQLite file can vanish from the data folder
describe.runIf(testEngine === 'sqlite')('a data folder whose database is gone', () => {
  it('is refused with a clear message instead of starting empty', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 1, { width: 320, height: 240 });
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const s = await core.handlers['capture.start']({ code: 'SF1000000000077', mode: 'outbound', mime: MIME });
    for (let i = 0; i < chunks.length; i++)
      await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    const ev = await core.handlers['capture.stop']({ recordingId: s.id });
    await core.close();
    for (const f of ['proofpack.db', 'proofpack.db-wal', 'proofpack.db-shm'])
      fs.rmSync(path.join(dir, f), { force: true });
    await expect(createCore({ dataDir: dir, mode: 'web', recover: true })).rejects.toMatchObject({
      code: 'DB_CORRUPT',
      details: { problem: 'missing' },
    });
    expect(fs.existsSync(path.join(dir, 'proofpack.db'))).toBe(false);
    expect(fs.existsSync(path.join(dir, ev.path))).toBe(true);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
