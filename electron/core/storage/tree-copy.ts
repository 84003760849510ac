import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import { fsyncDir, sha256File } from './files';

export interface TreeFile {
  /** relative to the tree root, with the platform's separator */
  rel: string;
  size: number;
  mtimeMs: number;
}

/**
 * Every regular file under `root`, except what `skip(rel, isDir)` excludes. Symlinks
 * and special files are never followed or copied: a data folder holds none of its own,
 * and following one could copy (or later delete) something outside the folder.
 */
export async function listTree(root: string, skip: (rel: string, isDir: boolean) => boolean): Promise<TreeFile[]> {
  const out: TreeFile[] = [];
  const walk = async (relDir: string) => {
    const entries = await fsp.readdir(path.join(root, relDir), { withFileTypes: true });
    for (const e of entries) {
      const rel = relDir ? path.join(relDir, e.name) : e.name;
      if (e.isDirectory()) {
        if (!skip(rel, true)) await walk(rel);
      } else if (e.isFile() && !skip(rel, false)) {
        const st = await fsp.lstat(path.join(root, rel)).catch(() => null);
        if (st?.isFile()) out.push({ rel, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  await walk('');
  return out;
}

/**
 * Copy one file and prove the copy: the source is hashed while it is read, the copy is
 * written to a temp name, fsync'd, read back and hashed again, and only a matching copy
 * is renamed into place. Returns the hash. Calls `onBytes` as bytes are copied.
 */
export async function copyVerified(
  src: string,
  dst: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  await fsp.mkdir(path.dirname(dst), { recursive: true });
  const tmp = `${dst}.copy-${process.pid}`;
  const hash = createHash('sha256');
  const inFh = await fsp.open(src, 'r');
  const outFh = await fsp.open(tmp, 'w');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
      const { bytesRead } = await inFh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      let done = 0;
      while (done < bytesRead) done += (await outFh.write(buf, done, bytesRead - done)).bytesWritten;
      onBytes(bytesRead);
    }
    await outFh.sync();
  } catch (e) {
    await outFh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  } finally {
    await inFh.close();
  }
  await outFh.close();
  const sourceHash = hash.digest('hex');
  const copyHash = await sha256File(tmp);
  if (copyHash !== sourceHash) {
    await fsp.rm(tmp, { force: true });
    throw new AppError('MEDIA_FAILED', `The copy of ${src} does not match the original`, {
      src,
      dst,
      problem: 'copy-mismatch',
    });
  }
  await fsp.rename(tmp, dst);
  await fsyncDir(path.dirname(dst));
  return sourceHash;
}

/** Remove now-empty folders below `root` (deepest first), never `root` itself. */
export async function pruneEmptyDirs(root: string): Promise<void> {
  const prune = async (dir: string): Promise<boolean> => {
    let empty = true;
    for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory() && !e.isSymbolicLink()) {
        if (!(await prune(path.join(dir, e.name)))) empty = false;
      } else empty = false;
    }
    if (empty && dir !== root) {
      await fsp.rmdir(dir).catch(() => (empty = false));
    }
    return empty;
  };
  await prune(root);
}
