import { sql } from 'kysely';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';

/**
 * The station's outbox: every evidence file, in the order it was made, until the hub has
 * verified it. Files are queued by a sweep of the evidence table rather than by each place
 * that makes evidence (recording, photos, imports, fixes, recovery): a new way of making
 * evidence cannot forget to queue, and a folder paired after months of work sends its
 * backlog the same way.
 */
export async function queueNewEvidence(db: Db, now = new Date()): Promise<number> {
  return inTransaction(db, async (trx) => {
    const fresh = await trx
      .selectFrom('evidence')
      .leftJoin('sync_outbox', 'sync_outbox.evidence_id', 'evidence.id')
      .where('sync_outbox.evidence_id', 'is', null)
      .where('evidence.location', 'is', null) // a hub's mirror of another station's file
      .select('evidence.id')
      .orderBy('evidence.created_at')
      .orderBy('evidence.id')
      .execute();
    if (!fresh.length) return 0;
    const head = await trx
      .selectFrom('sync_outbox')
      .select(sql<number | null>`max(seq)`.as('seq'))
      .executeTakeFirst();
    let seq = Number(head?.seq ?? 0);
    const at = now.toISOString();
    for (const { id } of fresh)
      await trx
        .insertInto('sync_outbox')
        .values({
          evidence_id: id,
          seq: ++seq,
          state: 'queued',
          upload_url: null,
          attempts: 0,
          last_error: null,
          queued_at: at,
          updated_at: at,
          verified_at: null,
        })
        .execute();
    return fresh.length;
  });
}

export interface OutboxStatus {
  /** files not yet verified on the hub */
  queued: number;
  queuedBytes: number;
  verified: number;
  lastVerifiedAt: string | null;
  /** the newest error of a file still waiting, in the hub's or the network's words */
  lastError: string | null;
}

export async function outboxStatus(db: Db): Promise<OutboxStatus> {
  const waiting = await db
    .selectFrom('sync_outbox')
    .leftJoin('evidence', 'evidence.id', 'sync_outbox.evidence_id')
    .where('sync_outbox.state', '!=', 'verified')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`sum(evidence.bytes)`.as('bytes')])
    .executeTakeFirst();
  const done = await db
    .selectFrom('sync_outbox')
    .where('state', '=', 'verified')
    .select([sql<number>`count(*)`.as('n'), sql<string | null>`max(verified_at)`.as('at')])
    .executeTakeFirst();
  const err = await db
    .selectFrom('sync_outbox')
    .where('state', '!=', 'verified')
    .where('last_error', 'is not', null)
    .orderBy('updated_at', 'desc')
    .select('last_error')
    .limit(1)
    .executeTakeFirst();
  return {
    queued: Number(waiting?.n ?? 0),
    queuedBytes: Number(waiting?.bytes ?? 0),
    verified: Number(done?.n ?? 0),
    lastVerifiedAt: done?.at ?? null,
    lastError: err?.last_error ?? null,
  };
}

/** When the hub verified this file (null: not yet, or the station has no hub). */
export async function verifiedAtOf(db: Db, evidenceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sync_outbox')
    .select('verified_at')
    .where('evidence_id', '=', evidenceId)
    .executeTakeFirst();
  return row?.verified_at ?? null;
}
