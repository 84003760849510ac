import type { Db } from '../db/db';
import type { Id } from '../../../shared/domain/id';

/** The appeal window a closed case keeps its footage for when its profile says nothing (PDD: 7 days). */
export const DEFAULT_APPEAL_WINDOW_HOURS = 7 * 24;

export interface RetentionPins {
  /** every piece of evidence of these orders is kept */
  orderIds: Set<Id>;
  /** evidence staff linked to a case, whichever order it belongs to */
  evidenceIds: Set<Id>;
}

const CLOSED = new Set(['won', 'lost']);

/**
 * What retention must never delete: footage of an order with a case that is open, or
 * closed but still inside its appeal window (a lost case can still be appealed until the
 * window ends). A case pins every file of its order — checklists match station footage
 * to an order automatically, without a link row — and every file linked to it by hand.
 *
 * `appealWindowHours(profileId)` gives the profile's window (null: unknown → default);
 * it is asked once per profile.
 * A closed case is pinned until the later of its appeal deadline and the time it was
 * closed plus the window, so a case closed without a known refund time is kept too.
 */
export async function retentionPins(
  db: Db,
  now: Date,
  appealWindowHours: (profileId: string) => Promise<number | null>,
): Promise<RetentionPins> {
  const pins: RetentionPins = { orderIds: new Set(), evidenceIds: new Set() };
  const pinning: Id[] = [];
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'order_id', 'status', 'profile_id', 'appeal_due_at', 'updated_at'])
    .execute();
  const windows = new Map<string, number>();
  for (const c of cases) {
    if (CLOSED.has(c.status)) {
      if (!windows.has(c.profile_id))
        windows.set(c.profile_id, (await appealWindowHours(c.profile_id)) ?? DEFAULT_APPEAL_WINDOW_HOURS);
      const hours = windows.get(c.profile_id)!;
      const closedUntil = Date.parse(c.updated_at) + hours * 3600_000;
      const until = Math.max(closedUntil, c.appeal_due_at ? Date.parse(c.appeal_due_at) : 0);
      if (!(until > now.getTime())) continue;
    }
    pins.orderIds.add(c.order_id);
    pinning.push(c.id);
  }
  // in slices: a bound parameter per case, far under both engines' limits
  for (let i = 0; i < pinning.length; i += 1000) {
    const links = await db
      .selectFrom('case_links')
      .select('evidence_id')
      .where('case_id', 'in', pinning.slice(i, i + 1000))
      .where('excluded', '=', 0)
      .execute();
    for (const r of links) pins.evidenceIds.add(r.evidence_id);
  }
  return pins;
}
