import { describe, expect, it } from 'vitest';
import {
  computeDeadlines,
  deadlineAlert,
  deadlineRulesOf,
  formatLocalTime,
  formatSpan,
  parseUserTime,
  type DeadlineRules,
} from '../../shared/domain/cases';

const PDD: DeadlineRules = {
  evidenceAfterSignForHours: 24,
  evidenceProofBeforeRefusalHours: 48,
  appealAfterRefundHours: 168,
};
const facts = (signForAt: string | null, refundAt: string | null, proofBeforeRefusal = false) => ({
  signForAt,
  refundAt,
  proofBeforeRefusal,
});

describe('deadlines', () => {
  it('evidence 24 h after sign-for, 48 h when proof comes before refusal, appeal 7 days after refund', () => {
    const d = computeDeadlines(facts('2026-11-24T02:00:00.000Z', '2026-11-20T10:30:00.000Z'), PDD, 'draft');
    expect(d.evidenceDueAt).toBe('2026-11-25T02:00:00.000Z');
    expect(d.appealDueAt).toBe('2026-11-27T10:30:00.000Z');
    expect(d.dueAt).toBe('2026-11-25T02:00:00.000Z');
    const refused = computeDeadlines(facts('2026-11-24T02:00:00.000Z', null, true), PDD, 'draft');
    expect(refused.evidenceDueAt).toBe('2026-11-26T02:00:00.000Z');
    expect(refused.appealDueAt).toBeNull();
  });

  it('no deadline governs a submitted or closed case, and none without times', () => {
    for (const s of ['submitted', 'won', 'lost'] as const) {
      expect(computeDeadlines(facts('2026-11-24T02:00:00.000Z', null), PDD, s).dueAt).toBeNull();
    }
    expect(computeDeadlines(facts(null, null), PDD, 'draft')).toEqual({
      evidenceDueAt: null,
      appealDueAt: null,
      dueAt: null,
    });
  });

  it('reads the windows from a rule profile (days → hours); absent fields mean no deadline', () => {
    const r = deadlineRulesOf({
      deadlines: {
        evidenceHoursAfterSignFor: { value: 24 },
        evidenceHoursProofBeforeRefusal: { value: 48 },
        appealDaysAfterRefund: { value: 7 },
      },
    });
    expect(r).toEqual(PDD);
    const none = deadlineRulesOf({ deadlines: {} });
    expect(
      computeDeadlines(facts('2026-11-24T02:00:00.000Z', '2026-11-24T02:00:00.000Z'), none, 'draft').dueAt,
    ).toBeNull();
  });

  it('is DST-free: 7 days across a DST change is exactly 168 h of real time, shown in local time', () => {
    // New York leaves DST on 2026-11-01: a local-calendar "+7 days" would be 169 h
    const refund = parseUserTime('2026-10-29T12:00:00-04:00')!;
    expect(refund).toBe('2026-10-29T16:00:00.000Z');
    const d = computeDeadlines(facts(null, refund), PDD, 'draft');
    expect(Date.parse(d.appealDueAt!) - Date.parse(refund)).toBe(168 * 3600_000);
    expect(formatLocalTime(d.appealDueAt!, { timeZone: 'America/New_York' })).toBe('2026-11-05 11:00:00 (UTC-05:00)');
    expect(formatLocalTime(refund, { timeZone: 'America/New_York' })).toBe('2026-10-29 12:00:00 (UTC-04:00)');
    expect(formatLocalTime(d.appealDueAt!, { timeZone: 'Asia/Shanghai' })).toBe('2026-11-06 00:00:00 (UTC+08:00)');
    expect(formatLocalTime(d.appealDueAt!, { timeZone: 'UTC' })).toBe('2026-11-05 16:00:00 (UTC+00:00)');
  });

  it('stores UTC whatever zone the input was typed in', () => {
    expect(parseUserTime('2026-11-24T10:00:00+08:00')).toBe('2026-11-24T02:00:00.000Z');
    expect(parseUserTime('2026-11-24 10:00+0800')).toBe('2026-11-24T02:00:00.000Z');
    expect(parseUserTime('2026-11-24T02:00:00Z')).toBe('2026-11-24T02:00:00.000Z');
    // without an offset: local time of this computer
    expect(parseUserTime('2026-11-24T10:00')).toBe(new Date(2026, 10, 24, 10, 0).toISOString());
    for (const bad of ['2026-02-30T10:00Z', '2026-11-24T25:00Z', 'yesterday', '2026-11-24', '']) {
      expect(parseUserTime(bad), bad).toBeNull();
    }
  });

  it('alerts when a deadline is near (configurable) or missed', () => {
    const due = '2026-11-24T12:00:00.000Z';
    expect(deadlineAlert(due, new Date('2026-11-24T05:59:00Z'), 6)).toBeNull();
    expect(deadlineAlert(due, new Date('2026-11-24T06:00:00Z'), 6)).toBe('near');
    expect(deadlineAlert(due, new Date('2026-11-24T06:00:00Z'), 2)).toBeNull();
    expect(deadlineAlert(due, new Date('2026-11-24T12:00:00Z'), 6)).toBe('missed');
    expect(deadlineAlert(null, new Date(), 6)).toBeNull();
  });

  it('formats time left in both languages', () => {
    expect(formatSpan((2 * 24 + 3) * 3600_000 + 60_000, 'zh-CN')).toBe('2 天 3 小时');
    expect(formatSpan(5 * 3600_000 + 12 * 60_000, 'en')).toBe('5 h 12 min');
    expect(formatSpan(-45 * 60_000, 'en')).toBe('45 min');
  });
});
