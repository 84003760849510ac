import {
  deadlineAlert,
  evaluateChecklist,
  manualNextStatuses,
  requirementsFor,
  statementLength,
  type AppealCase,
  type CaseDetail,
  type Checklist,
} from '../../../shared/domain/cases';
import { serialStatementLines } from '../../../shared/domain/insight/serials';
import { weightStatementLines } from '../../../shared/domain/scale/weight-statement';
import type { Evidence, Id } from '../../../shared/domain/types';
import type { Lang } from '../../../shared/i18n';
import type { CoreContext } from '../context';
import type { Db } from '../db/db';
import { evidenceForOrder } from '../evidence/evidence-repo';
import { serialProofForOrder } from '../insight/serials/serial-service';
import { getOrder } from '../orders/order-repo';
import { listPackets } from '../packets/packet-repo';
import { weightsOfOrder } from '../scale/weights-repo';
import { draftFor } from './case-facts';
import { getCase, linksForCase } from './case-repo';
import { getCaseSettings } from './case-settings';
import { caseProfile } from './profiles';

/**
 * What a case looks like to the people who work it: the checklist evaluated against the
 * order's evidence, the statement (the clerk's, or the automatic draft), packets, and the
 * deadline alert. Read-only: the changes live in CaseService.
 */
export async function caseDetail(ctx: CoreContext, id: Id, lang?: Lang, now = new Date()): Promise<CaseDetail> {
  const db = ctx.db;
  const c = await getCase(db, id);
  const profile = await caseProfile(ctx, c.profileId);
  const evidence = await evidenceForOrder(db, c.orderId);
  const checklist = await checklistOf(db, c, evidence);
  const statement = c.statementEdited ? c.statement : await caseDraft(ctx, c, checklist, evidence, lang);
  return {
    case: c,
    order: await getOrder(db, c.orderId),
    evidence,
    checklist,
    profile: {
      id: profile.id,
      version: profile.version,
      name: profile.name,
      statementMaxChars: profile.statementMaxChars,
    },
    statement,
    statementLength: statementLength(statement),
    packets: await listPackets(db, c.id, ctx.paths.root),
    nextStatuses: manualNextStatuses(c.status),
    alert: deadlineAlert(c.dueAt, now, (await getCaseSettings(db)).alertHours),
  };
}

export async function checklistOf(db: Db, c: AppealCase, evidence: Evidence[]): Promise<Checklist> {
  return evaluateChecklist(requirementsFor(c.appealType, c.scenario), evidence, await linksForCase(db, c.id));
}

/** The automatic draft in the UI language (or `lang`), from the facts and the checklist. */
export async function caseDraft(
  ctx: CoreContext,
  c: AppealCase,
  checklist: Checklist,
  evidence: Evidence[],
  lang?: Lang,
): Promise<string> {
  const db = ctx.db;
  const language = lang ?? ctx.settings.get().language;
  // serial numbers scanned at packing and at return prove which unit left and which came back
  const proofLines = [
    ...serialStatementLines(await serialProofForOrder(db, c.orderId), { lang: language }),
    // and the scale: a parcel weighed at packing and again at the return
    ...weightStatementLines(await weightsOfOrder(db, c.orderId), { lang: language }),
  ];
  return draftFor(c, checklist, evidence, {
    lang: language,
    maxChars: (await caseProfile(ctx, c.profileId)).statementMaxChars,
    proofLines,
    labelUnread: await labelUnreadIn(db, evidence),
  });
}

/** Files whose latest check found no label, or the wrong one: the statement must not call their label legible. */
async function labelUnreadIn(db: Db, evidence: Evidence[]): Promise<Set<Id>> {
  const ids = evidence.map((e) => e.id);
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('evidence_checks as ec')
    .innerJoin('check_findings as f', 'f.check_id', 'ec.id')
    .select('ec.evidence_id as id')
    .where('f.code', 'in', ['LABEL_NOT_FOUND', 'LABEL_MISMATCH'])
    .where('ec.evidence_id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}
