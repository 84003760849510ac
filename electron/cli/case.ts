import {
  APPEAL_TYPES,
  CASE_STATUSES,
  FREIGHT_KINDS,
  SCENARIOS,
  formatAmount,
  formatLocalTime,
  formatSpan,
  parseAmount,
  parseUserTime,
  type CaseDetail,
} from '../../shared/domain/cases';
import type { Lang } from '../../shared/i18n';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { asCliError, cliLang, cliT, positiveInt, required } from './cli-support';
import { withCore } from './open-core';
import { CaseService } from '../core/cases/case-service';

function choice<T extends string>(
  value: string | undefined,
  list: readonly T[],
  option: string,
  lang: Lang,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(list as readonly string[]).includes(value)) {
    throw new UsageError(cliT(lang)('cli.opt.badChoice', { option, value: `${value} (${list.join('|')})` }));
  }
  return value as T;
}

function time(value: string | undefined, option: string, lang: Lang): string | undefined {
  if (value === undefined) return undefined;
  const iso = parseUserTime(value);
  if (!iso) throw new UsageError(cliT(lang)('cli.opt.badTime', { option, value }));
  return iso;
}

function amount(value: string | undefined, option: string, lang: Lang): number | undefined {
  if (value === undefined) return undefined;
  const cents = parseAmount(value);
  if (cents === null) throw new UsageError(cliT(lang)('cli.opt.badAmount', { option, value }));
  return cents;
}

/** The JSON a script gets: the case, its deadlines and its checklist. */
export function caseJson(d: CaseDetail) {
  return {
    ...d.case,
    amountClaimed: d.case.amountClaimedCents != null ? formatAmount(d.case.amountClaimedCents) : null,
    order: d.order,
    profile: d.profile,
    checklist: {
      complete: d.checklist.complete,
      missing: d.checklist.missing,
      failing: d.checklist.failing,
      items: d.checklist.items.map((i) => ({
        requirement: i.requirement,
        required: i.required,
        accepts: i.accepts,
        state: i.state,
        pending: i.pending,
        evidence: i.evidence.map((e) => ({ id: e.evidenceId, used: e.used, check: e.checkState, linked: e.linked })),
      })),
    },
    statement: d.statement,
    alert: d.alert,
  };
}

function printCase(d: CaseDetail, lang: Lang) {
  const t = cliT(lang);
  const c = d.case;
  console.log(
    `#${c.id} ${t(`appealType.${c.appealType}`)} · ${t(`scenario.${c.scenario}`)} · ${t(`caseStatus.${c.status}`)}`,
  );
  console.log(`  ${t('pdf.order')}: ${d.order.orderNo}${d.order.trackingNo ? ` (${d.order.trackingNo})` : ''}`);
  if (c.evidenceDueAt)
    console.log(`  ${t('pdf.evidenceDue')}: ${formatLocalTime(c.evidenceDueAt, { seconds: false })}`);
  if (c.appealDueAt) console.log(`  ${t('pdf.appealDue')}: ${formatLocalTime(c.appealDueAt, { seconds: false })}`);
  for (const i of d.checklist.items) {
    const mark = i.state === 'present' ? '✓' : i.state === 'failing' ? '!' : '✗';
    console.log(
      `  ${mark} ${t(`requirement.${i.requirement}`)} — ${t(`checklist.${i.state}`)}${i.required ? '' : ` (${t('checklist.recommended')})`}`,
    );
  }
}

