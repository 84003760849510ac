import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fs from 'node:fs';
import pLimit from 'p-limit';
import type { HubFile } from '../../../shared/hub/hub-file';
import { grabFrame, imageThumb } from '../packets/thumbnails';
import type { HubMedia } from './hub-media';

/** how much of a video in S3 is fetched for its picture: the header and the first seconds of a fast-start MP4 */
const VIDEO_HEAD_BYTES = 16 * 1024 * 1024;
/** photos larger than this in S3 get no thumbnail rather than a long download */
const PHOTO_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Small JPEG pictures of the hub's evidence for the staff app and share pages: a video's
 * frame at 1 s (what the packer showed first: the sealed parcel and its label), a photo
 * scaled down. Made on first request and kept under `dir` by the file's SHA-256 (a file
 * never changes under its hash), at most two at a time so a page of thumbnails cannot take
 * the hub's cores from the viewers it streams to. A file in S3 is read in part: the first
 * 16 MiB of a video, which holds that frame when the MP4 starts with its index (stations
 * save with +faststart); otherwise there is no thumbnail and the page shows none.
 */
export class HubThumbs {
  private readonly gate = pLimit(2);
  private readonly making = new Map<string, Promise<string | null>>();
  /** files that gave no picture: not tried again on every page view (until the hub restarts) */
  private readonly none = new Set<string>();

  constructor(
    private readonly media: HubMedia,
    private readonly dir: string,
  ) {}

  /** The thumbnail's path, made if needed; null: this file has none (a document, a damaged video). */
  async of(file: HubFile): Promise<string | null> {
    if (!/^[0-9a-f]{64}$/.test(file.sha256) || (file.kind !== 'video' && file.kind !== 'photo')) return null;
    const target = path.join(this.dir, file.sha256.slice(0, 2), `${file.sha256}.jpg`);
    if (await exists(target)) return target;
    const key = file.sha256;
    if (this.none.has(key)) return null;
    let pending = this.making.get(key);
    if (!pending) {
      pending = this.gate(() => this.make(file, target))
        .then((made) => {
          if (!made) this.none.add(key);
          return made;
        })
        .finally(() => this.making.delete(key));
      this.making.set(key, pending);
    }
    return pending;
  }

  private async make(file: HubFile, target: string): Promise<string | null> {
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.part`;
    let input = this.media.localPath(file.location);
    const fetched = input ? null : `${target}.${process.pid}.src`;
    try {
      if (fetched) {
        if (file.kind === 'photo' && file.bytes > PHOTO_MAX_BYTES) return null;
        const end = file.kind === 'video' ? Math.min(file.bytes, VIDEO_HEAD_BYTES) - 1 : file.bytes - 1;
        if (end < 0) return null;
        await pipeline(await this.media.read(file.location, { start: 0, end }), fs.createWriteStream(fetched));
        input = fetched;
      }
      if (file.kind === 'video') {
        const at = file.durationMs ? Math.min(1000, file.durationMs / 2) : 0;
        await grabFrame(input!, at, partial);
      } else {
        const thumb = await imageThumb(input!);
        if (!thumb) return null;
        await fsp.writeFile(partial, thumb.jpeg);
      }
      await fsp.rename(partial, target);
      return target;
    } catch {
      return null; // an unreadable or partial video: no picture, never an error for the page
    } finally {
      await fsp.rm(partial, { force: true });
      if (fetched) await fsp.rm(fetched, { force: true });
    }
  }
}

async function exists(p: string): Promise<boolean> {
  return fsp
    .stat(p)
    .then((s) => s.isFile() && s.size > 0)
    .catch(() => false);
}
