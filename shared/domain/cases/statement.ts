import { translate, type Lang } from '../../i18n';
import type { CaptureMode, Chapter, EvidenceKind } from '../types';
import { formatAmount } from './rules';
import { formatClock, formatLocalTime, formatSpan } from './time-format';
import type { AppealType, FreightKind, RequirementId, Scenario } from './types';

/** The order's facts a statement (申诉说明) is drafted from. */
export interface StatementFacts {
  orderNo: string;
  trackingNo: string | null;
  appealType: AppealType;
  scenario: Scenario;
  signForAt: string | null;
  refundAt: string | null;
  proofBeforeRefusal: boolean;
  amountClaimedCents: number | null;
  freightKind: FreightKind | null;
  /** one entry per file, in checklist order */
  evidence: StatementEvidence[];
  /** further facts already worded in the statement's language (serial numbers at packing and return) */
  proofLines?: string[];
}

export interface StatementEvidence {
  requirement: RequirementId;
  kind: EvidenceKind;
  mode: CaptureMode | null;
  capturedAt: string;
  durationMs: number | null;
  station: string;
  operator: string;
  chapters: Chapter[];
  /** false when the automatic check could not read the order's label in this file: the statement then claims no legible label */
  labelRead?: boolean;
}

export interface StatementOptions {
  lang: Lang;
  timeZone?: string;
  /** the profile's length limit in characters, when it has one */
  maxChars?: number | null;
}

/** Characters as a platform counts them: code points, so one Chinese character is one. */
export const statementLength = (text: string) => Array.from(text).length;

/**
 * Drafts the statement from facts only — times, what each piece of evidence shows,
 * the chapter times in the video — never from guesses. When the profile limits the
 * length, detail is dropped step by step (chapter times, then who/where, then the
 * per-file descriptions) before, as a last resort, the text is cut at a sentence end.
 */
export function draftStatement(facts: StatementFacts, opts: StatementOptions): string {
  const limit = opts.maxChars && opts.maxChars > 0 ? opts.maxChars : null;
  for (const detail of [3, 2, 1, 0] as const) {
    const text = compose(facts, opts, detail);
    if (!limit || statementLength(text) <= limit) return text;
  }
  return cutAtSentence(compose(facts, opts, 0), limit!);
}

type Detail = 0 | 1 | 2 | 3;

function compose(f: StatementFacts, o: StatementOptions, detail: Detail): string {
  const t = (key: string, params?: Record<string, string | number | null>) => translate(o.lang, key, params);
  const time = (iso: string) => formatLocalTime(iso, { timeZone: o.timeZone, seconds: false });
  const lines: string[] = [];
  const tracking =
    f.trackingNo && f.trackingNo !== f.orderNo ? t('statement.tracking', { tracking: f.trackingNo }) : '';
  lines.push(
    t('statement.intro', {
      order: f.orderNo,
      tracking,
      type: t(`appealType.${f.appealType}`),
      scenario: t(`scenario.${f.scenario}`),
    }),
  );
  const timeline: string[] = [];
  if (f.signForAt)
    timeline.push(t(f.proofBeforeRefusal ? 'statement.refusedAt' : 'statement.signedFor', { time: time(f.signForAt) }));
  if (f.refundAt) timeline.push(t('statement.refundedAt', { time: time(f.refundAt) }));
  if (timeline.length) lines.push(capitalize(timeline.join(t('statement.join')) + t('statement.end')));
  lines.push(t(`statement.claim.${f.scenario}`));

  if (f.evidence.length) {
    lines.push(t('statement.evidenceHeader'));
    if (detail === 0) {
      const names = [...new Set(f.evidence.map((e) => t(`requirement.${e.requirement}`)))];
      lines.push(
        t('statement.evidenceCompact', { list: names.join(t('statement.listSep')), count: f.evidence.length }),
      );
    } else {
      f.evidence.forEach((e, i) => lines.push(`${i + 1}. ${describeEvidence(e, detail, t, time, o.lang)}`));
    }
  }
  if (detail >= 1) lines.push(...(f.proofLines ?? []));
  lines.push(request(f, t));
  return lines.filter((l) => l.length > 0).join('\n');
}

function describeEvidence(
  e: StatementEvidence,
  detail: Detail,
  t: (key: string, params?: Record<string, string | number | null>) => string,
  time: (iso: string) => string,
  lang: Lang,
): string {
  const facts: string[] = [
    t(e.kind === 'video' ? 'statement.recordedAt' : 'statement.takenAt', { time: time(e.capturedAt) }),
  ];
  if (e.kind === 'video' && e.durationMs)
    facts.push(t('statement.duration', { duration: formatSpanClock(e.durationMs, lang) }));
  if (detail >= 2 && e.station) facts.push(t('statement.station', { station: e.station }));
  if (detail >= 2 && e.operator) facts.push(t('statement.operator', { operator: e.operator }));
  let text = `${t(`requirement.${e.requirement}`)}${t('statement.paren', { facts: facts.join(t('statement.factSep')) })}${t('statement.colon')}${t(showsKey(e))}`;
  if (detail >= 3 && e.chapters.length) {
    const marks = e.chapters.map((c) => `${formatClock(c.atMs)} ${t(`step.${c.step}`)}`).join(t('statement.listSep'));
    text += t('statement.chapters', { marks });
  }
  return text + t('statement.end');
}

/** what a file shows; never a legible label the checks could not read */
const LABEL_CLAIMS = new Set<RequirementId>(['unboxing-video', 'item-label-photo']);
const showsKey = (e: StatementEvidence) =>
  e.labelRead === false && LABEL_CLAIMS.has(e.requirement)
    ? `statement.shows.${e.requirement}.labelUnread`
    : `statement.shows.${e.requirement}`;

/** durations under an hour read as a clock (03:12) — what the clerk sees in the player */
const formatSpanClock = (ms: number, lang: Lang) => (ms >= 3_600_000 ? formatSpan(ms, lang) : formatClock(ms));

function request(
  f: StatementFacts,
  t: (key: string, params?: Record<string, string | number | null>) => string,
): string {
  const amount = f.amountClaimedCents != null ? formatAmount(f.amountClaimedCents) : null;
  if (f.appealType === 'shipping' && amount) {
    return t('statement.request.shipping', { amount, freight: t(`freight.${f.freightKind ?? 'refunded'}`) });
  }
  if (amount) return t(`statement.request.${f.appealType}.amount`, { amount });
  return t(`statement.request.${f.appealType}`);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function cutAtSentence(text: string, limit: number): string {
  const chars = Array.from(text).slice(0, Math.max(0, limit - 1));
  const s = chars.join('');
  const end = Math.max(s.lastIndexOf('。'), s.lastIndexOf('. '), s.lastIndexOf('\n'));
  const cut = end > s.length / 2 ? s.slice(0, end + 1) : s;
  return `${cut.trimEnd()}…`;
}
