import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';

export const LOCK_FILE = 'proofpack.lock';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * One app instance per data folder. A second instance would "recover" the first one's
 * live recording (finalizing a file that is still being written) and both would append
 * to the same parts, so the app takes this lock before recovering anything.
 *
 * A lock is stale, and taken over, when its process is gone (kill -9, crash) or when it
 * was written before this machine last booted (power cut: the pid may now belong to an
 * unrelated process). Returns the release function.
 */
export function acquireDataLock(dataDir: string, now = new Date()): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: now.toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(mine));
      fs.closeSync(fd);
      return () => releaseDataLock(file, mine);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = readLock(file);
    if (held && isLive(held, now)) {
      throw new AppError('DATA_DIR_IN_USE', `ProofPack is already running on ${dataDir} (process ${held.pid})`, {
        dataDir,
        pid: held.pid,
        problem: 'in-use',
      });
    }
    fs.rmSync(file, { force: true }); // stale: its owner died
  }
  throw new AppError('DATA_DIR_IN_USE', `Could not take the lock of ${dataDir}`, { dataDir, problem: 'lock-failed' });
}

function readLock(file: string): LockInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof v.pid === 'number' ? v : null;
  } catch {
    return null; // half-written by a process that died while writing it
  }
}

function isLive(lock: LockInfo, now: Date): boolean {
  // our own process: a core of this process that went away without closing (tests)
  if (lock.pid === process.pid) return false;
  if (lock.host !== os.hostname()) return true; // a data folder on a share used by another PC
  const bootedAt = now.getTime() - os.uptime() * 1000;
  if (Date.parse(lock.startedAt) < bootedAt) return false;
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseDataLock(file: string, mine: LockInfo): void {
  const held = readLock(file);
  if (held && held.pid === mine.pid && held.startedAt === mine.startedAt) fs.rmSync(file, { force: true });
}
