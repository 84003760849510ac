import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CARD_RGB, videoSpanSec, withTitleCards } from '../../electron/core/cameras/title-card';
import { ffmpegPath } from '../../electron/core/media/binaries';
import { ffprobePackets } from '../../electron/core/media/ffmpeg';
import { decodeTexts } from '../fixtures/barcodes';
import { labelPngFile } from '../fixtures/label';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const ORDER = 'SF7700112233445';
const FPS = 15;

/**
 * A camera part as a stream copy leaves it: H.264 in MPEG-TS at 15 fps showing a label,
 * plus an audio track that runs 3 s past the last frame (cameras with a microphone). The
 * container's duration then covers the audio, not the footage.
 */
async function cameraPart(dir: string): Promise<string> {
  const label = await labelPngFile({ trackingNo: ORDER });
  const out = path.join(dir, 'part.ts');
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-y', '-loop', '1', '-framerate', String(FPS), '-t', '4', '-i', label],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=7'],
    ...['-vf', 'scale=640:360,format=yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high'],
    ...['-g', '8', '-bf', '0', '-c:a', 'aac', '-f', 'mpegts', out],
  ]);
  return out;
}

/** the picture `seconds` after the file's start, decoded from the start (a seek in MPEG-TS lands on a keyframe) */
function frameAt(file: string, seconds: number): Buffer {
  return execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-i', file, '-ss', String(seconds), '-frames:v', '1'],
    ...['-f', 'image2', '-c:v', 'png', 'pipe:1'],
  ]);
}

async function isCardColour(png: Buffer): Promise<boolean> {
  const { data } = await sharp(png).extract({ left: 2, top: 2, width: 8, height: 8 }).raw().toBuffer({
    resolveWithObject: true,
  });
  return [CARD_RGB.r, CARD_RGB.g, CARD_RGB.b].every((c, i) => Math.abs(data[i] - c) < 24);
}

describe('title cards on a stream-copied camera clip (real ffmpeg)', () => {
  it('joins card + footage + card end to end by exact timestamps: no gap, every frame kept, the cards show the order', async () => {
    const dir = tmp();
    const part = await cameraPart(dir);
    const footage = await videoSpanSec(part);
    expect(footage.frames).toBe(4 * FPS);
    const joined = await withTitleCards(part, {
      orderNo: ORDER,
      trackingNo: null,
      station: 'Desk 1',
      operator: 'op',
      cameraName: 'Overhead',
      startedAt: new Date('2026-11-20T10:00:00Z'),
      lang: 'en',
    });
    expect(joined).not.toBeNull();
    const pts: number[] = [];
    await ffprobePackets(joined!, (p) => p.pts != null && pts.push(p.pts), { select: 'v:0' });
    pts.sort((a, b) => a - b);
    const step = 1 / FPS;
    // the footage follows the start card and the end card follows the footage with no hole
    // (placed by the container's duration, the end card came 3 s after the last frame)
    const holes = pts.slice(1).filter((t, i) => t - pts[i] > 1.5 * step);
    expect(holes).toEqual([]);
    const out = await videoSpanSec(joined!);
    const cardFrames = (out.frames - footage.frames) / 2;
    expect(Number.isInteger(cardFrames) && cardFrames >= 1.5 * FPS).toBe(true);
    expect(Math.abs(out.seconds - (footage.seconds + (2 * cardFrames) / FPS))).toBeLessThan(step / 2);

    // first and last pictures are the card with the order's barcode; the middle is the label
    for (const at of [0.1, out.seconds - 0.2]) {
      const png = frameAt(joined!, at);
      expect(await isCardColour(png), `card at ${at} s`).toBe(true);
      expect(await decodeTexts(png)).toContain(ORDER);
    }
    const middle = frameAt(joined!, cardFrames / FPS + 2);
    expect(await isCardColour(middle)).toBe(false);
    expect(await decodeTexts(middle)).toContain(ORDER);
  });
});
