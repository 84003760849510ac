import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Evidence } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import { resolveInside } from '../storage/files';
import type { HubMedia } from './hub-media';
import { parseMirroredPath } from './hub-mirror';

/**
 * A file a hub makes itself (a label photo a clerk adds to a case, a fixed copy of a
 * file) on a hub whose processes share PostgreSQL and a store (issue 11, scale-out): it is
 * put in the store (`.hub-files/<evidence>/<name>`) and the record points there
 * (`evidence.location`) before any listener reads it, then the copy in this process's data
 * folder is removed. Every process then serves it, checks it and packs it the same way
 * (evidence-sources.ts reads a located file from the store). A station's mirrored file is
 * in the store already. If the store fails the file stays here, recorded as before:
 * nothing is lost, and only this process can serve it until it is exported again.
 */
export function placeHubEvidence(ctx: CoreContext, media: HubMedia) {
  return async (e: Evidence): Promise<void> => {
    if (parseMirroredPath(e.path)) return;
    const row = await ctx.db.selectFrom('evidence').select('location').where('id', '=', e.id).executeTakeFirst();
    if (!row || row.location) return;
    const local = resolveInside(ctx.paths.root, e.path);
    if (!local) return;
    const location = await media.putFile(local, `.hub-files/${e.id}/${path.basename(local)}`);
    await ctx.db.updateTable('evidence').set({ location }).where('id', '=', e.id).execute();
    await fsp.rm(local, { force: true });
  };
}
