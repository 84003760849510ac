import { describe, expect, it } from 'vitest';
import { nvrChannelUrl, parseCameraUrl, redactCredentials, urlWithCredentials } from '../../shared/domain/camera';
import { movedShare } from '../../electron/core/cameras/idle-stop';
import { ptsElapsedMs, ptsOf, startsKeyframe, TsPacketizer, VIDEO_PID } from '../../electron/core/cameras/ts-stream';

describe('camera URLs', () => {
  it('splits credentials off the URL and puts them back for ffmpeg only', () => {
    const r = parseCameraUrl('rtsp://admin:p%40ss@10.0.0.5:554/Streaming/Channels/101');
    expect(r).toEqual({
      ok: true,
      value: { kind: 'rtsp', url: 'rtsp://10.0.0.5:554/Streaming/Channels/101', username: 'admin', password: 'p@ss' },
    });
    if (!r.ok) return;
    expect(urlWithCredentials(r.value.url, 'admin', 'p@ss')).toBe(
      'rtsp://admin:p%40ss@10.0.0.5:554/Streaming/Channels/101',
    );
    expect(parseCameraUrl('http://cam.local/video.mjpg')).toMatchObject({ ok: true, value: { kind: 'mjpeg' } });
    expect(parseCameraUrl('ftp://x/y')).toEqual({ ok: false, problem: 'camera-url-scheme' });
    expect(parseCameraUrl('not a url')).toEqual({ ok: false, problem: 'camera-url-invalid' });
  });

  it('builds Hikvision and Dahua NVR channel URLs (main and sub stream)', () => {
    expect(nvrChannelUrl({ brand: 'hikvision', host: '10.0.0.9', channel: 3, stream: 'main' })).toBe(
      'rtsp://10.0.0.9:554/Streaming/Channels/301',
    );
    expect(nvrChannelUrl({ brand: 'hikvision', host: '10.0.0.9', channel: 12, stream: 'sub' })).toBe(
      'rtsp://10.0.0.9:554/Streaming/Channels/1202',
    );
    expect(nvrChannelUrl({ brand: 'dahua', host: '10.0.0.8', port: 8554, channel: 2, stream: 'sub' })).toBe(
      'rtsp://10.0.0.8:8554/cam/realmonitor?channel=2&subtype=1',
    );
    expect(() => nvrChannelUrl({ brand: 'dahua', host: 'x', channel: 0, stream: 'main' })).toThrow(RangeError);
  });

  it('removes credentials from any text before it is logged or shown', () => {
    expect(redactCredentials('rtsp://admin:secret@10.0.0.5/x: 401 Unauthorized')).toBe(
      'rtsp://***@10.0.0.5/x: 401 Unauthorized',
    );
  });
});

describe('camera stream pieces', () => {
  it('cuts pipe reads into whole TS packets and finds keyframe starts', () => {
    const key = Buffer.alloc(188, 0xff);
    key.set([0x47, 0x41, 0x00, 0x30, 0x07, 0x50]); // adaptation field with random_access_indicator
    const plain = Buffer.alloc(188, 0xff);
    plain.set([0x47, 0x01, 0x00, 0x10]);
    const t = new TsPacketizer();
    const all = Buffer.concat([key, plain]);
    expect(t.push(all.subarray(0, 100))).toEqual([]);
    const packets = t.push(all.subarray(100));
    expect(packets.map(startsKeyframe)).toEqual([true, false]);
  });

  it('counts a picture as moved only when enough of its pixels changed', () => {
    const a = Buffer.alloc(576, 100);
    const noise = Buffer.from(a.map((v, i) => v + (i % 3) * 5)); // compression noise
    const moved = Buffer.from(a.map((v, i) => (i < 60 ? 250 : v))); // an arm across a corner
    expect(movedShare(a, noise)).toBe(0);
    expect(movedShare(a, moved)).toBeGreaterThan(0.02);
  });
});

/** a TS packet starting a video PES whose PTS is `pts` (90 kHz), as ffmpeg's muxer writes it */
function pesStart(pts: number, keyframe: boolean): Buffer {
  const p = Buffer.alloc(188, 0xff);
  p[0] = 0x47;
  p[1] = 0x40 | (VIDEO_PID >> 8); // payload_unit_start
  p[2] = VIDEO_PID & 0xff;
  p[3] = keyframe ? 0x30 : 0x10; // adaptation + payload, or payload only
  let at = 4;
  if (keyframe) {
    p[4] = 7; // adaptation length
    p[5] = 0x50; // random access + PCR flag
    at = 12;
  }
  Buffer.from([0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5]).copy(p, at);
  const hi = Math.floor(pts / 2 ** 30) & 7;
  const mid = Math.floor(pts / 2 ** 15) & 0x7fff;
  const lo = pts & 0x7fff;
  Buffer.from([0x21 | (hi << 1), mid >> 7, ((mid & 0x7f) << 1) | 1, lo >> 7, ((lo & 0x7f) << 1) | 1]).copy(p, at + 9);
  return p;
}

describe('MPEG-TS timestamps (a stop waits for the frames shot before it)', () => {
  it('reads the PTS of the PES a packet starts, with or without an adaptation field', () => {
    expect(ptsOf(pesStart(126_000, true))).toBe(126_000);
    expect(startsKeyframe(pesStart(126_000, true))).toBe(true);
    expect(ptsOf(pesStart(2 ** 33 - 90, false))).toBe(2 ** 33 - 90);
    const continuation = pesStart(9000, false);
    continuation[1] &= ~0x40; // not the start of a PES: no timestamp here
    expect(ptsOf(continuation)).toBeNull();
  });

  it('measures elapsed time across the 33-bit wrap', () => {
    expect(ptsElapsedMs(90_000, 180_000)).toBe(1000);
    expect(ptsElapsedMs(2 ** 33 - 45_000, 45_000)).toBe(1000);
  });
});
