import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CoreContext } from '../context';
import { resolveInside } from '../storage/files';
import { parseMirroredPath } from '../hub/hub-mirror';

/**
 * Where an evidence file's bytes are on this machine, for tools that read it (packets,
 * side-by-side composites, checks). A station's files are in the data folder; on a hub,
 * a station's mirrored file (hub-mirror.ts) is in the hub's store: a folder store is read
 * in place, an S3 store's object is fetched once into `scratch` (keeping its extension:
 * ffmpeg and the checks go by it) and removed by `release`. Null: the file is not there.
 */
export interface EvidenceSource {
  file: string;
  /** removes a temporary copy; nothing for a file read in place */
  release(): Promise<void>;
}

const inPlace = (file: string): EvidenceSource => ({ file, release: async () => undefined });

export async function evidenceSource(
  ctx: CoreContext,
  e: { id: string; path: string },
  scratch: string,
  signal?: AbortSignal,
): Promise<EvidenceSource | null> {
  const row = await ctx.db.selectFrom('evidence').select('location').where('id', '=', e.id).executeTakeFirst();
  const location = row?.location ?? null;
  if (!location) {
    const file = resolveInside(ctx.paths.root, e.path);
    return file && fs.existsSync(file) ? inPlace(file) : null;
  }
  const media = ctx.hubMedia;
  const local = media ? media.localPath(location) : /^s3:\/\//i.test(location) ? null : location;
  if (local) return fs.existsSync(local) ? inPlace(local) : null;
  if (!media) return null; // an S3 store is read only while the hub serves (its credentials are the hub's)
  await fsp.mkdir(scratch, { recursive: true });
  const copy = path.join(scratch, `.source-${e.id}${path.extname(e.path).toLowerCase()}`);
  try {
    await pipeline(await media.read(location), fs.createWriteStream(copy), { signal });
  } catch (err) {
    await fsp.rm(copy, { force: true });
    if (signal?.aborted) throw err;
    return null; // not in the store any more: reported as a missing file, like at a station
  }
  return { file: copy, release: () => fsp.rm(copy, { force: true }) };
}

/**
 * A mirrored file's path on this machine (`hub/<station>/<evidence>/<name>` as the hub's
 * own screens ask for it): the hub PC plays a station's file from a folder store in
 * place. Null: not a mirrored path, or its store is not a local folder.
 */
export async function mirroredFilePath(ctx: CoreContext, rel: string): Promise<string | null> {
  const parts = parseMirroredPath(rel);
  if (!parts) return null;
  const row = await ctx.db
    .selectFrom('evidence')
    .select(['location', 'path'])
    .where('id', '=', parts.evidenceId)
    .where('station_id', '=', parts.stationId)
    .executeTakeFirst();
  if (!row?.location || row.path !== rel) return null;
  const local = ctx.hubMedia ? ctx.hubMedia.localPath(row.location) : null;
  return local && fs.existsSync(local) && fs.statSync(local).isFile() ? local : null;
}
