import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../db/connection';
import { writeFileAtomic } from '../storage/files';
import { verifyAudit, type AuditVerification } from './audit-log';

/**
 * The hash chain proves that no entry in the middle of the audit log was edited or
 * removed; it cannot see entries cut off the END (the shorter chain is still valid).
 * The anchor closes that gap: a small file beside the database remembers the last
 * entry (id and hash) each time the core closes, and verify requires that entry to
 * still be in the log unchanged, so cutting entries off the end means editing two
 * files consistently instead of one.
 */
export const ANCHOR_FILE = 'audit-anchor.json';

interface Anchor {
  entries: number;
  lastId: number;
  lastHash: string;
  at: string;
}

export async function writeAuditAnchor(dataDir: string, db: DB): Promise<void> {
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number; hash: string } | undefined;
  if (!last) return;
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number };
  const anchor: Anchor = { entries: n, lastId: last.id, lastHash: last.hash, at: new Date().toISOString() };
  await writeFileAtomic(
    path.join(dataDir, ANCHOR_FILE),
    new TextEncoder().encode(`${JSON.stringify(anchor, null, 2)}\n`),
  );
}

export interface FullAuditVerification extends AuditVerification {
  anchor: 'ok' | 'absent' | 'mismatch';
  anchoredEntries: number | null;
}

export function verifyAuditWithAnchor(dataDir: string, db: DB): FullAuditVerification {
  const chain = verifyAudit(db);
  let anchor: Anchor | null;
  try {
    anchor = JSON.parse(fs.readFileSync(path.join(dataDir, ANCHOR_FILE), 'utf8')) as Anchor;
  } catch {
    anchor = null;
  }
  if (!anchor || typeof anchor.lastId !== 'number') return { ...chain, anchor: 'absent', anchoredEntries: null };
  const row = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(anchor.lastId) as { hash: string } | undefined;
  if (!row || row.hash !== anchor.lastHash || chain.entries < anchor.entries) {
    return {
      ...chain,
      ok: false,
      anchor: 'mismatch',
      anchoredEntries: anchor.entries,
      brokenAt: chain.brokenAt ?? anchor.lastId,
      reason: chain.reason ?? (row ? 'entry-edited' : 'entries-deleted-at-end'),
    };
  }
  return { ...chain, anchor: 'ok', anchoredEntries: anchor.entries };
}
