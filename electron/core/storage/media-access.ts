import fs from 'node:fs';
import path from 'node:path';
import { resolveInside } from './files';

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.avi': 'video/x-msvideo',
  '.wmv': 'video/x-ms-wmv',
  '.flv': 'video/x-flv',
  '.3gp': 'video/3gpp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

export const contentTypeFor = (file: string) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * The only way the UI reads files: a path relative to the data folder that resolves,
 * after following links, to a regular file still inside it. Anything else is refused.
 */
export function resolveMediaFile(dataDir: string, relative: string): string | null {
  const abs = resolveInside(dataDir, relative);
  if (!abs) return null;
  try {
    const real = fs.realpathSync(abs);
    const rootReal = fs.realpathSync(dataDir);
    if (!resolveInside(rootReal, path.relative(rootReal, real))) return null;
    if (!fs.statSync(real).isFile()) return null;
    if (path.basename(real) === 'proofpack.db' || real.includes(`${path.sep}proofpack.db`)) return null;
    return real;
  } catch {
    return null;
  }
}

/** Parse a single `bytes=a-b` range against a file size. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}
