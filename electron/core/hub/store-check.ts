import { AppError } from '../../../shared/api/result';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import type { JobContext } from '../jobs/job-manager';
import type { StoreCheckFile, StoreCheckResult } from '../../../shared/hub/store-check';
import type { HubMedia } from './hub-media';

/**
 * Reads back every verified file the hub stores and hashes it again: a NAS that lost a
 * disk, a bucket someone tidied, a file changed after it was confirmed. Each file found
 * missing or changed is audited in the hub's own chain, then one entry sums the check up.
 * Safe to run again from the start (a process taking the job over does just that).
 */
export async function checkHubStore(db: Db, media: HubMedia, job: JobContext): Promise<StoreCheckResult> {
  const rows = await db
    .selectFrom('hub_evidence')
    .select(['station_id', 'station_name', 'evidence_id', 'order_no', 'sha256', 'location'])
    .where('verified_at', 'is not', null)
    .orderBy('station_id')
    .orderBy('evidence_id')
    .execute();
  const result: StoreCheckResult = { checked: 0, ok: 0, missing: [], mismatched: [] };
  job.progress(rows.length ? 0 : 1);
  for (const row of rows) {
    if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
    const got = row.location ? await media.hashStored(row.location) : null;
    const file: StoreCheckFile = {
      station: row.station_name,
      evidenceId: row.evidence_id,
      orderNo: row.order_no,
      location: row.location,
      expected: row.sha256,
      got,
    };
    result.checked += 1;
    if (got === row.sha256) result.ok += 1;
    else {
      (got === null ? result.missing : result.mismatched).push(file);
      await appendAudit(db, {
        actor: 'hub',
        action: got === null ? 'hub.evidence-missing' : 'hub.evidence-changed',
        entity: 'evidence',
        entityId: row.evidence_id,
        details: { station: row.station_id, orderNo: row.order_no, location: row.location, expected: row.sha256, got },
      });
    }
    job.progress(result.checked / rows.length);
  }
  await appendAudit(db, {
    actor: 'hub',
    action: 'hub.store-checked',
    entity: 'hub',
    entityId: null,
    details: { checked: result.checked, missing: result.missing.length, mismatched: result.mismatched.length },
  });
  return result;
}
