import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/db';
import { writeFileAtomic } from '../storage/files';
import { verifyAudit, type AuditVerification } from './audit-log';

/**
 * The hash chain proves that no entry in the middle of the audit log was edited or
 * removed; it cannot see entries cut off the END (the shorter chain is still valid).
 * The anchor closes that gap: a small file beside the database remembers the last
 * entry (chain position and hash) each time the core closes, and verify requires that
 * entry to still be in the log unchanged, so cutting entries off the end means editing
 * two files consistently instead of one.
 */
export const ANCHOR_FILE = 'audit-anchor.json';

interface Anchor {
  entries: number;
  /** chain position (audit_log.seq) of the last entry; anchors written before schema 6 call it lastId (same number) */
  lastSeq?: number;
  lastId?: number;
  lastHash: string;
  at: string;
}

export async function writeAuditAnchor(dataDir: string, db: Db): Promise<void> {
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return;
  const { n } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const anchor: Anchor = { entries: Number(n), lastSeq: last.seq, lastHash: last.hash, at: new Date().toISOString() };
  await writeFileAtomic(
    path.join(dataDir, ANCHOR_FILE),
    new TextEncoder().encode(`${JSON.stringify(anchor, null, 2)}\n`),
  );
}

export interface FullAuditVerification extends AuditVerification {
  anchor: 'ok' | 'absent' | 'mismatch';
  anchoredEntries: number | null;
}

export async function verifyAuditWithAnchor(dataDir: string, db: Db): Promise<FullAuditVerification> {
  const chain = await verifyAudit(db);
  let anchor: Anchor | null;
  try {
    anchor = JSON.parse(fs.readFileSync(path.join(dataDir, ANCHOR_FILE), 'utf8')) as Anchor;
  } catch {
    anchor = null;
  }
  const lastSeq = anchor?.lastSeq ?? anchor?.lastId;
  if (!anchor || typeof lastSeq !== 'number') return { ...chain, anchor: 'absent', anchoredEntries: null };
  const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', lastSeq).executeTakeFirst();
  if (!row || row.hash !== anchor.lastHash || chain.entries < anchor.entries) {
    return {
      ...chain,
      ok: false,
      anchor: 'mismatch',
      anchoredEntries: anchor.entries,
      brokenAt: chain.brokenAt ?? lastSeq,
      reason: chain.reason ?? (row ? 'entry-edited' : 'entries-deleted-at-end'),
    };
  }
  return { ...chain, anchor: 'ok', anchoredEntries: anchor.entries };
}
