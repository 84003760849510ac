import { contract, type CallName } from '../../shared/api/contract';
import { AppError } from '../../shared/api/result';
import { normalizeScan } from '../../shared/domain/scan-code';
import type { Id } from '../../shared/domain/id';
import type { Db } from '../core/db/db';
import { orderInShopsById } from '../core/db/order-shops';
import { findOrderByCode } from '../core/orders/order-repo';

/**
 * What a clerk limited to some shops (a 3PL's client) may do with the contract on the hub:
 * her cases and packets, coverage and the dashboard, and the files and checks of her
 * shops' orders. Each call on one thing names the order, case, file or packet it acts on;
 * that one is looked up before the call runs and, when it belongs to another shop, refused
 * exactly as if it did not exist (404, no hint). Lists and counts (cases, coverage, the
 * dashboard) are narrowed inside the core (core/accounts/shop-scope.ts). Calls on what
 * every shop shares (order import, settings, re-judging every check) are not here: such a user
 * is refused them with 403 `shop-limited`.
 */
type Target = 'order' | 'case' | 'evidence' | 'packet' | 'flag';
type Input = Record<string, unknown>;
type Targets = (i: Input, db: Db) => Promise<[Target, Id | null][]> | [Target, Id | null][];

const one = (kind: Target, field: string) => (i: Input) =>
  [[kind, (i[field] as Id | undefined) ?? null]] as [Target, Id | null][];
const none = () => [];

/** a case by order number needs that order to exist and be hers: she cannot create orders */
async function caseCreateTargets(i: Input, db: Db): Promise<[Target, Id | null][]> {
  if (i.orderId != null) return [['order', i.orderId as Id]];
  const code = normalizeScan(String(i.orderNo ?? ''));
  const order = code.ok ? await findOrderByCode(db, code.code) : null;
  if (!order) throw new AppError('NOT_FOUND', 'No such order', { problem: 'no-such-order' });
  return [['order', order.id]];
}

export const SHOP_LIMITED_CALLS: Partial<Record<CallName, Targets>> = {
  'app.info': none,
  'profiles.list': none,
  'profiles.get': none,
  'cases.settings.get': none,
  'files.upload': none, // bytes waiting for `evidence.import`, which is checked
  // lists and counts narrowed in the core (core/accounts/shop-scope.ts)
  'cases.list': none,
  'coverage.report': none,
  'coverage.exportCsv': none,
  'coverage.lookup': none,
  'dashboard.report': none,
  'jobs.list': none, // narrowed to her own jobs below
  'jobs.cancel': none,
  'jobs.retry': none,
  'cases.get': one('case', 'id'),
  'cases.update': one('case', 'id'),
  'cases.setStatus': one('case', 'id'),
  'cases.link': (i) => [...one('case', 'caseId')(i), ...one('evidence', 'evidenceId')(i)],
  'cases.unlink': (i) => [...one('case', 'caseId')(i), ...one('evidence', 'evidenceId')(i)],
  'cases.forOrder': one('order', 'orderId'),
  'cases.create': caseCreateTargets,
  'evidence.import': (i) => [...one('order', 'orderId')(i), ...one('case', 'caseId')(i)],
  'packets.list': one('case', 'caseId'),
  'packets.export': (i) => ((i.caseIds as Id[] | undefined) ?? []).map((id) => ['case', id]),
  'packets.verify': one('packet', 'packetId'),
  'orders.get': one('order', 'id'),
  'checks.forOrder': one('order', 'orderId'),
  'checks.forEvidence': one('evidence', 'evidenceId'),
  'checks.run': one('evidence', 'evidenceId'),
  'fixes.start': one('evidence', 'evidenceId'),
  'serials.forOrder': one('order', 'orderId'),
  'cameras.parts': one('order', 'orderId'),
  'orders.flags.clear': one('flag', 'flagId'),
  'scale.orderWeights': one('order', 'orderId'),
};

const PROBLEM: Record<Target, string> = {
  order: 'no-such-order',
  case: 'no-such-case',
  evidence: 'no-such-evidence',
  packet: 'no-such-packet',
  flag: 'no-such-flag',
};

/** the order a thing belongs to; undefined: no such thing (the call itself then says so) */
export async function orderOf(db: Db, kind: Target, id: Id): Promise<Id | undefined> {
  if (kind === 'order') return id;
  if (kind === 'case')
    return (await db.selectFrom('cases').select('order_id').where('id', '=', id).executeTakeFirst())?.order_id;
  if (kind === 'evidence')
    return (await db.selectFrom('evidence').select('order_id').where('id', '=', id).executeTakeFirst())?.order_id;
  if (kind === 'flag')
    return (await db.selectFrom('order_flags').select('order_id').where('id', '=', id).executeTakeFirst())?.order_id;
  const row = await db
    .selectFrom('packets as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select('c.order_id')
    .where('p.id', '=', id)
    .executeTakeFirst();
  return row?.order_id;
}

/** Refuses (404) when the order exists but is not one of these shops'. */
export async function assertOrderInShops(db: Db, orderId: Id, shops: readonly string[], problem: string) {
  if ((await orderInShopsById(db, orderId, shops)) === false) throw new AppError('NOT_FOUND', 'Not found', { problem });
}

/**
 * Throws 403 `shop-limited` for a call such a user may not make, and the thing's own 404
 * for another shop's order, case, file or packet. Input the contract would refuse anyway
 * passes through, for the call to refuse in its own words.
 */
export async function guardShopLimitedCall(db: Db, name: CallName, input: unknown, shops: readonly string[]) {
  const targets = SHOP_LIMITED_CALLS[name];
  if (!targets)
    throw new AppError('FORBIDDEN', 'Limited to some shops: not across every order', { problem: 'shop-limited' });
  const parsed = contract[name].input.safeParse(input ?? {});
  if (!parsed.success) return;
  for (const [kind, id] of await targets(parsed.data as Input, db)) {
    if (id == null) continue;
    const orderId = await orderOf(db, kind, id);
    if (orderId !== undefined) await assertOrderInShops(db, orderId, shops, PROBLEM[kind]);
  }
}

/**
 * The jobs each signed-in user started on the hub: a shop-limited one sees only hers. Kept
 * in the database, so every hub process behind a load balancer knows them.
 */
export class StaffJobOwners {
  /** a job's owner is kept for a month; jobs end and are forgotten long before */
  private static readonly KEEP_MS = 30 * 24 * 3600 * 1000;

  constructor(private readonly db: () => Db) {}

  async own(jobId: string, userId: string, now = new Date()): Promise<void> {
    const db = this.db();
    await db
      .insertInto('staff_job_owners')
      .values({ job_id: jobId, user_id: userId, created_at: now.toISOString() })
      .onConflict((oc) => oc.column('job_id').doUpdateSet({ user_id: userId }))
      .execute();
    const before = new Date(now.getTime() - StaffJobOwners.KEEP_MS).toISOString();
    await db.deleteFrom('staff_job_owners').where('created_at', '<', before).execute();
  }

  async isOwn(jobId: string, userId: string): Promise<boolean> {
    return (await this.mine([jobId], userId)).has(jobId);
  }

  /** which of these jobs this user started */
  async mine(jobIds: string[], userId: string): Promise<Set<string>> {
    if (!jobIds.length) return new Set();
    const rows = await this.db()
      .selectFrom('staff_job_owners')
      .select('job_id')
      .where('user_id', '=', userId)
      .where('job_id', 'in', jobIds)
      .execute();
    return new Set(rows.map((r) => r.job_id));
  }
}
