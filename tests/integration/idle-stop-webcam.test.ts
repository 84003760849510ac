import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { recorderLikeStream } from '../helpers/recorder-stream';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T10:00:00Z').getTime();

let core: Core | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await core?.close();
  core = null;
});

describe(`idle auto-stop of a PC-camera-only recording (${testEngine}, fixed clock)`, () => {
  it('motion the page reports keeps it going; after N minutes with neither motion nor scan the page is told to stop it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    // no network camera: the page's own motion reports are all the station has
    core = await createCore({ dataDir: tmp(), mode: 'cli' });
    const c = core;
    const h = c.handlers;
    await h['cameras.setIdleStop']({ minutes: 1 });
    const notices: { code: string; params?: Record<string, string | number> }[] = [];
    c.ctx.events.onAny((e, p) => {
      if (e === 'notice') notices.push(p as (typeof notices)[number]);
    });
    const { chunks } = recorderLikeStream(tmp('pp-media-'), 2);
    const session = await h['capture.start']({ code: 'SF1231231231231', mode: 'outbound', mime: 'video/mp4' });
    let seq = 0;
    for (const data of chunks) await h['capture.chunk']({ recordingId: session.id, seq: seq++, data });
    const autoStops = () => notices.filter((n) => n.code === 'recording.autoStopped');

    // the page saw its picture move 50 s in: a minute later counts from there
    vi.setSystemTime(T0 + 50_000);
    await h['capture.activity']({ recordingId: session.id });
    vi.setSystemTime(T0 + 100_000);
    await c.cameras.idle.tick();
    expect(autoStops()).toEqual([]);

    // 61 s without motion or scan: the page is told (it owns the recorder), once: a second tick right after does not repeat it
    vi.setSystemTime(T0 + 111_000);
    await c.cameras.idle.tick();
    await c.cameras.idle.tick();
    expect(autoStops()).toEqual([
      { level: 'info', code: 'recording.autoStopped', params: { recordingId: session.id, minutes: 1 } },
    ]);
    // a page that missed the notice (socket reconnecting, still waiting for the recording's
    // id) is asked again while the recording stays open
    vi.setSystemTime(T0 + 120_000);
    await c.cameras.idle.tick();
    expect(autoStops()).toHaveLength(1);
    vi.setSystemTime(T0 + 121_000);
    await c.cameras.idle.tick();
    expect(autoStops()).toHaveLength(2);
    // the core did not finalize it under the page's recorder: the page's stop saves it
    // (had the core stopped it, this stop would be refused as already ended)
    const saved = await h['capture.stop']({ recordingId: session.id });
    expect(saved.kind).toBe('video');
  });
});
