import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/audit-log';
import { CaseService } from '../../electron/core/cases/case-service';
import { createCore } from '../../electron/core/core';
import { useTempDirs } from '../helpers/temp';
import { testEngine } from '../helpers/test-db';

const tmp = useTempDirs();
const at = (i: number) => new Date(Date.UTC(2026, 10, 24, 2, 0, i));

/**
 * Two station processes (two cores, each with its own connection pool, so two server
 * sessions) edit one case at once: one its notes, one its claimed amount. Each edit reads
 * the case and writes it back whole, so without a row lock one process writes the other's
 * change back to its stale value (a lost update). SQLite has one writer at a time by design.
 */
describe.runIf(testEngine === 'postgres')('one case edited by two processes at once', () => {
  it('keeps both processes’ changes and one unbroken audit chain', async () => {
    const dir = tmp();
    const a = await createCore({ dataDir: dir, mode: 'cli' });
    const b = await createCore({ dataDir: dir, mode: 'cli' });
    const [casesA, casesB] = [new CaseService(a.ctx), new CaseService(b.ctx)];
    try {
      const c = await casesA.create({ orderNo: 'PDD-TWO-WRITERS', appealType: 'goods', scenario: 'damaged' }, at(0));
      const rounds = 25;
      await Promise.all([
        (async () => {
          for (let i = 1; i <= rounds; i++) await casesA.update({ id: c.case.id, notes: `a-${i}` }, at(i));
        })(),
        (async () => {
          for (let i = 1; i <= rounds; i++) await casesB.update({ id: c.case.id, amountClaimedCents: i * 100 }, at(i));
        })(),
      ]);
      const final = await casesA.detail(c.case.id, undefined, at(60));
      expect(final.case.notes).toBe(`a-${rounds}`);
      expect(final.case.amountClaimedCents).toBe(rounds * 100);
      expect(await verifyAudit(a.ctx.db)).toMatchObject({ ok: true, brokenAt: null });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
