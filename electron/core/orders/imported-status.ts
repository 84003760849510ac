import { isInterceptStatus, statusFromText } from '../../../shared/domain/order-status';
import type { CoreContext } from '../context';
import { setImportedStatus, type StatusChange } from './order-details-repo';

/**
 * After an order import: the status text of each imported order (订单状态 / 退款状态 …
 * columns) becomes the order's status when it means one and differs from the stored one.
 * A status that stops packing raises `order.intercepted`, like the order API does, so a
 * station recording that order stops at once. Only orders whose status changes are
 * written (one read of the run's orders, then one small transaction per change).
 */
export async function applyImportedStatuses(
  ctx: CoreContext,
  runId: string,
  now = new Date(),
): Promise<StatusChange[]> {
  const rows = await ctx.db
    .selectFrom('order_facts as f')
    .leftJoin('order_details as d', 'd.order_id', 'f.order_id')
    .select(['f.order_id', 'f.order_status', 'd.status'])
    .where('f.import_run_id', '=', runId)
    .where('f.order_status', 'is not', null)
    .execute();
  const changes: StatusChange[] = [];
  for (const r of rows) {
    const status = statusFromText(r.order_status);
    if (!status || status === r.status) continue;
    const change = await setImportedStatus(ctx.db, r.order_id, status, now);
    if (!change) continue;
    changes.push(change);
    if (isInterceptStatus(change.to))
      ctx.events.emit('order.intercepted', { orderId: change.orderId, orderNo: change.orderNo, status: change.to });
  }
  return changes;
}
