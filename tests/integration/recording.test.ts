import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { probe } from '../../electron/core/media/ffmpeg';
import { sha256File } from '../../electron/core/storage/files';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { saveRecording } from '../../electron/core/capture/save-recording';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();

describe(`recording service (real ${testEngine}, real ffmpeg)`, () => {
  it('turns streamed chunks into a playable, hashed MP4 recorded in the database', async () => {
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
    await h['capture.mark']({ recordingId: session.id, step: 'six-sides', atMs: 1200 });
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

    const list = await h['orders.search']({ query: '12345', limit: 10 });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: session.orderId, videoCount: 1, evidenceCount: 1 });
    expect(ev).toMatchObject({ orderId: session.orderId });
    // rows this station made carry its station id; a chapter gets a UUIDv7 (the recording keeps its random UUID)
    const rec = await core.ctx.db
      .selectFrom('recordings')
      .select(['station_id', 'evidence_id', 'status'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(rec).toEqual({ station_id: core.ctx.db.stationId, evidence_id: ev.id, status: 'finalized' });
    const chapter = await core.ctx.db.selectFrom('chapters').selectAll().executeTakeFirstOrThrow();
    expect(chapter).toMatchObject({ recording_id: session.id, station_id: core.ctx.db.stationId });
    expect(chapter.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(await verifyAudit(core.ctx.db)).toMatchObject({ ok: true });
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
    await core.ctx.db.destroy();

    const again = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(again.ctx.startupNotices.map((n) => n.code)).toEqual(['recording.recovered']);
    const [ev] = await again.handlers['evidence.recent']({ limit: 5 });
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
    await core.ctx.db.destroy();
    const again = await createCore({ dataDir: dir, mode: 'web', recover: true });
    expect(again.ctx.startupNotices.map((n) => n.code)).toEqual(['recording.unrecoverable']);
    expect(fs.readdirSync(path.join(dir, 'media', 'incoming'))).toHaveLength(1);
    await again.close();
  });

  it('a second finalization of a saved recording adds no evidence and no audit entry', async () => {
    const dir = tmp();
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 2);
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    const h = core.handlers;
    const s = await h['capture.start']({ code: 'TWICE-0001', mode: 'outbound', mime: 'video/mp4;codecs=avc1' });
    for (let i = 0; i < chunks.length; i++) await h['capture.chunk']({ recordingId: s.id, seq: i, data: chunks[i] });
    // what a slower finalizer (the watchdog, another process) read before this stop
    const stale = await core.ctx.db
      .selectFrom('recordings')
      .select([
        'id',
        'order_id',
        'scan_code',
        'mode',
        'mime',
        'part_path',
        'station',
        'operator',
        'started_at',
        'status',
      ])
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    const part = path.join(dir, stale.part_path);
    const kept = fs.readFileSync(part);
    const ev = await h['capture.stop']({ recordingId: s.id });
    const audit = async () =>
      (await core.ctx.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
    const before = await audit();

    // the part is gone: nothing to save, and the saved recording is not declared unrecoverable
    await expect(saveRecording(core.ctx, stale, 'recovered')).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE' });
    // the part is still there (the first save had not removed it yet): the row refuses a second evidence
    fs.writeFileSync(part, kept);
    await expect(saveRecording(core.ctx, stale, 'recovered')).rejects.toMatchObject({ code: 'CONFLICT' });

    expect(await audit()).toEqual(before);
    expect(await h['evidence.recent']({ limit: 10 })).toEqual([expect.objectContaining({ id: ev.id })]);
    const row = await core.ctx.db
      .selectFrom('recordings')
      .select(['status', 'evidence_id'])
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'finalized', evidence_id: ev.id });
    await core.close();
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
