import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { yazl } from '../storage/zip-writer';
import { AppError } from '../../../shared/api/result';

/**
 * Byte-moving parts of an export. A media file is copied by the kernel (copy_file_range
 * / clone where the file system offers it: no bytes through JavaScript), then the COPY
 * is hashed — so the manifest states what really landed in the packet, and the caller
 * compares it with the hash recorded when the evidence was saved — and fsync'd before
 * the packet is published, so a power cut cannot leave a packet whose manifest lies.
 */
export async function copyWithHash(
  src: string,
  dst: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
  await fsp.copyFile(src, dst, fs.constants.COPYFILE_EXCL);
  const { size } = await fsp.stat(dst);
  onBytes(size / 2);
  const hash = createHash('sha256');
  const fh = await fsp.open(dst, 'r+');
  let bytes = 0;
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
      const { bytesRead } = await fh.read(buf, 0, buf.length, bytes);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      bytes += bytesRead;
      onBytes(bytesRead / 2);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Small generated files (PDF, statement, manifest), written and fsync'd. */
export async function writeDurable(
  file: string,
  data: Uint8Array | string,
): Promise<{ sha256: string; bytes: number }> {
  const bytes =
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fh = await fsp.open(file, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

const STORED = new Set([
  '.mp4',
  '.mov',
  '.m4v',
  '.mkv',
  '.webm',
  '.avi',
  '.wmv',
  '.flv',
  '.3gp',
  '.rmvb',
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.heic',
  '.zip',
]);

/**
 * The zip holds exactly the folder's files under the same names. Media are stored
 * uncompressed (already compressed; deflating them costs CPU for nothing), text and
 * PDF are deflated. Entries carry one fixed time so two exports of the same packet
 * produce byte-identical zips.
 */
export async function writeZip(
  dir: string,
  names: string[],
  target: string,
  mtime: Date,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const name of names) {
    const file = path.join(dir, ...name.split('/'));
    const stream = fs.createReadStream(file, { highWaterMark: 4 << 20 });
    const size = (await fsp.stat(file)).size;
    zip.addReadStream(stream, name, {
      mtime,
      mode: 0o100644,
      compress: !STORED.has(path.extname(name).toLowerCase()),
      size,
    });
  }
  zip.end();
  const out = fs.createWriteStream(target, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      out.destroy();
      reject(new AppError('CANCELLED', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    zip.outputStream.on('error', reject);
    // counted on the way out: a listener on the inputs would start them before yazl reads
    zip.outputStream.on('data', (c: Buffer) => onBytes(c.length));
    out.on('error', reject);
    out.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    zip.outputStream.pipe(out);
  });
  const fh = await fsp.open(target, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
