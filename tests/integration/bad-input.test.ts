import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../electron/core/checks/check-file';
import { createCore, type Core } from '../../electron/core/core';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { probe, runFfmpeg } from '../../electron/core/media/ffmpeg';
import { resolveInside } from '../../electron/core/storage/files';
import { isAppError } from '../../shared/api/result';
import type { Evidence } from '../../shared/domain/types';
import { builtinProfile } from '../../shared/rules/builtin';
import { hugePngHeader, makeBadFile, type BadFileKind } from '../fixtures';
import { assertPortableSegment, SCAN_TABLE } from '../helpers/bad-scans';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { dropDatabasesOf } from '../helpers/test-db';
import { sqliteHandle } from '../../electron/core/db/sqlite/open-sqlite';

const tmp = useTempDirs();
const MIME = 'video/mp4;codecs=avc1';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out.sort();
}

describe('bad scans through a real recording', () => {
  let core: Core;
  let dir: string;
  let chunk: Uint8Array;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'pp-scans-'));
    core = await createCore({ dataDir: dir, mode: 'cli' });
    chunk = fs.readFileSync(
      recorderLikeStream(fs.mkdtempSync(path.join(dir, 'src-')), 1, { width: 320, height: 240 }).file,
    );
  });
  afterAll(async () => {
    await core.close();
    await dropDatabasesOf([dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(SCAN_TABLE)('%s: a clear refusal, or a safe file inside the data folder', async (_name, raw, expected) => {
    const r = await core.dispatch('capture.start', { code: raw, mode: 'return', mime: MIME });
    if (expected !== 'ok') {
      expect(r).toMatchObject({ ok: false, error: { code: 'BAD_SCAN', details: { problem: expected } } });
      return;
    }
    expect(r.ok).toBe(true);
    const session = (r as { value: { id: string; orderNo: string } }).value;
    await core.handlers['capture.chunk']({ recordingId: session.id, seq: 0, data: chunk });
    const ev = await core.handlers['capture.stop']({ recordingId: session.id });
    const segments = ev.path.split('/');
    expect(segments[0]).toBe('media');
    segments.slice(1).forEach(assertPortableSegment);
    const abs = resolveInside(dir, ev.path)!;
    expect(abs).not.toBeNull();
    expect(fs.existsSync(abs)).toBe(true);
    // the order keeps the code as scanned (normalised), findable by search
    const found = await core.handlers['orders.search']({ query: session.orderNo, limit: 5 });
    expect(found.map((o) => o.orderNo)).toContain(session.orderNo);
  });

  it('a scan while a job runs starts recording at once; the job carries on', async () => {
    const job = core.ctx.jobs.start({
      kind: 'test.encode',
      title: 'a real ffmpeg encode',
      run: (j) =>
        runFfmpeg({
          inputs: [{ file: 'testsrc2=size=320x240:rate=15:duration=3', options: ['-f', 'lavfi'] }],
          output: path.join(dir, 'job-out.mp4'),
          outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast'],
          signal: j.signal,
          timeoutMs: 60_000,
        }),
    });
    expect(core.ctx.jobs.get(job.id).status).toBe('running');
    const s = await core.handlers['capture.start']({ code: 'SF2000000000001', mode: 'outbound', mime: MIME });
    await core.handlers['capture.chunk']({ recordingId: s.id, seq: 0, data: chunk });
    const ev = await core.handlers['capture.stop']({ recordingId: s.id });
    expect(ev.durationMs).toBeGreaterThan(0);
    await job.done;
    expect(core.ctx.jobs.get(job.id).status).toBe('done');
  });
});

/** What each bad file must give: the check's state and finding, and what import says. */
const FILE_TABLE: [
  BadFileKind,
  { state: 'block' | 'warn' | 'ok'; finding?: string; imports: false | 'video' | 'photo' },
][] = [
  ['empty', { state: 'block', finding: 'FILE_UNREADABLE', imports: false }],
  // readable headers: kept as the original the staff gave (never altered), the check blocks it
  ['truncated-mp4', { state: 'block', finding: 'FILE_TRUNCATED', imports: 'video' }],
  ['truncated-mp4-no-moov', { state: 'block', finding: 'FILE_UNREADABLE', imports: false }],
  ['random-bytes-mp4', { state: 'block', finding: 'FILE_UNREADABLE', imports: false }],
  ['garbage-mkv', { state: 'block', finding: 'FILE_UNREADABLE', imports: false }],
  ['mkv-no-frames', { state: 'block', finding: 'FILE_UNREADABLE', imports: false }],
  ['text-named-jpg', { state: 'block', finding: 'FILE_UNREADABLE', imports: false }],
  ['png-huge-dimensions', { state: 'block', finding: 'PHOTO_TOO_MANY_PIXELS', imports: 'photo' }],
  ['mp4-named-avi', { state: 'warn', finding: 'EXTENSION_MISMATCH', imports: 'video' }],
  ['jpeg-named-png', { state: 'warn', finding: 'EXTENSION_MISMATCH', imports: 'photo' }],
];

describe('bad files: a clear finding, nothing else harmed', () => {
  const profile = builtinProfile('pdd')!;

  it.each(FILE_TABLE)('%s', async (kind, want) => {
    const file = await makeBadFile(kind);
    const report = await checkFile(file, profile, { lang: 'en' });
    if (want.finding) expect(report.findings.map((f) => f.code)).toContain(want.finding);
    if (want.state === 'block') expect(report.state).toBe('block');
    else expect(report.state).not.toBe('ok'); // a warning at least (some also fail other rules)
    for (const f of report.findings) expect(f.message.length).toBeGreaterThan(0);

    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const order = await core.handlers['capture.start']({ code: `FILES-${kind}`, mode: 'return', mime: MIME });
    const before = filesUnder(path.join(dir, 'media'));
    const evBefore = (await core.handlers['evidence.recent']({ limit: 50 })).length;
    const result = await importEvidence(core.ctx, {
      orderId: order.orderId,
      originalName: path.basename(file),
      source: { path: file },
    }).then(
      (r) => r.evidence,
      (e) => e,
    );
    if (want.imports === false) {
      expect(isAppError(result)).toBe(true);
      expect(['INVALID_INPUT', 'MEDIA_UNREADABLE']).toContain((result as { code: string }).code);
      expect(filesUnder(path.join(dir, 'media'))).toEqual(before); // no partial copy left behind
      expect((await core.handlers['evidence.recent']({ limit: 50 })).length).toBe(evBefore);
    } else {
      expect((result as Evidence).kind).toBe(want.imports); // by content, not by name
    }
    if (core.ctx.db.engine === 'sqlite')
      expect(sqliteHandle(core.ctx.db).pragma('integrity_check', { simple: true })).toBe('ok');
    await core.close();
  });

  it('special files pretending to be videos (FIFO, /dev/zero, a folder, a 3 GB sparse file) are refused without hanging', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'pipe.mp4');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(dir, 'zero.mp4');
    fs.symlinkSync('/dev/zero', zero);
    const folder = path.join(dir, 'folder.mp4');
    fs.mkdirSync(folder);
    const sparse = path.join(dir, 'sparse.mp4');
    fs.closeSync(fs.openSync(sparse, 'w'));
    fs.truncateSync(sparse, 3 * 1024 ** 3);
    const profile = builtinProfile('pdd')!;
    for (const f of [fifo, zero, folder]) {
      const r = await checkFile(f, profile, { lang: 'zh-CN' });
      expect(r.probe.unreadable).toBe('not-a-file');
      expect(r.state).toBe('block');
    }
    const big = await checkFile(sparse, profile, { lang: 'en' });
    expect(big.state).toBe('block');
    expect(big.findings.map((x) => x.code)).toContain('FILE_UNREADABLE');

    const data = tmp();
    const core = await createCore({ dataDir: data, mode: 'cli' });
    const order = await core.handlers['capture.start']({ code: 'FILES-SPECIAL', mode: 'return', mime: MIME });
    for (const f of [fifo, zero, folder, sparse]) {
      await expect(
        importEvidence(core.ctx, { orderId: order.orderId, originalName: path.basename(f), source: { path: f } }),
      ).rejects.toSatisfy(isAppError);
    }
    expect(filesUnder(path.join(data, 'media')).filter((f) => !f.includes('incoming'))).toEqual([]);
    await core.close();
  });

  it('every ffprobe and ffmpeg run is killed at its timeout (a FIFO that never delivers a byte)', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'stuck.mkv');
    execFileSync('mkfifo', [fifo]);
    await expect(probe(fifo, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(
      runFfmpeg({
        inputs: [{ file: fifo }],
        output: path.join(dir, 'out.mp4'),
        outputOptions: ['-c', 'copy'],
        timeoutMs: 500,
      }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    // neither left a process behind reading the pipe
    const left = execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter((l) => l.includes(fifo));
    expect(left).toEqual([]);
  });

  it('a decompression-bomb photo from the station camera is refused before it is stored', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const order = await core.handlers['capture.start']({ code: 'PHOTO-BOMB', mode: 'return', mime: MIME });
    const r = await core.dispatch('capture.photo', {
      orderId: order.orderId,
      mode: 'return',
      mime: 'image/png',
      data: new Uint8Array(hugePngHeader(30000, 30000)),
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'MEDIA_UNREADABLE' } });
    const noise = await core.dispatch('capture.photo', {
      orderId: order.orderId,
      mode: 'return',
      mime: 'image/jpeg',
      data: new Uint8Array(4096).fill(7),
    });
    expect(noise).toMatchObject({ ok: false, error: { code: 'MEDIA_UNREADABLE' } });
    expect(filesUnder(path.join(dir, 'media')).filter((f) => !f.includes('incoming'))).toEqual([]);
    await core.close();
  });
});
