import { currentShopScope } from '../accounts/shop-scope';
import type { ParsedInput } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/result';
import {
  canSetStatus,
  computeDeadlines,
  deadlineAlert,
  manualNextStatuses,
  msLeft,
  requirementsFor,
  statusForChecklist,
  type AppealCase,
  type CaseDetail,
  type CaseFacts,
  type CaseListPage,
  type RequirementId,
} from '../../../shared/domain/cases';
import type { Id } from '../../../shared/domain/types';
import type { Lang } from '../../../shared/i18n';
import { appendAudit } from '../audit/audit-log';
import type { CoreContext } from '../context';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { evidenceForOrder, getEvidence } from '../evidence/evidence-repo';
import { getOrder } from '../orders/order-repo';
import {
  caseIdsForOrder,
  getCase,
  getCaseForUpdate,
  insertCase,
  linksForCase,
  listCases,
  removeLink,
  setLink,
  updateCase,
} from './case-repo';
import { checkedFacts, pickFacts, stripUndefined, utc } from './case-facts';
import { caseDetail, checklistOf } from './case-detail';
import { getCaseSettings, updateCaseSettings, type CaseSettings } from './case-settings';
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

  async create(input: ParsedInput<'cases.create'>, now = new Date()): Promise<CaseDetail> {
    const profile = await caseProfile(this.ctx, input.profileId);
    const id = await inTransaction(this.ctx.db, async (trx) => {
      const order = input.orderId
        ? await getOrder(trx, input.orderId)
        : await findOrCreateOrderByNumber(trx, input.orderNo!, input.trackingNo ?? null, now);
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
      const caseId = await insertCase(trx, base);
      await appendAudit(
        trx,
        {
          actor: this.actor,
          action: 'case.create',
          entity: 'case',
          entityId: caseId,
          details: { orderId: order.id, ...facts },
        },
        now,
      );
      await this.syncInTx(trx, caseId, now);
      return caseId;
    });
    this.ctx.webhooks.wake();
    return this.detail(id, undefined, now);
  }

  async update(input: ParsedInput<'cases.update'>, now = new Date()): Promise<CaseDetail> {
    await inTransaction(this.ctx.db, async (trx) => {
      const c = await getCaseForUpdate(trx, input.id);
      const { id: _id, statement, profileId, ...patch } = input;
      void _id;
      const profile = await caseProfile(this.ctx, profileId ?? c.profileId, trx);
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
      await updateCase(trx, next);
      await appendAudit(
        trx,
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
      await this.syncInTx(trx, c.id, now);
    });
    this.ctx.webhooks.wake();
    return this.detail(input.id, undefined, now);
  }

  async setStatus(input: ParsedInput<'cases.setStatus'>, now = new Date()): Promise<CaseDetail> {
    await inTransaction(this.ctx.db, async (trx) => {
      const c = await getCaseForUpdate(trx, input.id);
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
      const profile = await caseProfile(this.ctx, c.profileId, trx);
      const next: AppealCase = {
        ...c,
        status: input.status,
        amountRecoveredCents: recovered,
        updatedAt: now.toISOString(),
        ...computeDeadlines(c, profile.deadlines, input.status),
      };
      await updateCase(trx, next);
      await appendAudit(
        trx,
        {
          actor: this.actor,
          action: 'case.status',
          entity: 'case',
          entityId: c.id,
          details: { from: c.status, to: input.status, amountRecoveredCents: recovered },
        },
        now,
      );
      await this.publishStatus(trx, c, input.status, now);
    });
    this.ctx.webhooks.wake();
    return this.detail(input.id, undefined, now);
  }

  async link(input: { caseId: Id; requirement: RequirementId; evidenceId: Id }, now = new Date()): Promise<CaseDetail> {
    await inTransaction(this.ctx.db, async (trx) => {
      const c = await getCaseForUpdate(trx, input.caseId);
      const ev = await getEvidence(trx, input.evidenceId);
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
      await setLink(trx, c.id, input.requirement, ev.id, false, now.toISOString());
      await appendAudit(
        trx,
        {
          actor: this.actor,
          action: 'case.link',
          entity: 'case',
          entityId: c.id,
          details: { requirement: input.requirement, evidenceId: ev.id, sha256: ev.sha256 },
        },
        now,
      );
      await this.syncInTx(trx, c.id, now);
    });
    this.ctx.webhooks.wake();
    return this.detail(input.caseId, undefined, now);
  }

  async unlink(
    input: { caseId: Id; requirement: RequirementId; evidenceId: Id },
    now = new Date(),
  ): Promise<CaseDetail> {
    await inTransaction(this.ctx.db, async (trx) => {
      const c = await getCaseForUpdate(trx, input.caseId);
      const manual = (await linksForCase(trx, c.id)).find(
        (l) => l.requirement === input.requirement && l.evidenceId === input.evidenceId && !l.excluded,
      );
      // a manual link is removed; an automatic match is remembered as taken off
      if (manual) await removeLink(trx, c.id, input.requirement, input.evidenceId);
      else await setLink(trx, c.id, input.requirement, input.evidenceId, true, now.toISOString());
      await appendAudit(
        trx,
        {
          actor: this.actor,
          action: 'case.unlink',
          entity: 'case',
          entityId: c.id,
          details: { requirement: input.requirement, evidenceId: input.evidenceId },
        },
        now,
      );
      await this.syncInTx(trx, c.id, now);
    });
    this.ctx.webhooks.wake();
    return this.detail(input.caseId, undefined, now);
  }

  async list(input: ParsedInput<'cases.list'>, now = new Date()): Promise<CaseListPage> {
    const { alertHours } = await getCaseSettings(this.ctx.db);
    // a shop-limited clerk on the hub lists only her shops' cases (accounts/shop-scope.ts)
    const { rows, total } = await listCases(this.ctx.db, { ...input, shops: currentShopScope() });
    return {
      items: rows.map((c) => ({ ...c, msLeft: msLeft(c.dueAt, now), alert: deadlineAlert(c.dueAt, now, alertHours) })),
      total,
      alertHours,
      now: now.toISOString(),
    };
  }

  async forOrder(orderId: Id): Promise<AppealCase[]> {
    const out: AppealCase[] = [];
    for (const id of await caseIdsForOrder(this.ctx.db, orderId)) out.push(await getCase(this.ctx.db, id));
    return out;
  }

  settings(): Promise<CaseSettings> {
    return getCaseSettings(this.ctx.db);
  }

  updateSettings(patch: { alertHours: number }): Promise<CaseSettings> {
    return updateCaseSettings(this.ctx.db, patch, this.actor);
  }

  detail(id: Id, lang?: Lang, now = new Date()): Promise<CaseDetail> {
    return caseDetail(this.ctx, id, lang, now);
  }

  /** Re-evaluate every case of an order after its evidence changed (new file, checks done). */
  async syncOrder(orderId: Id, now = new Date()): Promise<void> {
    const ids = await caseIdsForOrder(this.ctx.db, orderId);
    if (!ids.length) return;
    await inTransaction(this.ctx.db, async (trx) => {
      for (const id of ids) await this.syncInTx(trx, id, now);
    });
    this.ctx.webhooks.wake();
  }

  /** draft ⇄ ready with the checklist; due_at with the status. Inside the caller's transaction `trx`. */
  private async syncInTx(trx: Db, caseId: Id, now: Date): Promise<void> {
    const c = await getCaseForUpdate(trx, caseId);
    const checklist = await checklistOf(trx, c, await evidenceForOrder(trx, c.orderId));
    const status = statusForChecklist(c.status, checklist.complete);
    if (status === c.status) return;
    const profile = await caseProfile(this.ctx, c.profileId, trx);
    await updateCase(trx, {
      ...c,
      status,
      updatedAt: now.toISOString(),
      ...computeDeadlines(c, profile.deadlines, status),
    });
    await appendAudit(
      trx,
      {
        actor: 'system',
        action: 'case.status',
        entity: 'case',
        entityId: c.id,
        details: { from: c.status, to: status, missing: checklist.missing, failing: checklist.failing },
      },
      now,
    );
    await this.publishStatus(trx, c, status, now);
  }

  /** `case.status-changed`, queued in the transaction that changed it */
  private async publishStatus(trx: Db, c: AppealCase, to: AppealCase['status'], now: Date): Promise<void> {
    const order = await getOrder(trx, c.orderId);
    await this.ctx.webhooks.publish(
      'case.status-changed',
      { caseId: c.id, orderId: c.orderId, orderNo: order.orderNo, from: c.status, to, at: now.toISOString() },
      trx,
    );
  }

  private checkedFacts(raw: CaseFacts): CaseFacts {
    return checkedFacts(raw, this.ctx.settings.get().language);
  }
}
