import { describe, expect, it } from 'vitest';
import { formatFromContainer, sniffBytes } from '../../electron/core/checks/sniff';
import { laplacianVariance } from '../../electron/core/checks/sharpness';
import { parseFfmpegProgress, parseInputDuration } from '../../electron/core/media/progress';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const ftyp = (brand: string, compat = 'isom') => bytes([0, 0, 0, 0x18], 'ftyp', brand, [0, 0, 2, 0], compat, 'mp41');

describe('content sniffing (magic bytes, never the name)', () => {
  it('tells images, PDF and containers apart', () => {
    expect(sniffBytes(bytes([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ kind: 'photo', format: 'jpg' });
    expect(sniffBytes(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]))).toEqual({ kind: 'photo', format: 'png' });
    expect(sniffBytes(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toEqual({ kind: 'photo', format: 'webp' });
    expect(sniffBytes(bytes('RIFF', [1, 2, 3, 4], 'AVI LIST'))).toEqual({ kind: 'video', format: 'avi' });
    expect(sniffBytes(bytes('%PDF-1.7\n'))).toEqual({ kind: 'document', format: 'pdf' });
    expect(sniffBytes(ftyp('isom'))).toEqual({ kind: 'video', format: 'mp4' });
    expect(sniffBytes(ftyp('qt  '))).toEqual({ kind: 'video', format: 'mov' });
    expect(sniffBytes(ftyp('3gp4'))).toEqual({ kind: 'video', format: '3gp' });
    expect(sniffBytes(ftyp('M4V '))).toEqual({ kind: 'video', format: 'm4v' });
    expect(sniffBytes(ftyp('M4A '))).toEqual({ kind: 'video', format: 'm4a' });
    expect(sniffBytes(ftyp('heic', 'mif1'))).toEqual({ kind: 'photo', format: 'heic' });
    expect(sniffBytes(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'))).toEqual({
      kind: 'video',
      format: 'webm',
    });
    expect(sniffBytes(bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88], 'matroska'))).toEqual({
      kind: 'video',
      format: 'mkv',
    });
    expect(sniffBytes(bytes([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]))).toEqual({
      kind: 'video',
      format: 'wmv',
    });
    expect(sniffBytes(bytes('FLV', [1, 5]))).toEqual({ kind: 'video', format: 'flv' });
    expect(sniffBytes(bytes('.RMF', [0, 0, 0, 0x12]))).toEqual({ kind: 'video', format: 'rmvb' });
    expect(sniffBytes(bytes('this is not an image'))).toEqual({ kind: null, format: null });
    expect(sniffBytes(new Uint8Array(0))).toEqual({ kind: null, format: null });
  });

  it('maps ffprobe container names, keeping the brand the bytes revealed', () => {
    expect(formatFromContainer('mov,mp4,m4a,3gp,3g2,mj2', 'mov')).toBe('mov');
    expect(formatFromContainer('matroska,webm', 'webm')).toBe('webm');
    expect(formatFromContainer('asf', null)).toBe('wmv');
    expect(formatFromContainer('mpegts', null)).toBe('ts');
  });
});

describe('blur score', () => {
  it('is high for edges and near zero for a flat or smooth image', () => {
    const w = 64;
    const checker = new Uint8Array(w * w).map((_, i) => ((((i % w) >> 2) + ((i / w) >> 2)) % 2 ? 255 : 0));
    const ramp = new Uint8Array(w * w).map((_, i) => (i % w) * 2);
    expect(laplacianVariance(checker, w, w)).toBeGreaterThan(1000);
    expect(laplacianVariance(ramp, w, w)).toBeLessThan(1);
    expect(laplacianVariance(new Uint8Array(4), 2, 2)).toBe(0);
  });
});

/** Lines copied from the bundled ffmpeg 4.1 (2018) stderr, as fluent-ffmpeg hands them over. */
describe('ffmpeg progress parser on real stderr lines', () => {
  it('reads time, frame and speed of an encode', () => {
    const line = 'frame=   66 fps=0.0 q=20.0 size=    1792kB time=00:00:02.03 bitrate=7219.7kbits/s speed=4.04x    ';
    expect(parseFfmpegProgress(line, 3000)).toEqual({ timeMs: 2030, frame: 66, speed: 4.04, ratio: 2030 / 3000 });
    const last = 'frame=   90 fps=0.0 q=-1.0 Lsize=    2707kB time=00:00:02.96 bitrate=7474.6kbits/s speed=3.92x    ';
    expect(parseFfmpegProgress(last, 2960)?.ratio).toBe(1);
  });

  it('handles audio-only lines, exponent speeds of fast copies and unknown totals', () => {
    const audio = 'size=      19kB time=00:00:02.02 bitrate=  78.1kbits/s speed= 219x    ';
    expect(parseFfmpegProgress(audio, null)).toEqual({ timeMs: 2020, frame: null, speed: 219, ratio: null });
    const copy =
      'frame=  600 fps=0.0 q=-1.0 Lsize=   18800kB time=00:00:19.96 bitrate=7713.4kbits/s speed=1.79e+03x    ';
    expect(parseFfmpegProgress(copy, 60_000)).toMatchObject({ timeMs: 19_960, frame: 600, speed: 1790 });
    const negative = 'frame=    1 fps=0.0 q=0.0 size=       0kB time=-00:00:00.03 bitrate=N/A speed=N/A    ';
    expect(parseFfmpegProgress(negative, 1000)).toMatchObject({ timeMs: 0, speed: null, ratio: 0 });
    expect(parseFfmpegProgress('Stream mapping:', 1000)).toBeNull();
  });

  it('reads the input duration from the banner', () => {
    expect(parseInputDuration('  Duration: 00:01:00.00, start: 0.000000, bitrate: 7697 kb/s')).toBe(60_000);
    expect(parseInputDuration('  Duration: N/A, start: 0.000000, bitrate: 705 kb/s')).toBeNull();
  });
});
