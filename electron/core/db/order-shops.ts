import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from './db';

/**
 * Only rows whose order belongs to one of these shops: the WHERE a shop-limited user's
 * lists and counts add on the hub (core/accounts/shop-scope.ts). `orderRef` names the
 * row's order id column (`e.order_id`, `cases.order_id` …). An `EXISTS` probe by primary
 * key, so each query keeps walking the index it already walks.
 */
export type ShopLimit = readonly string[] | null;

export function orderInShops(orderRef: string, shops: readonly string[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM orders shop_o WHERE shop_o.id = ${sql.ref(orderRef)} AND shop_o.shop IN (${sql.join([...shops])}))`;
}

/** Is this order one of these shops'? undefined: no such order. */
export async function orderInShopsById(
  db: Db,
  orderId: string,
  shops: readonly string[],
): Promise<boolean | undefined> {
  const row = await db.selectFrom('orders').select('shop').where('id', '=', orderId).executeTakeFirst();
  return row ? row.shop != null && shops.includes(row.shop) : undefined;
}
