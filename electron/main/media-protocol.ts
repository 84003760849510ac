import fs from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { contentTypeFor, parseRange, resolveMediaFile } from '../core/storage/media-access';

export const MEDIA_SCHEME = 'proofpack-media';

/** Must run before app 'ready'. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

/** proofpack-media://data/<relative path>: read-only files from the data folder, with ranges for seeking. */
export function handleMediaProtocol(
  dataDir: string | (() => string),
  /** on the hub PC: a station's mirrored file in the hub's folder store (evidence-sources.ts) */
  mirrored: (rel: string) => Promise<string | null> = async () => null,
): void {
  // a getter: the data folder can be moved while the app runs
  const root = typeof dataDir === 'string' ? () => dataDir : dataDir;
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
    const file = resolveMediaFile(root(), rel) ?? (await mirrored(rel));
    if (!file) return new Response('Not found', { status: 404 });
    const size = fs.statSync(file).size;
    const headers = { 'content-type': contentTypeFor(file), 'accept-ranges': 'bytes' };
    const range = parseRange(request.headers.get('range') ?? undefined, size);
    const stream = (opts?: { start: number; end: number }) =>
      Readable.toWeb(fs.createReadStream(file, opts)) as unknown as ReadableStream;
    if (range) {
      return new Response(stream(range), {
        status: 206,
        headers: {
          ...headers,
          'content-range': `bytes ${range.start}-${range.end}/${size}`,
          'content-length': String(range.end - range.start + 1),
        },
      });
    }
    return new Response(stream(), { status: 200, headers: { ...headers, 'content-length': String(size) } });
  });
}
