import type { AuditPage } from '../../../shared/hub/audit';
import type { Db } from '../db/db';

const parse = (text: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/**
 * The audit log newest first, a page at a time by chain position (seq is indexed: an old
 * page costs what the first does). `actionPrefix` narrows it (`user.`, `share.`, `evidence.`).
 */
export async function listAudit(
  db: Db,
  opts: { beforeSeq?: number; limit?: number; actionPrefix?: string } = {},
): Promise<AuditPage> {
  const limit = Math.min(Math.max(1, opts.limit ?? 100), 500);
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('hub_users as u', 'u.id', 'a.actor')
    .select(['a.seq', 'a.at', 'a.actor', 'u.name', 'a.action', 'a.entity', 'a.entity_id', 'a.details']);
  if (opts.beforeSeq !== undefined) q = q.where('a.seq', '<', opts.beforeSeq);
  if (opts.actionPrefix) q = q.where('a.action', 'like', `${opts.actionPrefix.replace(/[\\%_]/g, '')}%`);
  const rows = await q
    .orderBy('a.seq', 'desc')
    .limit(limit + 1)
    .execute();
  const entries = rows.slice(0, limit).map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: r.name ?? r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: parse(r.details),
  }));
  return { entries, next: rows.length > limit ? entries[entries.length - 1]!.seq : null };
}
