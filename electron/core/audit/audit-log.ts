import { createHash } from 'node:crypto';
import type { DB } from '../db/connection';

export interface AuditEntryInput {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

export function auditHash(prevHash: string, row: Omit<AuditRow, 'id' | 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([row.at, row.actor, row.action, row.entity, row.entity_id, row.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Append-only, hash-chained audit log: each entry's hash covers the previous entry's
 * hash, so editing or deleting any row breaks the chain from there on. Call inside the
 * same transaction as the change it records.
 */
export function appendAudit(db: DB, e: AuditEntryInput, at = new Date()): void {
  const prev = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
  const prevHash = prev?.hash ?? GENESIS;
  const row = {
    at: at.toISOString(),
    actor: e.actor || 'system',
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId == null ? null : String(e.entityId),
    details: JSON.stringify(e.details ?? {}),
  };
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, entity, entity_id, details, prev_hash, hash)
     VALUES (@at, @actor, @action, @entity, @entity_id, @details, @prev_hash, @hash)`,
  ).run({ ...row, prev_hash: prevHash, hash: auditHash(prevHash, row) });
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** first entry id where the chain breaks */
  brokenAt: number | null;
  reason: string | null;
}

export function verifyAudit(db: DB): AuditVerification {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>;
  let prevHash = GENESIS;
  let prevId = 0;
  let n = 0;
  for (const r of rows) {
    n++;
    if (r.id !== prevId + 1) return { ok: false, entries: n, brokenAt: r.id, reason: 'entry-deleted' };
    if (r.prev_hash !== prevHash) return { ok: false, entries: n, brokenAt: r.id, reason: 'chain-broken' };
    if (auditHash(prevHash, r) !== r.hash) return { ok: false, entries: n, brokenAt: r.id, reason: 'entry-edited' };
    prevHash = r.hash;
    prevId = r.id;
  }
  return { ok: true, entries: n, brokenAt: null, reason: null };
}
