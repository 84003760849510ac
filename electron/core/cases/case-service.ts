import type { ParsedInput } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/result';
import {
  canSetStatus,
  computeDeadlines,
  deadlineAlert,
  evaluateChecklist,
  manualNextStatuses,
  msLeft,
  requirementsFor,
  statementLength,
  statusForChecklist,
  type AppealCase,
  type CaseDetail,
  type CaseFacts,
  type CaseListPage,
  type Checklist,
  type RequirementId,
} from '../../../shared/domain/cases';
import type { Evidence } from '../../../shared/domain/types';
import type { Lang } from '../../../shared/i18n';
import { appendAudit } from '../audit/audit-log';
import type { CoreContext } from '../context';
import { evidenceForOrder, getEvidence } from '../evidence/evidence-repo';
import { getOrder } from '../orders/order-repo';
import { listPackets } from '../packets/packet-repo';
import {
  caseIdsForOrder,
  getCase,
  insertCase,
  linksForCase,
  listCases,
  removeLink,
  setLink,
  updateCase,
} from './case-repo';
import { checkedFacts, draftFor, pickFacts, stripUndefined, utc } from './case-facts';
import { serialProofForOrder } from '../insight/serials/serial-service';
import { serialStatementLines } from '../../../shared/domain/insight/serials';
import { getCaseSettings, updateCaseSettings } from './case-settings';
import { findOrCreateOrderByNumber } from './order-lookup';
import { caseProfile } from './profiles';

type FactsPatch = Partial<Omit<CaseFacts, 'notes'>> & { notes?: string };

/**
 * Appeal cases on orders: facts validated against the appeal type's rules, deadlines
 * from the platform profile, the checklist evaluated against the order's evidence,
 * the draft/ready status kept in step with it, and every change in the audit log.
 */
export class CaseService {
  constructor(private ctx: CoreContext) {}

  private get actor() {
    return this.ctx.settings.get().operator || 'staff';
  }

  create(input: ParsedInput<'cases.create'>, now = new Date()): CaseDetail {
    const db = this.ctx.db;
    const profile = caseProfile(this.ctx, input.profileId);
    const id = db.transaction(() => {
      const order = input.orderId
        ? getOrder(db, input.orderId)
        : findOrCreateOrderByNumber(db, input.orderNo!, input.trackingNo ?? null, now);
      const facts = this.checkedFacts({
        appealType: input.appealType,
        scenario: input.scenario,
        signForAt: utc(input.signForAt),
        refundAt: utc(input.refundAt),
        proofBeforeRefusal: input.proofBeforeRefusal ?? false,
        fastRefund: input.fastRefund ?? null,
        freeShipping: input.freeShipping ?? null,
        freightKind: input.freightKind ?? null,
        amountClaimedCents: input.amountClaimedCents ?? null,
        orderAmountCents: input.orderAmountCents ?? null,
        notes: input.notes ?? '',
      });
      const at = now.toISOString();
      const base = {
        ...facts,
        orderId: order.id,
        profileId: profile.id,
        profileVersion: profile.version,
        status: 'draft' as const,
        amountRecoveredCents: null,
        statement: '',
        statementEdited: false,
        createdAt: at,
        updatedAt: at,
        createdBy: this.actor,
        ...computeDeadlines(facts, profile.deadlines, 'draft'),
      };
      const caseId = insertCase(db, base);
      appendAudit(
        db,
        {
          actor: this.actor,
          action: 'case.create',
          entity: 'case',
          entityId: caseId,
          details: { orderId: order.id, ...facts },
        },
        now,
      );
      this.syncInTx(caseId, now);
      return caseId;
    })();
    return this.detail(id, undefined, now);
  }

  update(input: ParsedInput<'cases.update'>, now = new Date()): CaseDetail {
    const db = this.ctx.db;
    db.transaction(() => {
      const c = getCase(db, input.id);
      const { id: _id, statement, profileId, ...patch } = input;
      void _id;
      const profile = caseProfile(this.ctx, profileId ?? c.profileId);
      const factsPatch: FactsPatch = { ...patch };
      if ('signForAt' in patch) factsPatch.signForAt = utc(patch.signForAt);
      if ('refundAt' in patch) factsPatch.refundAt = utc(patch.refundAt);
      const facts = this.checkedFacts({ ...pickFacts(c), ...stripUndefined(factsPatch) });
      const next: AppealCase = {
        ...c,
        ...facts,
        profileId: profile.id,
        profileVersion: profile.version,
        updatedAt: now.toISOString(),
        ...computeDeadlines(facts, profile.deadlines, c.status),
      };
      if (statement !== undefined) {
        next.statement = statement ?? '';
        next.statementEdited = statement !== null;
      }
      updateCase(db, next);
      appendAudit(
        db,
        {
          actor: this.actor,
          action: 'case.update',
          entity: 'case',
          entityId: c.id,
          details: {
            changed: Object.keys(input).filter((k) => k !== 'id' && k !== 'statement'),
            statement: statement === undefined ? undefined : statement === null ? 'reset' : 'edited',
          },
        },
        now,
      );
      this.syncInTx(c.id, now);
    })();
    return this.detail(input.id, undefined, now);
  }

