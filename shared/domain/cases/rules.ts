import type { CaseFacts } from './types';

/**
 * The rules each appeal type puts on a case's facts (SPEC "Appeal types"):
 * - goods (货款): the claimed amount is editable — any part of what was paid;
 * - shipping (运费): the amount must be exact (to the fen), and a free-shipping item
 *   cannot appeal its outbound freight;
 * - fast refund (极速退款): only for orders refunded by fast refund.
 * Problems are codes; `case.problem.<code>` is their message in the UI language.
 */
export type CaseProblem =
  | 'fast-refund-not-fast'
  | 'free-shipping-outbound'
  | 'shipping-amount-required'
  | 'amount-not-positive'
  | 'amount-over-paid';

/** Normalises what a type implies: choosing a fast-refund appeal asserts the order was fast-refunded. */
export function normalizeFacts(facts: CaseFacts): CaseFacts {
  const f = { ...facts };
  if (f.appealType === 'fast-refund' && f.fastRefund == null) f.fastRefund = true;
  if (f.appealType === 'shipping' && f.freightKind == null) f.freightKind = 'refunded';
  if (f.appealType !== 'shipping') f.freightKind = null;
  return f;
}

export function validateFacts(f: CaseFacts): CaseProblem[] {
  const problems: CaseProblem[] = [];
  if (f.appealType === 'fast-refund' && f.fastRefund === false) problems.push('fast-refund-not-fast');
  if (f.appealType === 'shipping') {
    if (f.freeShipping && f.freightKind === 'outbound') problems.push('free-shipping-outbound');
    if (f.amountClaimedCents == null) problems.push('shipping-amount-required');
  }
  if (f.amountClaimedCents != null && !(Number.isInteger(f.amountClaimedCents) && f.amountClaimedCents > 0)) {
    problems.push('amount-not-positive');
  }
  if (
    f.appealType === 'goods' &&
    f.amountClaimedCents != null &&
    f.orderAmountCents != null &&
    f.amountClaimedCents > f.orderAmountCents
  ) {
    problems.push('amount-over-paid');
  }
  return problems;
}

/**
 * "12", "12.5", "12.50", "¥1,234.56" → cents. More than two decimals is refused, not
 * rounded: a shipping-fee appeal must state the exact amount on the voucher.
 */
export function parseAmount(text: string): number | null {
  const t = text
    .trim()
    .replace(/^[¥￥]|元$/g, '')
    .replace(/,/g, '')
    .trim();
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

export const formatAmount = (cents: number): string =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
