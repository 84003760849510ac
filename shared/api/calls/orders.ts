import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import type { EvidenceWithOrder, OrderDetail, OrderSummary } from '../../domain/types';

export const orderCalls = {
  'orders.search': call<OrderSummary[]>()(
    z.object({ query: z.string().max(500).default(''), limit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  'orders.get': call<OrderDetail>()(z.object({ id: idSchema }).strict()),
  'evidence.recent': call<EvidenceWithOrder[]>()(
    z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
  ),
};