  setStatus(input: ParsedInput<'cases.setStatus'>, now = new Date()): CaseDetail {
    const db = this.ctx.db;
    db.transaction(() => {
      const c = getCase(db, input.id);
      if (c.status === input.status) return;
      if (!canSetStatus(c.status, input.status)) {
        throw new AppError('CONFLICT', `A case cannot go from ${c.status} to ${input.status}`, {
          from: c.status,
          to: input.status,
          allowed: manualNextStatuses(c.status),
          problem: 'status-not-allowed',
        });
      }
      const recovered =
        input.status === 'won'
          ? (input.amountRecoveredCents ?? c.amountClaimedCents ?? 0)
          : input.status === 'lost'
            ? 0
            : null;
      const profile = caseProfile(this.ctx, c.profileId);
      const next: AppealCase = {
        ...c,
        status: input.status,
        amountRecoveredCents: recovered,
        updatedAt: now.toISOString(),
        ...computeDeadlines(c, profile.deadlines, input.status),
      };
      updateCase(db, next);
      appendAudit(
        db,
        {
          actor: this.actor,
          action: 'case.status',
          entity: 'case',
          entityId: c.id,
          details: { from: c.status, to: input.status, amountRecoveredCents: recovered },
        },
        now,
      );
    })();
    return this.detail(input.id, undefined, now);
  }

  link(input: { caseId: number; requirement: RequirementId; evidenceId: number }, now = new Date()): CaseDetail {
    const db = this.ctx.db;
    db.transaction(() => {
      const c = getCase(db, input.caseId);
      const ev = getEvidence(db, input.evidenceId);
      if (ev.orderId !== c.orderId)
        throw new AppError('INVALID_INPUT', 'This file belongs to another order', {
          evidenceId: ev.id,
          problem: 'other-order',
        });
      const spec = requirementsFor(c.appealType, c.scenario).find((r) => r.id === input.requirement);
      if (!spec)
        throw new AppError('INVALID_INPUT', `This case has no "${input.requirement}" item`, {
          requirement: input.requirement,
          problem: 'no-such-item',
        });
      if (!spec.accepts.includes(ev.kind)) {
        throw new AppError('INVALID_INPUT', `A ${ev.kind} cannot be a "${input.requirement}"`, {
          kind: ev.kind,
          accepts: spec.accepts,
          problem: 'wrong-kind',
        });
      }
      setLink(db, c.id, input.requirement, ev.id, false, now.toISOString());
      appendAudit(
        db,
        {
          actor: this.actor,
          action: 'case.link',
          entity: 'case',
          entityId: c.id,
          details: { requirement: input.requirement, evidenceId: ev.id, sha256: ev.sha256 },
        },
        now,
      );
      this.syncInTx(c.id, now);
    })();
    return this.detail(input.caseId, undefined, now);
  }

  unlink(input: { caseId: number; requirement: RequirementId; evidenceId: number }, now = new Date()): CaseDetail {
    const db = this.ctx.db;
    db.transaction(() => {
      const c = getCase(db, input.caseId);
      const manual = linksForCase(db, c.id).find(
        (l) => l.requirement === input.requirement && l.evidenceId === input.evidenceId && !l.excluded,
      );
      // a manual link is removed; an automatic match is remembered as taken off
      if (manual) removeLink(db, c.id, input.requirement, input.evidenceId);
      else setLink(db, c.id, input.requirement, input.evidenceId, true, now.toISOString());
      appendAudit(
        db,
        {
          actor: this.actor,
          action: 'case.unlink',
          entity: 'case',
          entityId: c.id,
          details: { requirement: input.requirement, evidenceId: input.evidenceId },
        },
        now,
      );
      this.syncInTx(c.id, now);
    })();
    return this.detail(input.caseId, undefined, now);
  }

