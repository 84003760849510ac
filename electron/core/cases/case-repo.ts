import { orderInShops, type ShopLimit } from '../db/order-shops';
import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import { AppError } from '../../../shared/api/result';
import type { AppealCase, CaseLink, RequirementId, Scenario } from '../../../shared/domain/cases';
import type { Id } from '../../../shared/domain/id';
import type { Db } from '../db/db';
import { sqlFor } from '../db/engine-sql';
import { newId } from '../db/ids';
import type { CasesTable, Schema } from '../db/schema';

/** SQL for the cases tables; no rules here — the service decides, the repo stores. */
export type CaseRow = Selectable<CasesTable> & { order_no: string; tracking_no: string | null };

const bool = (n: number | null) => (n == null ? null : n === 1);

export const toCase = (r: CaseRow): AppealCase => ({
  id: r.id,
  orderId: r.order_id,
  orderNo: r.order_no,
  trackingNo: r.tracking_no,
  profileId: r.profile_id,
  profileVersion: r.profile_version,
  appealType: r.appeal_type,
  scenario: r.scenario as Scenario,
  status: r.status,
  signForAt: r.sign_for_at,
  refundAt: r.refund_at,
  proofBeforeRefusal: r.proof_before_refusal === 1,
  fastRefund: bool(r.fast_refund),
  freeShipping: bool(r.free_shipping),
  freightKind: r.freight_kind,
  amountClaimedCents: r.amount_claimed_cents,
  orderAmountCents: r.order_amount_cents,
  amountRecoveredCents: r.amount_recovered_cents,
  evidenceDueAt: r.evidence_due_at,
  appealDueAt: r.appeal_due_at,
  dueAt: r.due_at,
  statement: r.statement,
  statementEdited: r.statement_edited === 1,
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const flag = (b: boolean | null) => (b == null ? null : b ? 1 : 0);

/** Columns a case write sets, from the domain object. */
function columns(c: Omit<AppealCase, 'id' | 'orderNo' | 'trackingNo' | 'createdAt' | 'createdBy'>) {
  return {
    order_id: c.orderId,
    profile_id: c.profileId,
    profile_version: c.profileVersion,
    appeal_type: c.appealType,
    scenario: c.scenario,
    status: c.status,
    sign_for_at: c.signForAt,
    refund_at: c.refundAt,
    proof_before_refusal: c.proofBeforeRefusal ? 1 : 0,
    fast_refund: flag(c.fastRefund),
    free_shipping: flag(c.freeShipping),
    freight_kind: c.freightKind,
    amount_claimed_cents: c.amountClaimedCents,
    order_amount_cents: c.orderAmountCents,
    amount_recovered_cents: c.amountRecoveredCents,
    evidence_due_at: c.evidenceDueAt,
    appeal_due_at: c.appealDueAt,
    due_at: c.dueAt,
    statement: c.statement,
    statement_edited: c.statementEdited ? 1 : 0,
    notes: c.notes,
    updated_at: c.updatedAt,
  } as const;
}

export async function insertCase(db: Db, c: Omit<AppealCase, 'id' | 'orderNo' | 'trackingNo'>): Promise<Id> {
  const id = newId();
  await db
    .insertInto('cases')
    .values({
      ...columns(c),
      id,
      created_at: c.createdAt,
      created_by: c.createdBy,
      station_id: db.stationId,
      legacy_id: null,
    })
    .execute();
  return id;
}

export async function updateCase(db: Db, c: AppealCase): Promise<void> {
  await db.updateTable('cases').set(columns(c)).where('id', '=', c.id).execute();
}

/** cases with their order's numbers */
const selectCases = (db: Db) =>
  db
    .selectFrom('cases as c')
    .innerJoin('orders as o', 'o.id', 'c.order_id')
    .selectAll('c')
    .select(['o.order_no', 'o.tracking_no']);

export async function getCase(db: Db, id: Id): Promise<AppealCase> {
  const row = await selectCases(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Case ${id} not found`, { caseId: id, problem: 'no-such-case' });
  return toCase(row);
}

/**
 * The case, locked until the transaction ends: for read-modify-write (status, facts,
 * links), so two processes changing one case take turns instead of one overwriting the other.
 */
export async function getCaseForUpdate(trx: Db, id: Id): Promise<AppealCase> {
  await sqlFor(trx).lockRow(trx, 'cases', id);
  return getCase(trx, id);
}

export async function caseIdsForOrder(db: Db, orderId: Id): Promise<Id[]> {
  const rows = await db.selectFrom('cases').select('id').where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

export type CaseListFilter = 'open' | 'closed' | 'all';
type ListPart = 'due' | 'rest';
/** only cases on these shops' orders (a shop-limited user on the hub); null: every case */
type ListShops = ShopLimit;

/**
 * The WHERE of one part of the list: cases with a governing deadline (`due`, read in
 * deadline order from the partial index `cases_due`), or the rest by the filter
 * (`cases_undated` for open ones). The search matches order and tracking numbers.
 */
function partWhere(db: Db, part: ListPart, filter: CaseListFilter, q: string, shops: ListShops) {
  const engine = sqlFor(db);
  return (eb: ExpressionBuilder<Schema & { c: CasesTable }, 'c'>): Expression<SqlBool> => {
    const conds: Expression<SqlBool>[] = [];
    if (part === 'due') conds.push(eb('c.due_at', 'is not', null));
    else if (filter === 'closed') conds.push(eb('c.status', 'in', ['submitted', 'won', 'lost']));
    else {
      conds.push(eb('c.due_at', 'is', null));
      if (filter === 'open') conds.push(eb('c.status', 'in', ['draft', 'ready', 'exported']));
    }
    // EXISTS, not `order_id IN (…)`: the planner then keeps reading the partial index in
    // order (an IN list would drive the query through cases_order and sort afterwards)
    if (q)
      conds.push(
        eb.exists(
          eb
            .selectFrom('orders as m')
            .select('m.id')
            .whereRef('m.id', '=', 'c.order_id')
            .where((m) => m.or([engine.contains(m.ref('m.order_no'), q), engine.contains(m.ref('m.tracking_no'), q)])),
        ),
      );
    if (shops) conds.push(orderInShops('c.order_id', shops));
    return eb.and(conds);
  };
}

/** One page of one part of the list, in its index order (exported for the query-plan test). */
export function casesPageQuery(
  db: Db,
  part: ListPart,
  opts: { filter: CaseListFilter; query: string; limit: number; offset: number; shops?: ListShops },
) {
  const q = selectCases(db).where(partWhere(db, part, opts.filter, opts.query, opts.shops ?? null));
  const ordered =
    part === 'due' ? q.orderBy('c.due_at').orderBy('c.id') : q.orderBy('c.updated_at', 'desc').orderBy('c.id', 'desc');
  return ordered.limit(opts.limit).offset(opts.offset);
}

async function countPart(db: Db, part: ListPart, filter: CaseListFilter, q: string, shops: ListShops): Promise<number> {
  const { n } = await db
    .selectFrom('cases as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(partWhere(db, part, filter, q, shops))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * Open cases by time left (the partial index `cases_due` gives them already sorted),
 * then cases without a governing deadline by last change (`cases_undated`). Paged: the
 * UI shows a page; counts read the same partial indexes, never the whole table.
 */
export async function listCases(
  db: Db,
  opts: { filter: CaseListFilter; query?: string; limit: number; offset: number; shops?: ListShops },
): Promise<{ rows: AppealCase[]; total: number }> {
  const query = opts.query?.trim() ?? '';
  const shops = opts.shops ?? null;
  const withDue = opts.filter === 'closed' ? 0 : await countPart(db, 'due', opts.filter, query, shops);
  const rest = await countPart(db, 'rest', opts.filter, query, shops);
  const rows: CaseRow[] = [];
  let { offset, limit } = opts;
  if (offset < withDue) {
    rows.push(...(await casesPageQuery(db, 'due', { filter: opts.filter, query, limit, offset, shops }).execute()));
    limit -= rows.length;
    offset = 0;
  } else {
    offset -= withDue;
  }
  if (limit > 0 && rest > 0) {
    rows.push(...(await casesPageQuery(db, 'rest', { filter: opts.filter, query, limit, offset, shops }).execute()));
  }
  return { rows: rows.map(toCase), total: withDue + rest };
}

export async function linksForCase(db: Db, caseId: Id): Promise<CaseLink[]> {
  const rows = await db
    .selectFrom('case_links')
    .select(['requirement', 'evidence_id', 'excluded'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('evidence_id')
    .execute();
  return rows.map((r) => ({
    requirement: r.requirement as RequirementId,
    evidenceId: r.evidence_id,
    excluded: r.excluded === 1,
  }));
}

export async function setLink(
  db: Db,
  caseId: Id,
  requirement: RequirementId,
  evidenceId: Id,
  excluded: boolean,
  at: string,
): Promise<void> {
  await db
    .insertInto('case_links')
    .values({ case_id: caseId, requirement, evidence_id: evidenceId, excluded: excluded ? 1 : 0, created_at: at })
    .onConflict((oc) =>
      oc
        .columns(['case_id', 'requirement', 'evidence_id'])
        .doUpdateSet({ excluded: (eb) => eb.ref('excluded.excluded') }),
    )
    .execute();
}

export async function removeLink(db: Db, caseId: Id, requirement: RequirementId, evidenceId: Id): Promise<void> {
  await db
    .deleteFrom('case_links')
    .where('case_id', '=', caseId)
    .where('requirement', '=', requirement)
    .where('evidence_id', '=', evidenceId)
    .execute();
}
