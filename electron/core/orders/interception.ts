import { AppError } from '../../../shared/api/result';
import { normalizeScan } from '../../../shared/domain/scan-code';
import type { CaptureMode } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import type { CoreContext } from '../context';
import { findOrderByCode } from './order-repo';
import { pendingInterception } from './order-details-repo';

/**
 * Refund interception (拦截): an outbound recording of an order whose status stops
 * packing (refund requested, refunded, cancelled) is refused until the packer confirmed
 * the alert. The refusal is audited and carries what the alert shows. Returns (unpacking a
 * return of that very order) are never stopped.
 */
export async function refuseIntercepted(ctx: CoreContext, input: { code: string; mode: CaptureMode }): Promise<void> {
  if (input.mode !== 'outbound') return;
  const scan = normalizeScan(input.code);
  if (!scan.ok) return; // the recording service explains a bad code
  const order = await findOrderByCode(ctx.db, scan.code);
  if (!order) return;
  const pending = await pendingInterception(ctx.db, order.id);
  if (!pending) return;
  const settings = ctx.settings.get();
  await appendAudit(ctx.db, {
    actor: settings.operator || 'station',
    action: 'order.intercepted',
    entity: 'order',
    entityId: order.id,
    details: { code: scan.code, status: pending.status, station: settings.stationName },
  });
  throw new AppError('CONFLICT', `Order ${pending.orderNo} is intercepted (${pending.status})`, {
    problem: 'order-intercepted',
    orderId: order.id,
    orderNo: pending.orderNo,
    status: pending.status,
    statusAt: pending.statusAt,
    source: pending.source,
  });
}
