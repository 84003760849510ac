import { describe, expect, it, vi } from 'vitest';
import { startDeadlineWatch } from '../../electron/core/cases/deadline-watch';
import { casesPageQuery } from '../../electron/core/cases/case-repo';
import { createCore } from '../../electron/core/core';
import type { CaseDetail } from '../../shared/domain/cases';
import { call } from '../helpers/core-call';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();

describe(`cases by deadline (${testEngine})`, () => {
  it('lists cases by time left through the deadline index; status changes are audited', async () => {
    // the watch reads this fixed clock: A-late (due 12-01) is ahead, C-soon (due 11-21) missed, on any test day
    const NOW = new Date('2026-11-25T00:00:00Z');
    const dir = tmp();
    const core = await createCore({ dataDir: dir, mode: 'cli' });
    try {
      const mk = (orderNo: string, signForAt: string | null) =>
        call<CaseDetail>(core, 'cases.create', { orderNo, appealType: 'responsibility', scenario: 'other', signForAt });
      const late = await mk('A-late', '2026-11-30T00:00:00Z');
      await mk('B-none', null);
      await mk('C-soon', '2026-11-20T00:00:00Z');
      const page = await call<{ items: { orderNo: string; alert: string | null }[]; total: number }>(
        core,
        'cases.list',
        {},
      );
      expect(page.items.map((i) => i.orderNo)).toEqual(['C-soon', 'A-late', 'B-none']);
      expect(page.total).toBe(3);
      if (testEngine === 'sqlite') {
        // the list's own query (and with a search) reads the deadline index in order: no sort
        for (const query of ['', 'late']) {
          const q = casesPageQuery(core.ctx.db, 'due', { filter: 'all', query, limit: 100, offset: 0 }).compile();
          const plan = (await core.ctx.db.executeQuery({ ...q, sql: `EXPLAIN QUERY PLAN ${q.sql}` })).rows as {
            detail: string;
          }[];
          expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX cases_due/);
          expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
        }
      }

      const found = await call<{ items: { orderNo: string }[]; total: number }>(core, 'cases.list', { query: 'late' });
      expect(found).toMatchObject({ total: 1, items: [{ orderNo: 'A-late' }] });

      // alerts: the missed deadline and one due within the window (2 h after NOW), each once
      await call(core, 'cases.create', {
        orderNo: 'D-near',
        appealType: 'responsibility',
        scenario: 'other',
        signForAt: new Date(NOW.getTime() - 22 * 3_600_000).toISOString(), // due 24 h after signing
      });
      const notices: { code: string; params?: Record<string, string | number> }[] = [];
      const off = core.ctx.events.onAny((ev, p) => ev === 'notice' && notices.push(p as (typeof notices)[number]));
      let checks = 0;
      const stop = startDeadlineWatch(core.ctx, 20, () => (checks++, NOW));
      // "once" means: still once after several more checks
      await vi.waitFor(() => expect(checks).toBeGreaterThanOrEqual(4), { timeout: 60_000, interval: 20 });
      stop();
      off();
      expect(notices.map((n) => `${n.code}:${n.params?.order}`).sort()).toEqual([
        'cases.alert.missed:C-soon',
        'cases.alert.near:D-near',
      ]);

      // refused transitions and rules, in the UI language
      await expect(call(core, 'cases.setStatus', { id: late.case.id, status: 'won' })).rejects.toThrow(/CONFLICT/);
      await expect(
        call(core, 'cases.create', {
          orderNo: 'X',
          appealType: 'shipping',
          scenario: 'shipping-fee',
          freeShipping: true,
          freightKind: 'outbound',
          amountClaimedCents: 800,
        }),
      ).rejects.toThrow(/包邮商品不能申诉发货运费/);
      const actions = (
        await core.ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'case').execute()
      ).map((r) => r.action);
      expect(actions.filter((a) => a === 'case.create')).toHaveLength(4);
    } finally {
      await core.close();
    }
  });
});
