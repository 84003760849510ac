import { describe, expect, it } from 'vitest';
import {
  APPEAL_TYPES,
  SCENARIOS,
  canSetStatus,
  evaluateChecklist,
  normalizeFacts,
  parseAmount,
  formatAmount,
  requirementsFor,
  statusAfterExport,
  statusForChecklist,
  validateFacts,
  type CaseFacts,
  type ChecklistInputEvidence,
} from '../../shared/domain/cases';
import { hasMessage } from '../../shared/i18n';

let nextId = 1;
const ev = (p: Partial<ChecklistInputEvidence>): ChecklistInputEvidence => ({
  id: `00000000-0000-7000-8000-${String(nextId++).padStart(12, '0')}`,
  kind: 'video',
  mode: null,
  origin: 'recorded',
  parentId: null,
  checkState: 'ok',
  ...p,
});

describe('requirements per appeal type × scenario', () => {
  it('every combination has a checklist whose every requirement has a label and a hint', () => {
    for (const t of APPEAL_TYPES) {
      for (const s of SCENARIOS) {
        const reqs = requirementsFor(t, s);
        expect(
          reqs.some((r) => r.required),
          `${t}×${s}`,
        ).toBe(true);
        for (const r of reqs) {
          expect(hasMessage(`requirement.${r.id}`)).toBe(true);
          expect(hasMessage(`requirement.${r.id}.hint`)).toBe(true);
        }
      }
    }
  });

  it('follows the platform guide for each type', () => {
    const ids = (t: Parameters<typeof requirementsFor>[0], s: Parameters<typeof requirementsFor>[1]) =>
      requirementsFor(t, s)
        .filter((r) => r.required)
        .map((r) => r.id);
    expect(ids('goods', 'other')).toEqual(['unboxing-video', 'item-label-photo', 'problem-photo', 'product-voucher']);
    expect(ids('shipping', 'shipping-fee')).toEqual(['weighing-photo', 'freight-voucher']);
    expect(ids('fast-refund', 'other')).toEqual(['packing-video', 'item-label-photo', 'logistics-proof']);
    expect(ids('responsibility', 'damaged')).toEqual(['unboxing-video', 'item-label-photo', 'problem-photo']);
    expect(ids('responsibility', 'account-locked')).toContain('account-proof');
    // a shipping-fee appeal about a damaged item does not suddenly need an unboxing video
    expect(ids('shipping', 'damaged')).not.toContain('unboxing-video');
  });
});

describe('checklist evaluation', () => {
  it('goods × damaged: missing → present as evidence arrives; failing when every file fails', () => {
    const specs = requirementsFor('goods', 'damaged');
    const video = ev({ kind: 'video', mode: 'return' });
    const photo = ev({ kind: 'photo', mode: 'return' });
    let c = evaluateChecklist(specs, [], []);
    expect(c.complete).toBe(false);
    expect(c.missing).toEqual(['unboxing-video', 'item-label-photo', 'problem-photo', 'product-voucher']);

    const problem = ev({ kind: 'photo', origin: 'imported' });
    const voucher = ev({ kind: 'document', origin: 'imported', checkState: 'block' });
    c = evaluateChecklist(
      specs,
      [video, photo, problem, voucher],
      [
        { requirement: 'problem-photo', evidenceId: problem.id, excluded: false },
        { requirement: 'product-voucher', evidenceId: voucher.id, excluded: false },
      ],
    );
    const state = Object.fromEntries(c.items.map((i) => [i.requirement, i.state]));
    expect(state).toEqual({
      'unboxing-video': 'present',
      'item-label-photo': 'present',
      'problem-photo': 'present',
      'product-voucher': 'failing',
    });
    expect(c.failing).toEqual(['product-voucher']);
    expect(c.complete).toBe(false);
    // the manually linked problem photo is not also counted as the item+label photo
    expect(c.items.find((i) => i.requirement === 'item-label-photo')!.evidence.map((e) => e.evidenceId)).toEqual([
      photo.id,
    ]);
  });

  it('a failing original whose fix passed is present and uses the fixed file(s)', () => {
    const specs = requirementsFor('fast-refund', 'other');
    const long = ev({ kind: 'video', mode: 'outbound', checkState: 'block' });
    const part1 = ev({ kind: 'video', mode: 'outbound', origin: 'fixed', parentId: long.id });
    const part2 = ev({ kind: 'video', mode: 'outbound', origin: 'fixed', parentId: long.id, checkState: 'warn' });
    const c = evaluateChecklist(specs, [long, part1, part2], []);
    const item = c.items.find((i) => i.requirement === 'packing-video')!;
    expect(item.state).toBe('present');
    expect(item.evidence).toEqual([
      { evidenceId: long.id, used: [part1.id, part2.id], checkState: 'warn', linked: 'auto' },
    ]);
  });

  it('pending checks count as present but are flagged; excluded auto matches are dropped', () => {
    const specs = requirementsFor('fast-refund', 'other');
    const v = ev({ kind: 'video', mode: 'outbound', checkState: 'pending' });
    const wrongMode = ev({ kind: 'video', mode: 'return' });
    let c = evaluateChecklist(specs, [v, wrongMode], []);
    const item = c.items.find((i) => i.requirement === 'packing-video')!;
    expect(item.state).toBe('present');
    expect(item.pending).toBe(true);
    expect(item.evidence.map((e) => e.evidenceId)).toEqual([v.id]);
    c = evaluateChecklist(specs, [v], [{ requirement: 'packing-video', evidenceId: v.id, excluded: true }]);
    expect(c.items.find((i) => i.requirement === 'packing-video')!.state).toBe('missing');
  });

  it('shipping: the documents complete it', () => {
    const specs = requirementsFor('shipping', 'shipping-fee');
    const voucher = ev({ kind: 'document', origin: 'imported' });
    const weigh = ev({ kind: 'photo', origin: 'imported' });
    const c = evaluateChecklist(
      specs,
      [voucher, weigh],
      [
        { requirement: 'freight-voucher', evidenceId: voucher.id, excluded: false },
        { requirement: 'weighing-photo', evidenceId: weigh.id, excluded: false },
      ],
    );
    expect(c.complete).toBe(true);
  });
});

