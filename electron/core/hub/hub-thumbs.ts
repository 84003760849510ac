import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import type { HubFile } from '../../../shared/hub/hub-file';
import type { Db } from '../db/db';
import type { SharedJobs } from '../jobs/shared-jobs';
import { grabFrame, imageThumb } from '../packets/thumbnails';
import type { HubMedia } from './hub-media';
import { visibleFile } from './hub-order-files';

export const THUMBNAIL_JOB = 'hub.thumbnail';

/** how much of a video in S3 is fetched for its picture: the header and the first seconds of a fast-start MP4 */
const VIDEO_HEAD_BYTES = 16 * 1024 * 1024;
/** photos larger than this in S3 get no thumbnail rather than a long download */
const PHOTO_MAX_BYTES = 64 * 1024 * 1024;

const hasPicture = (file: Pick<HubFile, 'kind' | 'sha256'>) =>
  /^[0-9a-f]{64}$/.test(file.sha256) && (file.kind === 'video' || file.kind === 'photo');

/**
 * Makes a file's thumbnail and keeps it in the hub's store beside the evidence
 * (`.thumbs/<sha256>.jpg`: nothing on a hub process's own disk, so any process behind a
 * load balancer serves it): a video's frame at 1 s (what the packer showed first: the
 * sealed parcel and its label), a photo scaled to 320 px. From S3 only the first 16 MiB of
 * a video are read, which hold that frame when the MP4 starts with its index (stations
 * save with +faststart). A file that gives no picture (damaged, index at the end) gets an
 * empty one, so no process tries it again; a store that cannot be read fails the job
 * (tried again on a later view).
 */
export async function makeThumbnail(media: HubMedia, file: HubFile, signal?: AbortSignal): Promise<boolean> {
  if (!hasPicture(file)) return false;
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'proofpack-thumb-'));
  const target = media.thumbLocation(file.sha256);
  try {
    let input = media.localPath(file.location);
    if (!input) {
      const end = (file.kind === 'video' ? Math.min(file.bytes, VIDEO_HEAD_BYTES) : file.bytes) - 1;
      if (end < 0 || (file.kind === 'photo' && file.bytes > PHOTO_MAX_BYTES)) {
        await media.writeSmall(target, Buffer.alloc(0));
        return false;
      }
      input = path.join(work, 'source');
      await pipeline(await media.read(file.location, { start: 0, end }), fs.createWriteStream(input), { signal });
    }
    const jpeg = await pictureOf(file, input, work, signal);
    await media.writeSmall(target, jpeg ?? Buffer.alloc(0));
    return jpeg !== null;
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}

/** The JPEG of a file read to `input`; null when ffmpeg or sharp can make nothing of it. */
async function pictureOf(file: HubFile, input: string, work: string, signal?: AbortSignal): Promise<Buffer | null> {
  try {
    if (file.kind === 'photo') {
      const thumb = await imageThumb(input);
      return thumb ? Buffer.from(thumb.jpeg) : null;
    }
    const frame = path.join(work, 'frame.jpg');
    await grabFrame(input, file.durationMs ? Math.min(1000, file.durationMs / 2) : 0, frame, signal);
    return await fsp.readFile(frame);
  } catch (e) {
    if (signal?.aborted) throw e;
    return null;
  }
}

/**
 * The queued job: the file is looked up again (it may be gone by the time a process takes
 * it). At most two run at once in a process (pg-boss hands one at a time; in-process jobs
 * would all start together when a station's backlog arrives), so viewers keep the cores.
 */
export function registerThumbnailJob(jobs: SharedJobs, db: () => Db, media: HubMedia): void {
  const gate = pLimit(2);
  jobs.register(THUMBNAIL_JOB, (input, job) =>
    gate(async () => {
      const { stationId, evidenceId } = input as { stationId: string; evidenceId: string };
      const file = await visibleFile(db(), stationId, evidenceId, null);
      return { made: file ? await makeThumbnail(media, file, job.signal) : false };
    }),
  );
}

/**
 * Thumbnails as pages ask for them: read from the store when made; otherwise queued (a
 * long job, on PostgreSQL taken by any hub process) and shown from the next view on. Files
 * are queued as they are verified too, so a page rarely finds one missing.
 */
export class HubThumbs {
  /** queued by this process and not finished: a page of twenty thumbnails queues each once */
  private readonly pending = new Set<string>();

  constructor(
    private readonly media: HubMedia,
    private readonly jobs: SharedJobs,
    /** the job's title in the hub's language */
    private readonly title: () => string,
  ) {}

  /** The thumbnail's location in the store, or null (not made yet, or no picture for this file). */
  async of(file: HubFile): Promise<string | null> {
    if (!hasPicture(file)) return null;
    const location = this.media.thumbLocation(file.sha256);
    const size = await this.media.sizeOf(location);
    if (size) return location;
    if (size === null) await this.queue(file);
    return null; // 0 bytes: tried, this file gives no picture
  }

  /** Queues the making of a file's thumbnail, unless this process already has it queued. */
  async queue(file: Pick<HubFile, 'stationId' | 'evidenceId' | 'kind' | 'sha256'>): Promise<void> {
    if (!hasPicture(file) || this.pending.has(file.sha256)) return;
    this.pending.add(file.sha256);
    try {
      const id = await this.jobs.enqueue(THUMBNAIL_JOB, this.title(), {
        stationId: file.stationId,
        evidenceId: file.evidenceId,
      });
      void this.jobs
        .wait(id)
        .catch(() => undefined)
        .finally(() => this.pending.delete(file.sha256));
    } catch {
      this.pending.delete(file.sha256);
    }
  }
}
