import { contract, type CallName } from '../../shared/api/contract';
import { AppError, ok, type Result } from '../../shared/api/result';
import type { JobSnapshot } from '../../shared/domain/types';
import type { Lang } from '../../shared/i18n';
import type { Session } from '../core/accounts/sessions';
import type { Db } from '../core/db/db';
import { PACKET_EXPORT, startHubPacketExport } from '../core/hub/hub-packets';
import type { SharedJobs } from '../core/jobs/shared-jobs';

export interface SharedStaffJobs {
  jobs: SharedJobs;
  lang(): Lang;
}

const isNotFound = (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND';

/**
 * On a hub whose processes share PostgreSQL (issue 11, scale-out), a packet staff export is a
 * job of the shared queue (core/hub/hub-packets.ts), not of this process: any process runs
 * it, and the staff app's `jobs.*` calls see, cancel and retry it through whichever process
 * they reach, beside this process's own jobs. Null: the call is not one of these (the core
 * answers it).
 */
export async function sharedStaffJobCall(
  shared: SharedStaffJobs,
  db: Db,
  session: Session,
  name: CallName,
  input: unknown,
  core: () => Promise<Result<unknown>>,
): Promise<Result<unknown> | null> {
  if (name === 'packets.export') {
    const parsed = contract['packets.export'].input.safeParse(input ?? {});
    if (!parsed.success) return null; // the core answers with the issues, as for any call
    const { caseIds, allowIncomplete } = parsed.data;
    const by = session.user.id;
    return ok(await startHubPacketExport(db, shared.jobs, { caseIds, allowIncomplete, lang: shared.lang(), by }));
  }
  if (name === 'jobs.list') {
    const own = await core();
    if (!own.ok) return own;
    const queued = await shared.jobs.list(PACKET_EXPORT);
    return ok([...(own.value as JobSnapshot[]), ...queued]);
  }
  if (name === 'jobs.cancel' || name === 'jobs.retry') {
    const id = String((input as { id?: unknown } | null)?.id ?? '');
    const job = await shared.jobs.get(id).catch((e: unknown) => {
      if (isNotFound(e)) return null;
      throw e;
    });
    if (!job || job.kind !== PACKET_EXPORT) return null;
    return ok(name === 'jobs.cancel' ? await shared.jobs.cancel(id) : await shared.jobs.retry(id));
  }
  return null;
}