describe('appeal type rules', () => {
  const base: CaseFacts = {
    appealType: 'goods',
    scenario: 'damaged',
    signForAt: null,
    refundAt: null,
    proofBeforeRefusal: false,
    fastRefund: null,
    freeShipping: null,
    freightKind: null,
    amountClaimedCents: null,
    orderAmountCents: null,
    notes: '',
  };
  it('goods: amount editable up to what was paid', () => {
    expect(validateFacts({ ...base, amountClaimedCents: 1250, orderAmountCents: 5000 })).toEqual([]);
    expect(validateFacts({ ...base, amountClaimedCents: 6000, orderAmountCents: 5000 })).toEqual(['amount-over-paid']);
  });
  it('shipping: exact amount required, no outbound freight for free-shipping items', () => {
    const s = normalizeFacts({ ...base, appealType: 'shipping' });
    expect(s.freightKind).toBe('refunded');
    expect(validateFacts(s)).toEqual(['shipping-amount-required']);
    expect(validateFacts({ ...s, amountClaimedCents: 800, freeShipping: true, freightKind: 'outbound' })).toEqual([
      'free-shipping-outbound',
    ]);
    expect(validateFacts({ ...s, amountClaimedCents: 800, freeShipping: false, freightKind: 'outbound' })).toEqual([]);
    expect(parseAmount('12.505')).toBeNull();
    expect(parseAmount('¥1,234.5')).toBe(123450);
    expect(parseAmount('-3')).toBeNull();
    expect(formatAmount(123405)).toBe('1234.05');
  });
  it('fast refund only for fast-refunded orders', () => {
    expect(normalizeFacts({ ...base, appealType: 'fast-refund' }).fastRefund).toBe(true);
    expect(validateFacts({ ...base, appealType: 'fast-refund', fastRefund: false })).toEqual(['fast-refund-not-fast']);
  });
});

describe('status machine', () => {
  it('draft ⇄ ready by checklist, export, then staff set submitted → won/lost', () => {
    expect(statusForChecklist('draft', true)).toBe('ready');
    expect(statusForChecklist('ready', false)).toBe('draft');
    expect(statusForChecklist('exported', false)).toBe('exported');
    expect(statusAfterExport('ready')).toBe('exported');
    expect(statusAfterExport('submitted')).toBe('submitted');
    expect(canSetStatus('exported', 'submitted')).toBe(true);
    expect(canSetStatus('submitted', 'won')).toBe(true);
    expect(canSetStatus('draft', 'won')).toBe(false);
    expect(canSetStatus('ready', 'submitted')).toBe(false);
  });
});
