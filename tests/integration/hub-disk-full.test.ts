import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOrCreateOrderByNumber } from '../../electron/core/cases/order-lookup';
import { importEvidence } from '../../electron/core/evidence/import-service';
import { listHubEvidence } from '../../electron/core/hub/hub-evidence';
import { createPairingCode } from '../../electron/core/hub/hub-stations';
import { joinHub } from '../../electron/core/hub/join-hub';
import { sha256File } from '../../electron/core/storage/files';
import { syncNow } from '../../electron/core/sync/station-sync';
import { makeLargeVideo } from '../fixtures';
import { useHubCores } from '../helpers/hub-cores';
import { testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();
const T0 = new Date('2026-11-20T08:00:00Z');
const clock = () => T0;
const MiB = 1024 * 1024;
const { core, serve } = useHubCores(tmp);

/**
 * A small disk of its own (tmpfs) for the hub's media, like a NAS share that fills up.
 * Mounting needs root (CI runs as root); elsewhere the test says it was skipped.
 */
function smallDisk(mb: number): { dir: string; grow(mb: number): void; remove(): void } | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmdirSync(dir);
    return null;
  }
  return {
    dir,
    grow: (to) => execFileSync('mount', ['-o', `remount,size=${to}m`, dir], { stdio: 'ignore' }),
    remove: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      fs.rmdirSync(dir);
    },
  };
}

const disks: { remove(): void }[] = [];
afterEach(() => {
  for (const d of disks.splice(0)) d.remove();
});

const probe = process.getuid?.() === 0 ? smallDisk(1) : null;
probe?.remove();

// the media is a folder: the database engine plays no part, so once is enough
describe.runIf(testEngine === 'sqlite')('hub faults: the hub’s media disk full', { timeout: 300_000 }, () => {
  it.skipIf(!probe)(
    'a file that cannot fit is refused in words before its first byte; the station keeps it and sends it once space is freed',
    async () => {
      const disk = smallDisk(12)!;
      disks.push(disk);
      const hub = await core();
      const server = await serve({ core: hub, clock, media: disk.dir });
      const station = await core();
      const { code } = await createPairingCode(hub.ctx.db, '打包台 8', T0);
      await joinHub(station.ctx.db, { hubUrl: server.url, code }, { now: T0 });
      const order = await findOrCreateOrderByNumber(station.ctx.db, 'PDD-FULL-1', null);
      const { evidence } = await importEvidence(station.ctx, {
        orderId: order.id,
        originalName: 'packing.mp4',
        source: { path: await makeLargeVideo({ minBytes: 20 * MiB, width: 640, height: 360 }) },
      });

      const full = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
      expect(full).toMatchObject({ queued: 1, uploaded: 0, verified: 0, failed: 1 });
      // refused before its first byte, with the sizes: nothing half-written fills the disk further
      expect(full.lastError).toMatch(
        /media store is full \(.*\): \d+\.\d MB needed, \d+\.\d MB free\. The station keeps it/,
      );
      expect(fs.readdirSync(path.join(disk.dir, '.incoming')).filter((n) => !n.endsWith('.json'))).toEqual([]);
      expect(await sha256File(path.join(station.ctx.paths.root, evidence.path))).toBe(evidence.sha256);
      expect((await listHubEvidence(hub.ctx.db)).map((e) => e.verified_at)).toEqual([null]);

      // the admin frees space (here: a bigger disk); the next pass sends it
      disk.grow(64);
      const done = await syncNow(station.ctx.db, station.ctx.paths.root, { now: clock });
      expect(done).toEqual({ queued: 0, uploaded: 1, verified: 1, failed: 0, lastError: null });
      const [row] = await listHubEvidence(hub.ctx.db);
      expect(await sha256File(row.location!)).toBe(evidence.sha256);
      expect(fs.readdirSync(path.join(disk.dir, '.incoming'))).toEqual([]);
    },
  );
});
