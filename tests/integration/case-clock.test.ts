import { describe, expect, it } from 'vitest';
import { CaseService } from '../../electron/core/cases/case-service';
import { createCore } from '../../electron/core/core';
import { contract, type CallName, type ParsedInput } from '../../shared/api/contract';
import { useTempDirs } from '../helpers/temp';

// A case change answers with the case as it stands at the caller's "now": the alert in
// the answer must come from the same clock as the change, not from the machine's clock
// read again later (which made these answers depend on the day the test ran).
const tmp = useTempDirs();
const HOUR = 3_600_000;
const parse = <K extends CallName>(name: K, input: unknown) => contract[name].input.parse(input) as ParsedInput<K>;

describe('case answers use the clock of the call (real SQLite)', () => {
  it('create, update, status, detail and list all judge the deadline at the given now', async () => {
    const core = await createCore({ dataDir: tmp(), mode: 'cli' });
    try {
      const cases = new CaseService(core.ctx);
      // years in the past: the machine's clock would call every one of these "missed"
      const signed = '2020-03-01T00:00:00.000Z'; // evidence due 24 h later (PDD profile)
      const due = Date.parse('2020-03-02T00:00:00.000Z');
      const early = new Date(due - 12 * HOUR); // outside the 6 h alert window
      const near = new Date(due - 4 * HOUR);
      const past = new Date(due + HOUR);

      const created = await cases.create(
        parse('cases.create', {
          orderNo: 'CLOCK-1',
          appealType: 'responsibility',
          scenario: 'other',
          signForAt: signed,
        }),
        early,
      );
      expect(created.case.dueAt).toBe(new Date(due).toISOString());
      expect(created.alert).toBeNull();

      const id = created.case.id;
      expect((await cases.update(parse('cases.update', { id, notes: 'called the courier' }), near)).alert).toBe('near');
      expect(
        (await cases.setStatus(parse('cases.setStatus', { id, status: created.case.status }), early)).alert,
      ).toBeNull();
      expect((await cases.detail(id, undefined, past)).alert).toBe('missed');

      const page = await cases.list(parse('cases.list', {}), near);
      expect(page.now).toBe(near.toISOString());
      expect(page.items).toMatchObject([{ orderNo: 'CLOCK-1', alert: 'near', msLeft: 4 * HOUR }]);
    } finally {
      await core.close();
    }
  });
});
