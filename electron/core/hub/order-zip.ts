import type { Readable } from 'node:stream';
import { safeFileStem } from '../../../shared/domain/safe-name';
import { formatLocalTime } from '../../../shared/domain/cases/time-format';
import type { OrderFile } from '../../../shared/hub/hub-file';
import { yazl } from '../storage/zip-writer';
import type { HubMedia } from './hub-media';

/** Where each file goes in the zip: numbered in capture order, named by station and file, safe on every system. */
export function zipEntryNames(files: readonly OrderFile[]): string[] {
  const width = String(files.length).length;
  return files.map((f, i) => {
    // the name as a station gave it may carry a path (an imported file): only its last part counts
    const base = f.fileName.split(/[\\/]/).pop() || f.fileName;
    const parts = /^(.+)\.([A-Za-z0-9]{1,5})$/.exec(base);
    const stem = safeFileStem(parts ? parts[1]! : base, 60);
    const ext = parts ? parts[2]!.toLowerCase() : '';
    const n = String(i + 1).padStart(width, '0');
    return `${n}-${safeFileStem(f.stationName, 30)}-${stem}${ext ? `.${ext}` : ''}`;
  });
}

/**
 * One order's evidence from every station as a zip that streams as it is made: the files
 * are stored as they are (videos and photos do not compress) and read from the store one
 * at a time while the browser downloads, so a 2 GB order costs the hub a few MB. With them
 * `SHA256SUMS` (checkable with `sha256sum -c`) and `manifest.json` (capture time with its
 * offset, station, operator, size, hash). Nothing is compressed, so the zip's size is
 * known before its first byte and the browser shows real progress.
 */
export function orderZip(
  media: HubMedia,
  orderNo: string,
  files: readonly OrderFile[],
): Promise<{ stream: Readable; size: number | null }> {
  const zip = new yazl.ZipFile();
  // a file the store cannot give (gone, cut short) ends the download as failed, never a zip that lies
  zip.on('error', (e: Error) => (zip.outputStream as Readable).destroy(e));
  const names = zipEntryNames(files);
  const mtime = (f: OrderFile) => new Date(f.capturedAt);
  files.forEach((f, i) => {
    zip.addReadStreamLazy(names[i]!, { compress: false, size: f.bytes, mtime: mtime(f) }, (cb) => {
      media.read(f.location).then(
        (s) => {
          // a read that fails midway (a NAS gone, a file removed) ends the download, not the hub
          s.once('error', (e) => (zip.outputStream as Readable).destroy(e));
          cb(null, s);
        },
        (e: Error) => cb(e, undefined as never),
      );
    });
  });
  const sums = files.map((f, i) => `${f.sha256}  ${names[i]}\n`).join('');
  zip.addBuffer(Buffer.from(sums, 'utf8'), 'SHA256SUMS', {
    compress: false,
    mtime: new Date(files[0]?.capturedAt ?? 0),
  });
  const manifest = {
    orderNo,
    files: files.map((f, i) => ({
      name: names[i],
      originalName: f.fileName,
      kind: f.kind,
      mode: f.mode,
      station: f.stationName,
      operator: f.operator,
      capturedAt: f.capturedAt,
      capturedAtLocal: formatLocalTime(f.capturedAt),
      durationMs: f.durationMs,
      bytes: f.bytes,
      sha256: f.sha256,
      marks: f.chapters,
    })),
  };
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'), 'manifest.json', {
    compress: false,
    mtime: new Date(files[0]?.capturedAt ?? 0),
  });
  return new Promise((resolve) => {
    // yazl passes the total size to this callback (its published types leave the argument out)
    const ending = zip as unknown as { end(o: object, done: (size: number) => void): void };
    ending.end({}, (size) => resolve({ stream: zip.outputStream as Readable, size: size >= 0 ? size : null }));
  });
}