export const caseCreateCommand: Command = {
  summary: 'Open an appeal case on an order and print its checklist',
  usage: `Usage: proofpack case create --data-dir DIR --order NO --type TYPE --scenario S
         [--sign-for ISO] [--refund ISO] [--amount N] [--tracking NO] [--profile ID]
         [--proof-before-refusal] [--free-shipping] [--freight ${FREIGHT_KINDS.join('|')}]
         [--order-amount N] [--notes TEXT] [--json]

TYPE: ${APPEAL_TYPES.join('|')}
S:    ${SCENARIOS.join('|')}
Times are ISO-8601 (2026-11-24T10:00:00+08:00); without an offset they are local time.
Amounts are in yuan with at most two decimals (12.50).`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      order: { type: 'string' },
      tracking: { type: 'string' },
      type: { type: 'string' },
      scenario: { type: 'string' },
      'sign-for': { type: 'string' },
      refund: { type: 'string' },
      amount: { type: 'string' },
      'order-amount': { type: 'string' },
      profile: { type: 'string' },
      'proof-before-refusal': { type: 'boolean' },
      'free-shipping': { type: 'boolean' },
      freight: { type: 'string' },
      notes: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const input = {
      orderNo: required(values, 'order', lang0),
      trackingNo: values.tracking,
      appealType: choice(required(values, 'type', lang0), APPEAL_TYPES, '--type', lang0)!,
      scenario: choice(required(values, 'scenario', lang0), SCENARIOS, '--scenario', lang0)!,
      signForAt: time(values['sign-for'], '--sign-for', lang0),
      refundAt: time(values.refund, '--refund', lang0),
      amountClaimedCents: amount(values.amount, '--amount', lang0),
      orderAmountCents: amount(values['order-amount'], '--order-amount', lang0),
      profileId: values.profile,
      proofBeforeRefusal: values['proof-before-refusal'] ?? false,
      freeShipping: values['free-shipping'] ?? null,
      freightKind: choice(values.freight, FREIGHT_KINDS, '--freight', lang0),
      notes: values.notes,
    };
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      let d: CaseDetail;
      try {
        d = await new CaseService(core.ctx).create(input);
      } catch (e) {
        asCliError(e);
      }
      if (values.json) console.log(JSON.stringify(caseJson(d), null, 2));
      else printCase(d, lang);
      return 0;
    });
  },
};

export const caseListCommand: Command = {
  summary: 'List cases, soonest deadline first',
  usage: `Usage: proofpack case list --data-dir DIR [--filter open|closed|all] [--limit N] [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      filter: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const filter = choice(values.filter, ['open', 'closed', 'all'] as const, '--filter', lang0) ?? 'all';
    const limit = values.limit ? Math.min(500, positiveInt(values.limit, '--limit', lang0)) : 100;
    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      const t = cliT(lang);
      const page = await new CaseService(core.ctx).list({ filter, query: '', limit, offset: 0 });
      if (values.json) console.log(JSON.stringify(page, null, 2));
      else {
        for (const c of page.items) {
          const left =
            c.msLeft == null
              ? '—'
              : c.msLeft <= 0
                ? t('cases.overdueBy', { span: formatSpan(c.msLeft, lang) })
                : t('cases.left', { span: formatSpan(c.msLeft, lang) });
          console.log(
            `#${String(c.id).padEnd(6)} ${c.orderNo.padEnd(24)} ${t(`appealType.${c.appealType}`)} · ${t(`caseStatus.${c.status}`)} · ${left}`,
          );
        }
        console.log(t('cases.total', { count: page.total }));
      }
      return 0;
    });
  },
};

export const caseStatusCommand: Command = {
  summary: 'Record a case as submitted, won or lost',
  usage: `Usage: proofpack case status --data-dir DIR --case ID --status ${CASE_STATUSES.join('|')} [--recovered N] [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      case: { type: 'string' },
      status: { type: 'string' },
      recovered: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const id = required(values, 'case', lang0).trim();
    const status = choice(required(values, 'status', lang0), CASE_STATUSES, '--status', lang0)!;
    const recovered = amount(values.recovered, '--recovered', lang0);
    return withCore(values['data-dir'], async (core) => {
      const d = await new CaseService(core.ctx).setStatus({ id, status, amountRecoveredCents: recovered });
      if (values.json) console.log(JSON.stringify(caseJson(d), null, 2));
      else printCase(d, cliLang(core.ctx.settings.get().language));
      return 0;
    });
  },
};
