// A station process recording one network camera, for the crash test: it prints
// "recording <ms>" once the camera's part exists, then records until it is killed.
import { randomUUID } from 'node:crypto';
import { countTakeParts } from '../../electron/core/cameras/camera-parts-repo';
import { createCore } from '../../electron/core/core';

async function main(dataDir: string, code: string) {
  const core = await createCore({ dataDir, mode: 'web', cameras: { feed: { stallMs: 2000 } } });
  const [feed] = core.cameras.hub.status();
  if (!feed) throw new Error('no camera configured');
  for (;;) {
    if (core.cameras.hub.feed(feed.cameraId)?.preroll()) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const takeId = randomUUID();
  const t0 = Date.now();
  core.cameras.afterCaptureStart(takeId, { code, mode: 'outbound' }, t0);
  for (;;) {
    if ((await countTakeParts(core.ctx.db, takeId)) > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stdout.write(`recording ${t0}\n`);
}

const [dataDir, code] = process.argv.slice(2);
void main(dataDir, code);
