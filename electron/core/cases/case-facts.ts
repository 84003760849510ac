import { AppError } from '../../../shared/api/result';
import {
  draftStatement,
  normalizeFacts,
  validateFacts,
  type AppealCase,
  type CaseFacts,
  type Checklist,
  type StatementEvidence,
} from '../../../shared/domain/cases';
import type { Evidence, Id } from '../../../shared/domain/types';
import { translate, type Lang } from '../../../shared/i18n';

/** Facts normalised for the appeal type and checked against its rules (messages in `lang`). */
export function checkedFacts(raw: CaseFacts, lang: Lang): CaseFacts {
  const facts = normalizeFacts(raw);
  const problems = validateFacts(facts);
  if (problems.length) {
    throw new AppError('INVALID_INPUT', problems.map((p) => translate(lang, `case.problem.${p}`)).join('; '), {
      problems,
    });
  }
  return facts;
}

/** The statement draft: the facts plus, in checklist order, every passing file and what it is. */
export function draftFor(
  c: AppealCase,
  checklist: Checklist,
  evidence: Evidence[],
  opts: { lang: Lang; maxChars: number | null; proofLines?: string[]; labelUnread?: ReadonlySet<Id> },
): string {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const items: StatementEvidence[] = [];
  for (const item of checklist.items) {
    for (const used of item.evidence.filter((e) => e.checkState !== 'block')) {
      const e = byId.get(used.evidenceId);
      if (!e) continue;
      const { kind, mode, capturedAt, durationMs, station, operator, chapters } = e;
      const labelRead = !opts.labelUnread?.has(e.id);
      items.push({
        requirement: item.requirement,
        kind,
        mode,
        capturedAt,
        durationMs,
        station,
        operator,
        chapters,
        labelRead,
      });
    }
  }
  return draftStatement({ ...c, evidence: items, proofLines: opts.proofLines }, opts);
}

export const utc = (iso: string | null | undefined): string | null => (iso ? new Date(iso).toISOString() : null);

export function pickFacts(c: AppealCase): CaseFacts {
  const { appealType, scenario, signForAt, refundAt, proofBeforeRefusal, fastRefund, freeShipping } = c;
  const { freightKind, amountClaimedCents, orderAmountCents, notes } = c;
  return {
    appealType,
    scenario,
    signForAt,
    refundAt,
    proofBeforeRefusal,
    fastRefund,
    freeShipping,
    freightKind,
    amountClaimedCents,
    orderAmountCents,
    notes,
  };
}

export const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
