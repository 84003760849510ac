import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { probe } from '../../electron/core/media/ffmpeg';
import { sha256File } from '../../electron/core/storage/files';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('recording service (real SQLite, real ffmpeg)', () => {
  it('turns streamed chunks into a playable, hashed MP4 recorded in SQLite', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 4);
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const h = core.handlers;
    const session = await h['capture.start']({
      code: 'SF1234567890123',
      mode: 'outbound',
      mime: 'video/mp4;codecs=avc1',
    });
    expect(session.trackingNo).toBe('SF1234567890123');
    let seq = 0;
    for (const data of chunks) await h['capture.chunk']({ recordingId: session.id, seq: seq++, data });
    // a retried chunk is ignored, an out-of-order one refused
    await h['capture.chunk']({ recordingId: session.id, seq: 0, data: chunks[0] });
    await expect(h['capture.chunk']({ recordingId: session.id, seq: seq + 3, data: chunks[0] })).rejects.toThrow(
      /arrived before/,
    );
    h['capture.mark']({ recordingId: session.id, step: 'six-sides', atMs: 1200 });
    const ev = await h['capture.stop']({ recordingId: session.id });

    const abs = path.join(dir, ev.path);
    expect(ev.path).toMatch(/^media\/\d{4}-\d{2}-\d{2}\/SF1234567890123\/outbound-\d{6}-[0-9a-f]{6}\.mp4$/);
    const p = await probe(abs);
    expect(p.format.format_name).toContain('mp4');
    expect(p.streams[0].codec_name).toBe('h264');
    expect(Number(p.format.duration)).toBeGreaterThan(3.5);
    expect(Number(p.format.duration)).toBeLessThan(4.5);
    expect(ev.durationMs).toBeGreaterThan(3500);
    expect(ev.sha256).toBe(await sha256File(abs));
    expect(ev.bytes).toBe(fs.statSync(abs).size);
    expect(ev.chapters).toEqual([{ step: 'six-sides', atMs: 1200 }]);
    // fast start: the index (moov) comes before the media data
    const whole = fs.readFileSync(abs).toString('latin1');
    expect(whole.indexOf('moov')).toBeGreaterThan(-1);
    expect(whole.indexOf('moov')).toBeLessThan(whole.indexOf('mdat'));
    expect(fs.readdirSync(path.join(dir, 'media', 'incoming'))).toEqual([]);
    await expect(h['capture.stop']({ recordingId: session.id })).rejects.toThrow(/already ended/);

    const list = h['orders.search']({ query: '12345', limit: 10 }) as Awaited<ReturnType<(typeof h)['orders.search']>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ videoCount: 1, evidenceCount: 1 });
    expect(verifyAudit(core.ctx.db)).toMatchObject({ ok: true });
    await core.close();
  });

  it('recovers a recording interrupted by a crash, up to the last stored chunk', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 6);
    const core = await createCore({ dataDir: dir, mode: 'web' });
    const s = await core.handlers['capture.start']({
      code: '231124-000000000000001',
      mode: 'return',
      mime: 'video/mp4;codecs=avc1',
    });
    const kept = Math.ceil(chunks.length * 0.6);
    for (let i = 0; i < kept; i++) await core.handlers['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    // "crash": the process dies without stop; only the database handle goes away
    core.ctx.db.close();

    const again = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(again.ctx.startupNotices.map((n) => n.code)).toEqual(['recording.recovered']);
    const [ev] = again.handlers['evidence.recent']({ limit: 5 }) as Awaited<
      ReturnType<(typeof again.handlers)['evidence.recent']>
    >;
    expect(ev.origin).toBe('recovered');
    expect(ev.mode).toBe('return');
    expect(ev.durationMs!).toBeGreaterThan(2500);
    expect(ev.durationMs!).toBeLessThan(4500);
    expect(ev.sha256).toBe(await sha256File(path.join(dir, ev.path)));
    await again.close();
  });

  it('marks a recording with no usable video as failed and keeps its raw file', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'web' });
    const s = await core.handlers['capture.start']({ code: 'ORDER-EMPTY-1', mode: 'outbound', mime: 'video/mp4' });
    await core.handlers['capture.chunk']({ recordingId: s.id, seq: 0, data: new Uint8Array([0, 0, 0, 8, 1, 2, 3]) });
    core.ctx.db.close();
    const again = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(again.ctx.startupNotices.map((n) => n.code)).toEqual(['recording.unrecoverable']);
    expect(fs.readdirSync(path.join(dir, 'media', 'incoming'))).toHaveLength(1);
    await again.close();
  });

  it('refuses unusable scans with a reason', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    await expect(
      core.handlers['capture.start']({ code: '  ', mode: 'outbound', mime: 'video/mp4' }),
    ).rejects.toMatchObject({ code: 'BAD_SCAN', details: { problem: 'empty' } });
    await expect(
      core.handlers['capture.start']({ code: 'x'.repeat(600), mode: 'outbound', mime: 'video/mp4' }),
    ).rejects.toMatchObject({ code: 'BAD_SCAN' });
    await core.close();
  });
});
