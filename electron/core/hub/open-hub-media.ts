import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import type { HubMedia } from './hub-media';
import { HubMediaFolder } from './hub-media-folder';
import { HubMediaS3, parseS3Url } from './hub-media-s3';

/**
 * The hub's media from `--media`: `s3://BUCKET/PREFIX` (an S3-compatible store set up by
 * the standard AWS_* variables), a folder, or by default the data folder's `hub-media`.
 * Checked before the hub answers anyone: a store that cannot be reached is said at start.
 */
export async function openHubMedia(
  value: string | undefined,
  dataRoot: string,
  /** other hub processes serve the same media (a PostgreSQL hub may run several) */
  shared = false,
): Promise<HubMedia> {
  let media: HubMedia;
  if (value && /^s3:\/\//i.test(value)) {
    const target = parseS3Url(value);
    if (!target)
      throw new AppError('INVALID_INPUT', `Not an S3 address: ${value} (expected s3://BUCKET/PREFIX)`, {
        problem: 'hub-media',
        media: value,
      });
    media = new HubMediaS3(target, undefined, shared);
  } else media = new HubMediaFolder(value ? path.resolve(value) : path.join(dataRoot, 'hub-media'));
  try {
    await media.ensure();
  } catch (e) {
    await media.close();
    const cause = (e as { name?: string; message?: string }).name ?? String(e);
    throw new AppError('HUB_UNREACHABLE', `${media.description}: ${cause} ${(e as Error).message ?? ''}`.trim(), {
      problem: 'hub-media-unreachable',
      media: media.description,
      cause,
    });
  }
  return media;
}
