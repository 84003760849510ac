import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import type { Core } from '../../electron/core/core';
import { ffmpegPath } from '../../electron/core/media/binaries';
import { CARD_RGB } from '../../electron/core/cameras/title-card';

/** What the network camera tests share: waiting on a station's state and reading its files. */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A waitFor bound to the station under test. It polls a state, never a duration. The
 * limit is generous (far beyond what any of these states takes even on a loaded machine)
 * so a camera that never comes back fails the test with what the station knew, instead
 * of hanging until the test's own timeout.
 */
export function waiterFor(station: () => Core | null) {
  return async function waitFor<T>(
    what: string,
    fn: () => T | null | undefined | false | Promise<T | null | undefined | false>,
    everyMs = 100,
    limitMs = 60_000,
  ): Promise<T> {
    const giveUpAt = Date.now() + limitMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      const core = station();
      if (!core) throw new Error(`gave up waiting for ${what}: the station was closed`);
      if (Date.now() > giveUpAt)
        throw new Error(
          `gave up waiting for ${what} after ${limitMs} ms; cameras: ${JSON.stringify(core.cameras.hub.status())}`,
        );
      await sleep(everyMs);
    }
  };
}

/** the camera parts one scan recorded, in order, with their recordings */
export function partsOfTake(c: Core, takeId: string) {
  return c.ctx.db
    .selectFrom('camera_parts as cp')
    .innerJoin('recordings as r', 'r.id', 'cp.recording_id')
    .select(['cp.part_no', 'cp.gap_ms', 'cp.card_ms', 'cp.station_id', 'r.status', 'r.evidence_id', 'r.started_at'])
    .where('cp.take_id', '=', takeId)
    .orderBy('cp.part_no')
    .execute();
}

/** one frame of a file as PNG, decoded by ffmpeg */
export function frameAt(file: string, seconds: number): Buffer {
  return execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-ss', String(seconds), '-i', file],
    ...['-frames:v', '1', '-f', 'image2', '-c:v', 'png', 'pipe:1'],
  ]);
}

/** the picture's top-left corner has the title card's background colour */
export async function isCardColour(png: Buffer): Promise<boolean> {
  const { data } = await sharp(png)
    .extract({ left: 2, top: 2, width: 8, height: 8 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [r, g, b] = [data[0], data[1], data[2]];
  return Math.abs(r - CARD_RGB.r) < 24 && Math.abs(g - CARD_RGB.g) < 24 && Math.abs(b - CARD_RGB.b) < 24;
}
