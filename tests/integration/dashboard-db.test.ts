import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../electron/core/audit/audit-log';
import type { Db } from '../../electron/core/db/db';
import { newId } from '../../electron/core/db/ids';
import { dashboardReport } from '../../electron/core/insight/dashboard/dashboard-repo';
import { localDay } from '../../shared/domain/insight/days';
import { useTempDirs } from '../helpers/temp';
import { testEngine, useTestDb } from '../helpers/test-db';

const tmp = useTempDirs();
const openTestDb = useTestDb();
// a fixed clock: noon local time on a fixed day
const now = new Date(2026, 10, 20, 12, 0, 0);
const day = localDay(now);
const iso = (hoursFromNow: number) => new Date(now.getTime() + hoursFromNow * 3600_000).toISOString();

async function order(db: Db, no: string): Promise<string> {
  const id = newId();
  await db
    .insertInto('orders')
    .values({
      id,
      order_no: no,
      tracking_no: null,
      source: 'scan',
      created_at: iso(-2),
      updated_at: iso(-2),
      station_id: db.stationId,
      legacy_id: null,
    })
    .execute();
  return id;
}

async function caseFor(
  db: Db,
  orderId: string,
  status: 'draft' | 'won' | 'lost',
  dueInHours: number,
  legacyId: number | null = null,
) {
  const id = newId();
  await db
    .insertInto('cases')
    .values({
      id,
      order_id: orderId,
      profile_id: 'pdd',
      profile_version: '1',
      appeal_type: 'goods',
      scenario: 'damaged',
      status,
      sign_for_at: null,
      refund_at: null,
      proof_before_refusal: 0,
      fast_refund: null,
      free_shipping: null,
      freight_kind: null,
      amount_claimed_cents: 1000,
      order_amount_cents: null,
      amount_recovered_cents: status === 'won' ? 800 : null,
      evidence_due_at: iso(dueInHours),
      appeal_due_at: null,
      due_at: iso(dueInHours),
      statement: '',
      statement_edited: 0,
      notes: '',
      created_by: '',
      created_at: iso(-1),
      updated_at: iso(-1),
      station_id: db.stationId,
      legacy_id: legacyId,
    })
    .execute();
  return id;
}

describe(`dashboard on ${testEngine}`, () => {
  it('counts outcomes, amounts and deadlines met (by packet or by a submitted status, new or legacy id), missed and pending', async () => {
    const db = await openTestDb(tmp());
    // met by a "submitted" audit entry naming the case id
    const a = await caseFor(db, await order(db, 'O-1'), 'won', 5);
    await appendAudit(
      db,
      { actor: 'li', action: 'case.status', entity: 'case', entityId: a, details: { to: 'submitted' } },
      new Date(iso(-0.5)),
    );
    // met by an audit entry written before migration 006 (it names the old integer id)
    await caseFor(db, await order(db, 'O-2'), 'lost', 5, 17);
    await appendAudit(
      db,
      { actor: 'li', action: 'case.status', entity: 'case', entityId: 17, details: { to: 'submitted' } },
      new Date(iso(-0.5)),
    );
    // missed: due an hour ago, never handled; pending: due tomorrow
    await caseFor(db, await order(db, 'O-3'), 'draft', -1);
    await caseFor(db, await order(db, 'O-4'), 'draft', 24);

    const r = await dashboardReport(db, day, day, now);
    expect(r.outcomes).toEqual({ total: 4, won: 1, lost: 1, open: 2, winRate: 0.5 });
    expect(r.casesByType).toEqual([{ appealType: 'goods', scenario: 'damaged', cases: 4, won: 1, lost: 1 }]);
    expect(r.amounts).toEqual([{ appealType: 'goods', claimedCents: 4000, recoveredCents: 800, cases: 4 }]);
    expect(r.deadlines).toEqual([{ appealType: 'goods', met: 2, missed: 1, pending: 1 }]);
    expect(r.recordingsPerHour).toHaveLength(24);
    expect(r.recordingsPerDay).toEqual([{ day, recordings: 0 }]);
  });
});
