import type { CaseDeadlines, CaseFacts, CaseStatus } from './types';

/**
 * Deadline rules as the platform profile states them. Windows are elapsed hours, not
 * calendar days: "7 days after the refund" is 168 hours of real time, so a daylight-
 * saving change in the clerk's time zone can never move a deadline. Everything is
 * computed and stored in UTC; only display converts to local time.
 */
export interface DeadlineRules {
  /** evidence due this long after the returned parcel is signed for (PDD: 24 h) */
  evidenceAfterSignForHours: number | null;
  /** … or this long when proof is given first and the parcel then refused (PDD: 48 h) */
  evidenceProofBeforeRefusalHours: number | null;
  /** an appeal is possible this long after the refund succeeded (PDD: 7 days = 168 h) */
  appealAfterRefundHours: number | null;
}

/** The deadline windows of a rule profile (`deadlines` in shared/rules); absent = no deadline. */
export function deadlineRulesOf(profile: {
  deadlines?: {
    evidenceHoursAfterSignFor?: { value: number };
    evidenceHoursProofBeforeRefusal?: { value: number };
    appealDaysAfterRefund?: { value: number };
  };
}): DeadlineRules {
  const d = profile.deadlines ?? {};
  return {
    evidenceAfterSignForHours: d.evidenceHoursAfterSignFor?.value ?? null,
    evidenceProofBeforeRefusalHours:
      d.evidenceHoursProofBeforeRefusal?.value ?? d.evidenceHoursAfterSignFor?.value ?? null,
    appealAfterRefundHours: d.appealDaysAfterRefund ? d.appealDaysAfterRefund.value * 24 : null,
  };
}

const HOUR = 3_600_000;

export const addHours = (iso: string, hours: number): string => new Date(Date.parse(iso) + hours * HOUR).toISOString();

/** Statuses in which a deadline still matters: once submitted, it has been met. */
const OPEN: readonly CaseStatus[] = ['draft', 'ready', 'exported'];
export const isOpenStatus = (s: CaseStatus) => OPEN.includes(s);

export function computeDeadlines(
  facts: Pick<CaseFacts, 'signForAt' | 'refundAt' | 'proofBeforeRefusal'>,
  rules: DeadlineRules,
  status: CaseStatus,
): CaseDeadlines {
  const evidenceWindow = facts.proofBeforeRefusal
    ? rules.evidenceProofBeforeRefusalHours
    : rules.evidenceAfterSignForHours;
  const evidenceDueAt = facts.signForAt && evidenceWindow != null ? addHours(facts.signForAt, evidenceWindow) : null;
  const appealDueAt =
    facts.refundAt && rules.appealAfterRefundHours != null
      ? addHours(facts.refundAt, rules.appealAfterRefundHours)
      : null;
  const open = [evidenceDueAt, appealDueAt].filter((d): d is string => d !== null).sort();
  return { evidenceDueAt, appealDueAt, dueAt: isOpenStatus(status) && open.length ? open[0] : null };
}

export type DeadlineAlert = 'missed' | 'near' | null;

/** missed once past; near within `alertHours` (default 6 h in the app's settings). */
export function deadlineAlert(dueAt: string | null, now: Date, alertHours: number): DeadlineAlert {
  if (!dueAt) return null;
  const left = Date.parse(dueAt) - now.getTime();
  if (left <= 0) return 'missed';
  return left <= alertHours * HOUR ? 'near' : null;
}

export const msLeft = (dueAt: string | null, now: Date): number | null =>
  dueAt ? Date.parse(dueAt) - now.getTime() : null;

const ISO_INPUT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time typed by staff or passed to the CLI, as UTC ISO. With an offset (`Z`,
 * `+08:00`) it is exact; without one it is local time on this computer. Impossible
 * dates (Feb 30, 25:00) are refused rather than rolled over.
 */
export function parseUserTime(text: string): string | null {
  const m = ISO_INPUT.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', ms = '0', zone] = m;
  const n = [y, mo, d, h, mi, s].map(Number);
  if (n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 23 || n[4] > 59 || n[5] > 59) return null;
  const msNum = Number(ms.padEnd(3, '0'));
  let t: number;
  if (zone) {
    const off = zone.toUpperCase() === 'Z' ? 0 : offsetMinutes(zone);
    t = Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5], msNum) - off * 60_000;
    const check = new Date(Date.UTC(n[0], n[1] - 1, n[2]));
    if (check.getUTCDate() !== n[2]) return null;
  } else {
    const local = new Date(n[0], n[1] - 1, n[2], n[3], n[4], n[5], msNum);
    if (local.getDate() !== n[2] || local.getMonth() !== n[1] - 1) return null;
    t = local.getTime();
  }
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

function offsetMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
