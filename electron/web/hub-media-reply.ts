import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HubFile, OrderFile } from '../core/hub/hub-order-files';
import { orderZip } from '../core/hub/order-zip';
import { pumpFile } from './file-pump';
import { safeFileStem } from '../../shared/domain/safe-name';
import type { HubMedia } from '../core/hub/hub-media';
import { contentTypeFor, parseRange } from '../core/storage/media-access';

/** `attachment; filename*=` in UTF-8 (order numbers may be Chinese), with a plain ASCII fallback. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 5987: ' ( ) * are not attr-chars either
  const utf8 = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * One evidence file from the hub's store (a folder or S3), whole or the one byte range a
 * player asks for (HTTP Range): seeking to 0:30 in a 300 MB video reads only what is
 * played, and the bytes stream through, never held whole in memory. False: the file is
 * no longer where the record says (the caller answers 404).
 */
export async function sendHubFile(
  req: IncomingMessage,
  res: ServerResponse,
  media: HubMedia,
  file: Pick<HubFile, 'location' | 'fileName'>,
  opts: { download: boolean; headers: Record<string, string> },
): Promise<boolean> {
  const size = await media.sizeOf(file.location);
  if (size === null) return false;
  const local = media.localPath(file.location) ?? undefined;
  await sendRanged(req, res, { size, fileName: file.fileName, local, read: (r) => media.read(file.location, r) }, opts);
  return true;
}

/** A file in the hub's data folder (a file made on the hub, a packet zip), by the same rules. */
export async function sendLocalFile(
  req: IncomingMessage,
  res: ServerResponse,
  abs: string,
  opts: { download: boolean; headers: Record<string, string> },
): Promise<boolean> {
  const stat = await fsp.stat(abs).catch(() => null);
  if (!stat?.isFile()) return false;
  const read = async (range?: { start: number; end: number }) => fs.createReadStream(abs, range);
  await sendRanged(req, res, { size: stat.size, fileName: path.basename(abs), local: abs, read }, opts);
  return true;
}

async function sendRanged(
  req: IncomingMessage,
  res: ServerResponse,
  file: {
    size: number;
    fileName: string;
    /** the file's path when it is on this machine's disk: sent through reused buffers (file-pump.ts) */
    local?: string;
    read(range?: { start: number; end: number }): Promise<Readable>;
  },
  opts: { download: boolean; headers: Record<string, string> },
): Promise<void> {
  const { size } = file;
  const base: Record<string, string | number> = {
    ...opts.headers,
    'content-type': contentTypeFor(file.fileName),
    'accept-ranges': 'bytes',
    ...(opts.download ? { 'content-disposition': attachmentHeader(file.fileName) } : {}),
  };
  const range = parseRange(req.headers.range, size);
  if (req.headers.range && !range) {
    res.writeHead(416, { ...opts.headers, 'content-range': `bytes */${size}` }).end();
    return;
  }
  if (range) {
    res.writeHead(206, {
      ...base,
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
      'content-length': range.end - range.start + 1,
    });
  } else res.writeHead(200, { ...base, 'content-length': size });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  if (file.local) return pumpFile(res, file.local, range?.start ?? 0, range?.end ?? size - 1);
  const body = await file.read(range ?? undefined);
  // a viewer who closes the page mid-video ends the stream: not an error worth a log line
  await pipeline(body, res).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
  });
}

/** A thumbnail from the store (HubThumbs): a small JPEG. */
export async function sendThumb(
  res: ServerResponse,
  media: HubMedia,
  location: string,
  headers: Record<string, string>,
): Promise<boolean> {
  const size = await media.sizeOf(location);
  if (!size) return false;
  res.writeHead(200, { ...headers, 'content-type': 'image/jpeg', 'content-length': size });
  await pipeline(await media.read(location), res).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
  });
  return true;
}

/** An order's evidence as one zip (order-zip.ts), streamed as it is made; false: a file is missing from the store. */
export async function sendOrderZip(
  res: ServerResponse,
  media: HubMedia,
  orderNo: string,
  files: readonly OrderFile[],
  headers: Record<string, string>,
  /** once the files are all there, before the first byte (the audit entry) */
  onStart: () => Promise<void>,
): Promise<boolean> {
  // every file where its record says, at its size, before the first byte goes out: a zip
  // that would break halfway is refused up front (the caller answers 404)
  for (const f of files) if ((await media.sizeOf(f.location)) !== f.bytes) return false;
  await onStart();
  const { stream, size } = await orderZip(media, orderNo, files);
  res.writeHead(200, {
    ...headers,
    'content-type': 'application/zip',
    'content-disposition': attachmentHeader(`${safeFileStem(orderNo, 80)}.zip`),
    ...(size !== null ? { 'content-length': size } : {}),
  });
  await pipeline(stream, res).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    // the head is sent: a broken zip is cut off, so the browser reports the download failed
    res.destroy();
    console.error('[proofpack] order zip failed', orderNo, e.message);
  });
  return true;
}