  list(input: ParsedInput<'cases.list'>, now = new Date()): CaseListPage {
    const { alertHours } = getCaseSettings(this.ctx.db);
    const { rows, total } = listCases(this.ctx.db, input);
    return {
      items: rows.map((c) => ({ ...c, msLeft: msLeft(c.dueAt, now), alert: deadlineAlert(c.dueAt, now, alertHours) })),
      total,
      alertHours,
      now: now.toISOString(),
    };
  }

  forOrder(orderId: number): AppealCase[] {
    return caseIdsForOrder(this.ctx.db, orderId).map((id) => getCase(this.ctx.db, id));
  }

  settings() {
    return getCaseSettings(this.ctx.db);
  }

  updateSettings(patch: { alertHours: number }) {
    return updateCaseSettings(this.ctx.db, patch, this.actor);
  }

  detail(id: number, lang?: Lang, now = new Date()): CaseDetail {
    const db = this.ctx.db;
    const c = getCase(db, id);
    const profile = caseProfile(this.ctx, c.profileId);
    const evidence = evidenceForOrder(db, c.orderId);
    const checklist = this.checklistOf(c, evidence);
    const statement = c.statementEdited ? c.statement : this.draft(c, checklist, evidence, lang);
    return {
      case: c,
      order: getOrder(db, c.orderId),
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
      packets: listPackets(db, c.id, this.ctx.paths.root),
      nextStatuses: manualNextStatuses(c.status),
      alert: deadlineAlert(c.dueAt, now, getCaseSettings(db).alertHours),
    };
  }

  /** Re-evaluate every case of an order after its evidence changed (new file, checks done). */
  syncOrder(orderId: number, now = new Date()): void {
    const db = this.ctx.db;
    const ids = caseIdsForOrder(db, orderId);
    if (ids.length) db.transaction(() => ids.forEach((id) => this.syncInTx(id, now)))();
  }

  checklistOf(c: AppealCase, evidence: Evidence[]): Checklist {
    return evaluateChecklist(requirementsFor(c.appealType, c.scenario), evidence, linksForCase(this.ctx.db, c.id));
  }

  /** The automatic draft in the UI language (or `lang`), from the facts and the checklist. */
  draft(c: AppealCase, checklist: Checklist, evidence: Evidence[], lang?: Lang): string {
    const language = lang ?? this.ctx.settings.get().language;
    // serial numbers scanned at packing and at return prove which unit left and which came back
    const proofLines = serialStatementLines(serialProofForOrder(this.ctx.db, c.orderId), { lang: language });
    return draftFor(c, checklist, evidence, {
      lang: language,
      maxChars: caseProfile(this.ctx, c.profileId).statementMaxChars,
      proofLines,
      labelUnread: labelUnreadIn(this.ctx.db, evidence),
    });
  }

  /** draft ⇄ ready with the checklist; due_at with the status. Inside a transaction. */
  private syncInTx(caseId: number, now: Date): void {
    const db = this.ctx.db;
    const c = getCase(db, caseId);
    const checklist = this.checklistOf(c, evidenceForOrder(db, c.orderId));
    const status = statusForChecklist(c.status, checklist.complete);
    if (status === c.status) return;
    const profile = caseProfile(this.ctx, c.profileId);
    updateCase(db, { ...c, status, updatedAt: now.toISOString(), ...computeDeadlines(c, profile.deadlines, status) });
    appendAudit(
      db,
      {
        actor: 'system',
        action: 'case.status',
        entity: 'case',
        entityId: c.id,
        details: { from: c.status, to: status, missing: checklist.missing, failing: checklist.failing },
      },
      now,
    );
  }

  private checkedFacts(raw: CaseFacts): CaseFacts {
    return checkedFacts(raw, this.ctx.settings.get().language);
  }
}

/** Files whose latest check found no label, or the wrong one: the statement must not call their label legible. */
function labelUnreadIn(db: CoreContext['db'], evidence: Evidence[]): Set<number> {
  const ids = evidence.map((e) => e.id);
  if (!ids.length) return new Set();
  const rows = db
    .prepare(
      `SELECT ec.evidence_id AS id FROM evidence_checks ec JOIN check_findings f ON f.check_id = ec.id
       WHERE f.code IN ('LABEL_NOT_FOUND', 'LABEL_MISMATCH') AND ec.evidence_id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}
