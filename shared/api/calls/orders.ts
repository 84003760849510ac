import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import type { EvidenceWithOrder, Order, OrderDetail, OrderSummary, ProvisionalOrder } from '../../domain/types';
import type { DeliveryInfo, WebhookInfo } from '../../domain/webhooks';

export const orderCalls = {
  'orders.search': call<OrderSummary[]>()(
    z.object({ query: z.string().max(500).default(''), limit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  'orders.get': call<OrderDetail>()(z.object({ id: idSchema }).strict()),
  /** SKU-first packing: provisional orders whose order or tracking number was never scanned */
  'orders.unlinked': call<ProvisionalOrder[]>()(z.object({}).strict()),
  /** staff link a provisional order to the real order by its order or tracking number */
  'orders.link': call<Order>()(z.object({ orderId: idSchema, code: z.string().max(4096) }).strict()),
  /** the packer pressed the key on the interception alert (audited); the order may be recorded again */
  'orders.confirmInterception': call<{ confirmed: boolean }>()(z.object({ orderId: idSchema }).strict()),
  /** webhooks and their recent deliveries, for the Settings page */
  'webhooks.list': call<{ webhooks: WebhookInfo[]; deliveries: DeliveryInfo[] }>()(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  /** send a delivery that was given up on again */
  'webhooks.retry': call<{ queued: boolean }>()(z.object({ deliveryId: idSchema }).strict()),
  'evidence.recent': call<EvidenceWithOrder[]>()(
    z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
  ),
};
