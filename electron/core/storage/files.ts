import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** SHA-256 of a file, streamed (never the whole file in memory). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

export const sha256Bytes = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Write all of `data` at `position` and make it durable. A short write is continued (the
 * kernel may write less than asked on a nearly full disk); on any failure the file is cut
 * back to `position`, so it always ends on a whole chunk and the next write lands right.
 */
export async function appendDurably(fh: fsp.FileHandle, data: Uint8Array, position: number): Promise<void> {
  try {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
      if (bytesWritten <= 0)
        throw Object.assign(new Error('No space left on device (short write)'), { code: 'ENOSPC' });
      done += bytesWritten;
    }
    await fh.datasync();
  } catch (e) {
    await fh.truncate(position).catch(() => undefined);
    throw e;
  }
}

/** Out of space, whichever layer noticed: the OS, SQLite or ffmpeg's message. */
export function isDiskFullError(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (!err) return false;
  if (err.code === 'ENOSPC' || err.code === 'SQLITE_FULL' || err.code === 'EDQUOT' || err.code === 'DISK_FULL')
    return true;
  return /no space left on device|database or disk is full|disk quota exceeded/i.test(err.message ?? '');
}

/** fsync a file so that it survives a power cut before anything refers to it. */
export async function fsyncFile(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory so a rename inside it is durable (no-op where unsupported, e.g. Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* directories cannot be opened for sync on Windows */
  }
}

/** Durable atomic publish: fsync the temp file, rename it into place, fsync the folder. */
export async function publishFile(tmp: string, final: string): Promise<void> {
  await fsyncFile(tmp);
  await fsp.mkdir(path.dirname(final), { recursive: true });
  await fsp.rename(tmp, final);
  await fsyncDir(path.dirname(final));
}

/** Write bytes to `final` atomically and durably. */
export async function writeFileAtomic(final: string, data: Uint8Array): Promise<void> {
  await fsp.mkdir(path.dirname(final), { recursive: true });
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fsp.writeFile(tmp, data);
    await publishFile(tmp, final);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** Resolve a data-folder-relative path, refusing anything that would escape the folder. */
export function resolveInside(root: string, relative: string): string | null {
  if (relative.includes('\0')) return null;
  const abs = path.resolve(root, relative);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return abs;
}

export const toPosix = (p: string) => p.split(path.sep).join('/');

export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}
