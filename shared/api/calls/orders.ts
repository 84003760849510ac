import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import type { EvidenceWithOrder, OrderDetail, OrderSummary } from '../../domain/types';
import type { DeliveryInfo, WebhookInfo } from '../../domain/webhooks';

export const orderCalls = {
  'orders.search': call<OrderSummary[]>()(
    z.object({ query: z.string().max(500).default(''), limit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  'orders.get': call<OrderDetail>()(z.object({ id: idSchema }).strict()),
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
