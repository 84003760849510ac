import fsp from 'node:fs/promises';
import { z } from 'zod';
import type { ExportResult } from '../../../shared/domain/cases';
import type { Id } from '../../../shared/domain/id';
import { LANGS, type Lang } from '../../../shared/i18n';
import { getCase } from '../cases/case-repo';
import { CaseService } from '../cases/case-service';
import type { CoreContext } from '../context';
import type { Db } from '../db/db';
import type { SharedJobs } from '../jobs/shared-jobs';
import { exportBatch, exportJobTitle } from '../packets/export-batch';
import { exportCase, type ExportProgress } from '../packets/export-case';
import { makeWorkDir } from '../storage/work-dirs';
import type { HubMedia } from './hub-media';

export const PACKET_EXPORT = 'hub.packet-export';
/** the scratch folders packets are built in (storage/work-dirs.ts) */
export const PACKET_WORK = 'hub-packet';

const Input = z.object({
  caseIds: z.array(z.string().min(1)).min(1).max(500),
  allowIncomplete: z.boolean(),
  lang: z.enum(LANGS as [Lang, ...Lang[]]),
  /** who asked (a staff user's id), for the audit trail */
  by: z.string().nullable(),
});
export type HubPacketExportInput = z.infer<typeof Input>;

/**
 * Packets staff export on a hub whose processes share PostgreSQL (issue 11, scale-out):
 * a job of the shared queue, so whichever process takes it builds the packet and the
 * other takes it over when that one dies. The packet is built in this process's tmp
 * folder (ffmpeg and the zip writer need a disk), its zip goes to the hub's store
 * (`.packets/<name>.zip`, S3 in multipart parts), and the tmp copy is removed: nothing
 * stays on the hub's own disk, and any process serves, shares and verifies the zip.
 * Safe to run again from the start (a takeover): the same name in the store is replaced.
 */
export function registerPacketExportJob(jobs: SharedJobs, ctx: () => CoreContext, media: HubMedia): void {
  jobs.register(PACKET_EXPORT, async (raw, job) => {
    const input = Input.parse(raw);
    const c = ctx();
    const cases = new CaseService(c);
    return exportBatch(input.caseIds, job, (caseId, sub) => exportCaseToStore(c, cases, media, caseId, input, sub));
  });
}

/** queues the export of these cases; unknown cases are refused before anything is queued */
export async function startHubPacketExport(
  db: Db,
  jobs: SharedJobs,
  input: HubPacketExportInput,
): Promise<{ jobId: string }> {
  const ids = [...new Set(input.caseIds)];
  for (const id of ids) await getCase(db, id);
  const title = exportJobTitle(input.lang, ids);
  return { jobId: await jobs.enqueue(PACKET_EXPORT, title, { ...input, caseIds: ids }) };
}

async function exportCaseToStore(
  ctx: CoreContext,
  cases: CaseService,
  media: HubMedia,
  caseId: Id,
  input: HubPacketExportInput,
  job: ExportProgress,
): Promise<ExportResult> {
  const work = await makeWorkDir(ctx.paths.tmp, PACKET_WORK);
  try {
    const store = (zip: string, name: string, onBytes: (n: number) => void) =>
      media.putFile(zip, `.packets/${name}`, onBytes);
    const { allowIncomplete, lang } = input;
    const opts = { outDir: work, zip: true, allowIncomplete, lang, store, actor: input.by ?? undefined };
    return await exportCase(ctx, cases, caseId, opts, job);
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}
