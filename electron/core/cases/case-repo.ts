import { AppError } from '../../../shared/api/result';
import type {
  AppealCase,
  AppealType,
  CaseLink,
  CaseStatus,
  FreightKind,
  RequirementId,
  Scenario,
} from '../../../shared/domain/cases';
import type { DB } from '../db/connection';

/** SQL for the cases tables; no rules here — the service decides, the repo stores. */
export interface CaseRow {
  id: number;
  order_id: number;
  order_no: string;
  tracking_no: string | null;
  profile_id: string;
  profile_version: string;
  appeal_type: AppealType;
  scenario: Scenario;
  status: CaseStatus;
  sign_for_at: string | null;
  refund_at: string | null;
  proof_before_refusal: number;
  fast_refund: number | null;
  free_shipping: number | null;
  freight_kind: FreightKind | null;
  amount_claimed_cents: number | null;
  order_amount_cents: number | null;
  amount_recovered_cents: number | null;
  evidence_due_at: string | null;
  appeal_due_at: string | null;
  due_at: string | null;
  statement: string;
  statement_edited: number;
  notes: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

const bool = (n: number | null) => (n == null ? null : n === 1);

export const toCase = (r: CaseRow): AppealCase => ({
  id: r.id,
  orderId: r.order_id,
  orderNo: r.order_no,
  trackingNo: r.tracking_no,
  profileId: r.profile_id,
  profileVersion: r.profile_version,
  appealType: r.appeal_type,
  scenario: r.scenario,
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

const SELECT = `SELECT c.*, o.order_no, o.tracking_no FROM cases c JOIN orders o ON o.id = c.order_id`;
const SELECT_BY_DUE = `SELECT c.*, o.order_no, o.tracking_no FROM cases c INDEXED BY cases_due JOIN orders o ON o.id = c.order_id`;
const int = (b: boolean | null) => (b == null ? null : b ? 1 : 0);

/** Columns a case write sets, from the domain object. */
function params(c: Omit<AppealCase, 'id' | 'orderNo' | 'trackingNo' | 'createdAt' | 'createdBy'>) {
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
    fast_refund: int(c.fastRefund),
    free_shipping: int(c.freeShipping),
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
  };
}

export function insertCase(db: DB, c: Omit<AppealCase, 'id' | 'orderNo' | 'trackingNo'>): number {
  const p = { ...params(c), created_at: c.createdAt, created_by: c.createdBy };
  const cols = Object.keys(p);
  const info = db
    .prepare(`INSERT INTO cases (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')})`)
    .run(p);
  return Number(info.lastInsertRowid);
}

export function updateCase(db: DB, c: AppealCase): void {
  const p = params(c);
  const sets = Object.keys(p)
    .map((k) => `${k} = @${k}`)
    .join(', ');
  db.prepare(`UPDATE cases SET ${sets} WHERE id = @id`).run({ ...p, id: c.id });
}

export function getCase(db: DB, id: number): AppealCase {
  const row = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CaseRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Case ${id} not found`, { caseId: id, problem: 'no-such-case' });
  return toCase(row);
}

export function caseIdsForOrder(db: DB, orderId: number): number[] {
  return (db.prepare('SELECT id FROM cases WHERE order_id = ?').all(orderId) as { id: number }[]).map((r) => r.id);
}

export type CaseListFilter = 'open' | 'closed' | 'all';

/**
 * Open cases by time left (the partial index `cases_due` gives them already sorted),
 * then cases without a governing deadline by last change (`cases_undated`). Paged: the
 * UI shows a page; counts read the same partial indexes, never the whole table.
 */
export function listCases(
  db: DB,
  opts: { filter: CaseListFilter; query?: string; limit: number; offset: number },
): { rows: AppealCase[]; total: number } {
  const q = opts.query?.trim() ?? '';
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const match = q
    ? ` AND c.order_id IN (SELECT id FROM orders WHERE order_no LIKE @like ESCAPE '\\' OR tracking_no LIKE @like ESCAPE '\\')`
    : '';
  const dueWhere = `c.due_at IS NOT NULL${match}`;
  const restWhere =
    opts.filter === 'closed'
      ? `c.status IN ('submitted','won','lost')${match}`
      : `c.due_at IS NULL${opts.filter === 'open' ? " AND c.status IN ('draft','ready','exported')" : ''}${match}`;
  const count = (where: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`).get(q ? { like } : {}) as { n: number }).n;
  const withDue = opts.filter === 'closed' ? 0 : count(dueWhere);
  const rest = count(restWhere);
  const rows: CaseRow[] = [];
  let { offset, limit } = opts;
  if (offset < withDue) {
    rows.push(
      ...(db
        .prepare(`${SELECT_BY_DUE} WHERE ${dueWhere} ORDER BY c.due_at, c.id LIMIT @limit OFFSET @offset`)
        .all({ ...(q ? { like } : {}), limit, offset }) as CaseRow[]),
    );
    limit -= rows.length;
    offset = 0;
  } else {
    offset -= withDue;
  }
  if (limit > 0 && rest > 0) {
    rows.push(
      ...(db
        .prepare(`${SELECT} WHERE ${restWhere} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`)
        .all({ ...(q ? { like } : {}), limit, offset }) as CaseRow[]),
    );
  }
  return { rows: rows.map(toCase), total: withDue + rest };
}

export function linksForCase(db: DB, caseId: number): CaseLink[] {
  return (
    db
      .prepare(
        'SELECT requirement, evidence_id, excluded FROM case_links WHERE case_id = ? ORDER BY created_at, evidence_id',
      )
      .all(caseId) as {
      requirement: RequirementId;
      evidence_id: number;
      excluded: number;
    }[]
  ).map((r) => ({ requirement: r.requirement, evidenceId: r.evidence_id, excluded: r.excluded === 1 }));
}

export function setLink(
  db: DB,
  caseId: number,
  requirement: RequirementId,
  evidenceId: number,
  excluded: boolean,
  at: string,
): void {
  db.prepare(
    `INSERT INTO case_links (case_id, requirement, evidence_id, excluded, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(case_id, requirement, evidence_id) DO UPDATE SET excluded = excluded.excluded`,
  ).run(caseId, requirement, evidenceId, excluded ? 1 : 0, at);
}

export function removeLink(db: DB, caseId: number, requirement: RequirementId, evidenceId: number): void {
  db.prepare('DELETE FROM case_links WHERE case_id = ? AND requirement = ? AND evidence_id = ?').run(
    caseId,
    requirement,
    evidenceId,
  );
}
