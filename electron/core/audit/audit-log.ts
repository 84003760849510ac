import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/db';
import { sqlFor } from '../db/engine-sql';
import { newId } from '../db/ids';
import type { AuditLogTable } from '../db/schema';
import { inTransaction } from '../db/transaction';

export interface AuditEntryInput {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

export type AuditRow = Selectable<AuditLogTable>;

const GENESIS = '0'.repeat(64);

/**
 * The hash covers the entry's content and the previous hash, not its id, seq or station:
 * entries written before migration 006 (integer ids) still verify after it.
 */
export function auditHash(
  prevHash: string,
  row: Pick<AuditRow, 'at' | 'actor' | 'action' | 'entity' | 'entity_id' | 'details'>,
): string {
  const canonical = JSON.stringify([row.at, row.actor, row.action, row.entity, row.entity_id, row.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Append-only, hash-chained audit log: each entry's hash covers the previous entry's
 * hash, so editing or deleting any row breaks the chain from there on. Pass the
 * transaction of the change it records (it joins it); given a plain Db it opens its own.
 * Concurrent writers (several processes on one PostgreSQL) take turns on the chain head
 * through lockAuditChain, so each entry follows the one written just before it; the
 * unique `seq` refuses a fork even if that lock were ever skipped.
 */
export async function appendAudit(db: Db, e: AuditEntryInput, at = new Date()): Promise<void> {
  await inTransaction(db, async (trx) => {
    await sqlFor(trx).lockAuditChain(trx);
    const head = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const prevHash = head?.hash ?? GENESIS;
    const row = {
      at: at.toISOString(),
      actor: e.actor || 'system',
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId == null ? null : String(e.entityId),
      details: JSON.stringify(e.details ?? {}),
    };
    await trx
      .insertInto('audit_log')
      .values({
        ...row,
        id: newId(),
        seq: (head?.seq ?? 0) + 1,
        prev_hash: prevHash,
        hash: auditHash(prevHash, row),
        station_id: trx.stationId,
      })
      .execute();
  });
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** chain position (seq) of the first entry where the chain breaks */
  brokenAt: number | null;
  reason: string | null;
}

/** rows read per query while verifying: memory stays flat however long the log is */
const PAGE = 2000;

/** One page of a chain: the rows after `afterSeq`, in order, at most `limit`. */
export type ChainPage = (afterSeq: number, limit: number) => Promise<AuditRowToVerify[]>;
export type AuditRowToVerify = Pick<
  AuditRow,
  'seq' | 'at' | 'actor' | 'action' | 'entity' | 'entity_id' | 'details' | 'prev_hash' | 'hash'
>;

/**
 * Walks a hash chain page by page: no gap in seq, each entry pointing at the one before,
 * each hash matching its content. The same walk for this database's own log and, on a
 * hub, for each station's log as it arrived.
 */
export async function verifyChain(readPage: ChainPage): Promise<AuditVerification> {
  let prevHash = GENESIS;
  let prevSeq = 0;
  let n = 0;
  for (;;) {
    const page = await readPage(prevSeq, PAGE);
    for (const r of page) {
      n++;
      if (r.seq !== prevSeq + 1) return { ok: false, entries: n, brokenAt: r.seq, reason: 'entry-deleted' };
      if (r.prev_hash !== prevHash) return { ok: false, entries: n, brokenAt: r.seq, reason: 'chain-broken' };
      if (auditHash(prevHash, r) !== r.hash) return { ok: false, entries: n, brokenAt: r.seq, reason: 'entry-edited' };
      prevHash = r.hash;
      prevSeq = r.seq;
    }
    if (page.length < PAGE) return { ok: true, entries: n, brokenAt: null, reason: null };
  }
}

export function verifyAudit(db: Db): Promise<AuditVerification> {
  return verifyChain((afterSeq, limit) =>
    db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute(),
  );
}
