import { AUDIT_BATCH, auditBatchAnswer } from '../../../shared/hub/protocol';
import type { Db } from '../db/db';
import { hubCall, type HubCaller } from './hub-call';

/**
 * Sends this station's audit entries the hub does not have yet, in order, as written (the
 * hub keeps each station's chain apart and `audit verify` there walks it). Returns how
 * many the hub took; the hub's answer is where the next batch starts.
 */
export async function sendAudit(db: Db, hub: HubCaller, sentSeq: number): Promise<number> {
  let cursor = sentSeq;
  let taken = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(AUDIT_BATCH)
      .execute();
    if (!rows.length) return taken;
    const entries = rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      details: r.details,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    const { lastSeq } = await hubCall(hub, auditBatchAnswer, 'PUT', '/audit', { entries });
    await db.updateTable('hub_link').set({ audit_sent_seq: lastSeq }).execute();
    // the hub holds fewer than we thought (restored from a backup): resend from there next pass
    if (lastSeq <= cursor && lastSeq < rows[rows.length - 1].seq) return taken;
    taken += Math.max(0, lastSeq - cursor);
    cursor = lastSeq;
  }
}
