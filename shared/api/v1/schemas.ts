import { z } from 'zod';
import { APPEAL_TYPES, CASE_STATUSES, SCENARIOS } from '../../domain/cases/types';
import { ORDER_STATUSES } from '../../domain/order-status';

/**
 * The public order API (`/api/v1/`), as zod schemas. The server validates every request
 * with them and `openapi.ts` turns the same objects into `/api/v1/openapi.json`, so the
 * document cannot drift from what the server accepts and returns. Field names are
 * camelCase; times ISO-8601 (UTC on output); money in integer cents (fen).
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const note = z.string().max(2000);
const instant = z.iso.datetime({ offset: true });

export const OrderItemSchema = z
  .object({
    sku: text(200).describe('stock keeping unit as the ERP knows it'),
    name: z.string().max(500).nullable().optional().describe('item title'),
    quantity: z.number().int().min(1).max(100_000),
  })
  .strict()
  .meta({ id: 'OrderItem' });

export const OrderStatusSchema = z
  .enum(ORDER_STATUSES)
  .describe('refund-requested, refunded and cancelled intercept the packer (拦截)')
  .meta({ id: 'OrderStatus' });

export const OrderUpsertSchema = z
  .object({
    orderNo: text(200).describe('the platform order number (unique)'),
    trackingNumbers: z
      .array(text(200))
      .max(50)
      .optional()
      .describe('every parcel’s tracking number; replaces the stored list when given'),
    shop: z.string().trim().max(200).nullable().optional(),
    items: z.array(OrderItemSchema).max(1000).optional().describe('replaces the stored items when given'),
    buyerNote: note.nullable().optional().describe('买家留言'),
    sellerRemark: note.nullable().optional().describe('卖家备注'),
    status: OrderStatusSchema.optional(),
  })
  .strict()
  .meta({ id: 'OrderUpsert' });

export const OrderSchema = z
  .object({
    id: z.string(),
    orderNo: z.string(),
    trackingNumbers: z.array(z.string()),
    shop: z.string().nullable(),
    status: OrderStatusSchema.nullable(),
    statusAt: z.string().nullable(),
    buyerNote: z.string().nullable(),
    sellerRemark: z.string().nullable(),
    items: z.array(z.object({ sku: z.string(), name: z.string().nullable(), quantity: z.number().int() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });

export const OrderUpsertResultSchema = z
  .object({ created: z.boolean(), order: OrderSchema })
  .meta({ id: 'OrderUpsertResult' });

export const FindingSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['block', 'warn', 'info']),
    message: z.string(),
    params: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Finding' });

export const EvidenceFileSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['video', 'photo', 'document']),
    origin: z.enum(['recorded', 'recovered', 'imported', 'fixed']),
    mode: z.enum(['outbound', 'return']).nullable(),
    path: z.string().describe('relative to the station’s data folder'),
    sha256: z.string(),
    bytes: z.number().int(),
    durationMs: z.number().int().nullable(),
    capturedAt: z.string(),
    station: z.string(),
    operator: z.string(),
    check: z
      .object({
        state: z.enum(['pending', 'ok', 'warn', 'block']),
        profile: z.string().nullable(),
        checkedAt: z.string().nullable(),
        findings: z.array(FindingSchema),
      })
      .describe('the latest evidence check against the rule profile'),
  })
  .meta({ id: 'EvidenceFile' });

export const OrderEvidenceSchema = z
  .object({ order: OrderSchema, evidence: z.array(EvidenceFileSchema) })
  .meta({ id: 'OrderEvidence' });

export const CaseOpenSchema = z
  .object({
    orderNo: text(200),
    appealType: z.enum(APPEAL_TYPES),
    scenario: z.enum(SCENARIOS),
    signForAt: instant.nullable().optional(),
    refundAt: instant.nullable().optional(),
    amountClaimedCents: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
    notes: z.string().max(4000).optional(),
  })
  .strict()
  .meta({ id: 'CaseOpen' });

export const CaseSchema = z
  .object({
    id: z.string(),
    orderNo: z.string(),
    appealType: z.enum(APPEAL_TYPES),
    scenario: z.enum(SCENARIOS),
    status: z.enum(CASE_STATUSES),
    evidenceDueAt: z.string().nullable(),
    appealDueAt: z.string().nullable(),
    checklistComplete: z.boolean(),
    missing: z.array(z.string()),
    createdAt: z.string(),
  })
  .meta({ id: 'Case' });

export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('UNAUTHORIZED, INVALID_INPUT, NOT_FOUND, CONFLICT …'),
      message: z.string(),
      problem: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Every schema with an id: the OpenAPI document's components. */
export const NAMED_SCHEMAS: z.ZodType[] = [
  OrderItemSchema,
  OrderStatusSchema,
  OrderUpsertSchema,
  OrderSchema,
  OrderUpsertResultSchema,
  FindingSchema,
  EvidenceFileSchema,
  OrderEvidenceSchema,
  CaseOpenSchema,
  CaseSchema,
  ApiErrorSchema,
];

export const OrderNoParam = text(200);

export type OrderUpsert = z.output<typeof OrderUpsertSchema>;
export type ApiOrder = z.output<typeof OrderSchema>;
export type ApiEvidenceFile = z.output<typeof EvidenceFileSchema>;
export type CaseOpen = z.output<typeof CaseOpenSchema>;
export type ApiCase = z.output<typeof CaseSchema>;
