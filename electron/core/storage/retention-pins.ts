import type { DB } from '../db/connection';

/** The appeal window a closed case keeps its footage for when its profile says nothing (PDD: 7 days). */
export const DEFAULT_APPEAL_WINDOW_HOURS = 7 * 24;

export interface RetentionPins {
  /** every piece of evidence of these orders is kept */
  orderIds: Set<number>;
  /** evidence staff linked to a case, whichever order it belongs to */
  evidenceIds: Set<number>;
}

interface CaseRow {
  id: number;
  order_id: number;
  status: string;
  profile_id: string;
  appeal_due_at: string | null;
  updated_at: string;
}

const CLOSED = new Set(['won', 'lost']);
const hasTable = (db: DB, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * What retention must never delete: footage of an order with a case that is open, or
 * closed but still inside its appeal window (a lost case can still be appealed until the
 * window ends). A case pins every file of its order — checklists match station footage
 * to an order automatically, without a link row — and every file linked to it by hand.
 *
 * `appealWindowHours(profileId)` gives the profile's window (null: unknown → default).
 * A closed case is pinned until the later of its appeal deadline and the time it was
 * closed plus the window, so a case closed without a known refund time is kept too.
 */
export function retentionPins(
  db: DB,
  now: Date,
  appealWindowHours: (profileId: string) => number | null,
): RetentionPins {
  const pins: RetentionPins = { orderIds: new Set(), evidenceIds: new Set() };
  if (!hasTable(db, 'cases')) return pins;
  const pinning: number[] = [];
  for (const c of db
    .prepare('SELECT id, order_id, status, profile_id, appeal_due_at, updated_at FROM cases')
    .iterate() as Iterable<CaseRow>) {
    if (CLOSED.has(c.status)) {
      const hours = appealWindowHours(c.profile_id) ?? DEFAULT_APPEAL_WINDOW_HOURS;
      const closedUntil = Date.parse(c.updated_at) + hours * 3600_000;
      const until = Math.max(closedUntil, c.appeal_due_at ? Date.parse(c.appeal_due_at) : 0);
      if (!(until > now.getTime())) continue;
    }
    pins.orderIds.add(c.order_id);
    pinning.push(c.id);
  }
  if (pinning.length && hasTable(db, 'case_links')) {
    const q = db.prepare('SELECT evidence_id FROM case_links WHERE case_id = ? AND excluded = 0');
    for (const id of pinning)
      for (const r of q.all(id) as { evidence_id: number }[]) pins.evidenceIds.add(r.evidence_id);
  }
  return pins;
}
