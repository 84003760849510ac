import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegPath } from '../../electron/core/media/binaries';
import { probe } from '../../electron/core/media/ffmpeg';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

/** a promise that must settle: a hang becomes a failure with a name, not a test timeout */
function settles<T>(p: Promise<T>, what: string, limitMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${limitMs} ms`)), limitMs);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

describe('probing MPEG-TS (camera parts) through ffmpeg', () => {
  it('a short part probes every time: ffprobe finishing first does not leave the probe hanging', async () => {
    // the bundled ffprobe crashes on MPEG-TS, so these go through ffmpeg → NUT pipe → ffprobe;
    // on a short file ffprobe often exited before ffmpeg's output was drained, and the probe
    // never settled (it hung the camera save that probes the part)
    const file = path.join(tmp(), 'part.ts');
    execFileSync(ffmpegPath(), [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=15', '-t', '3'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '8', '-f', 'mpegts', file],
    ]);
    for (let i = 0; i < 10; i++) {
      const p = await settles(probe(file), `probe #${i + 1}`);
      expect(Number(p.format.duration)).toBeCloseTo(3, 1);
      expect(p.streams.find((s) => s.codec_type === 'video')?.codec_name).toBe('h264');
    }
  });
});
