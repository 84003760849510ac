import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import type { Evidence } from '../../domain/types';
import {
  APPEAL_TYPES,
  CASE_STATUSES,
  FREIGHT_KINDS,
  REQUIREMENT_IDS,
  SCENARIOS,
  type AppealCase,
  type CaseDetail,
  type CaseListPage,
  type PacketSummary,
  type VerifyReport,
} from '../../domain/cases/types';

const id = idSchema;
/** instants cross the contract as ISO-8601 with an offset; the core stores them as UTC */
const instant = z.iso.datetime({ offset: true }).nullable();
const cents = z.number().int().min(0).max(1_000_000_000);

const facts = {
  appealType: z.enum(APPEAL_TYPES),
  scenario: z.enum(SCENARIOS),
  signForAt: instant.optional(),
  refundAt: instant.optional(),
  proofBeforeRefusal: z.boolean().optional(),
  fastRefund: z.boolean().nullable().optional(),
  freeShipping: z.boolean().nullable().optional(),
  freightKind: z.enum(FREIGHT_KINDS).nullable().optional(),
  amountClaimedCents: cents.nullable().optional(),
  orderAmountCents: cents.nullable().optional(),
  notes: z.string().max(4000).optional(),
};

export const caseCalls = {
  'cases.list': call<CaseListPage>()(
    z
      .object({
        filter: z.enum(['open', 'closed', 'all']).default('all'),
        query: z.string().max(200).default(''),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
  ),
  'cases.get': call<CaseDetail>()(z.object({ id, lang: z.enum(['zh-CN', 'en']).optional() }).strict()),
  'cases.forOrder': call<AppealCase[]>()(z.object({ orderId: id }).strict()),
  /** a case on an order, by id or by order number (an unknown number creates the order) */
  'cases.create': call<CaseDetail>()(
    z
      .object({
        orderId: id.optional(),
        orderNo: z.string().trim().min(1).max(200).optional(),
        trackingNo: z.string().trim().min(1).max(200).optional(),
        profileId: z.string().min(1).max(64).optional(),
        ...facts,
      })
      .strict()
      .refine((v) => v.orderId != null || v.orderNo != null, {
        message: 'orderId or orderNo is required',
        path: ['orderNo'],
      }),
  ),
  /** edit facts, notes or the statement (null: back to the automatic draft) */
  'cases.update': call<CaseDetail>()(
    z
      .object({
        id,
        ...(Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, v.optional()])) as {
          [K in keyof typeof facts]: z.ZodOptional<(typeof facts)[K]>;
        }),
        profileId: z.string().min(1).max(64).optional(),
        statement: z.string().max(20_000).nullable().optional(),
      })
      .strict(),
  ),
  'cases.setStatus': call<CaseDetail>()(
    z.object({ id, status: z.enum(CASE_STATUSES), amountRecoveredCents: cents.nullable().optional() }).strict(),
  ),
  /** put an evidence file of the order on a checklist item */
  'cases.link': call<CaseDetail>()(
    z.object({ caseId: id, requirement: z.enum(REQUIREMENT_IDS), evidenceId: id }).strict(),
  ),
  /** take a file off a checklist item (an automatic match stays off) */
  'cases.unlink': call<CaseDetail>()(
    z.object({ caseId: id, requirement: z.enum(REQUIREMENT_IDS), evidenceId: id }).strict(),
  ),
  'cases.settings.get': call<{ alertHours: number }>()(z.object({}).strict()),
  'cases.settings.update': call<{ alertHours: number }>()(
    z.object({ alertHours: z.number().min(0.25).max(168) }).strict(),
  ),
  /**
   * A document or media file dropped on the case view (or picked): small files travel as
   * the one binary field, larger ones as a `files.upload` id; the type is detected from
   * the content, never the name.
   */
  'evidence.import': call<Evidence>()(
    z
      .object({
        orderId: id,
        name: z.string().min(1).max(500),
        /** small files in one go, or a finished `files.upload` for anything larger */
        data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'Expected bytes' }).optional(),
        uploadId: z.string().uuid().optional(),
        caseId: id.optional(),
        requirement: z.enum(REQUIREMENT_IDS).optional(),
      })
      .strict()
      .refine((i) => (i.data === undefined) !== (i.uploadId === undefined), {
        message: 'Give either data or uploadId',
      }),
  ),
  /** export one or several cases as one job (one progress view); returns the job id */
  'packets.export': call<{ jobId: string }>()(
    z
      .object({
        caseIds: z.array(id).min(1).max(500),
        zip: z.boolean().default(true),
        outDir: z.string().min(1).max(1000).optional(),
        allowIncomplete: z.boolean().default(false),
      })
      .strict(),
  ),
  'packets.list': call<PacketSummary[]>()(z.object({ caseId: id }).strict()),
  /** re-hash a packet (by id: its folder and zip; or a folder/zip path) against its manifest */
  'packets.verify': call<VerifyReport[]>()(
    z
      .object({ packetId: id.optional(), path: z.string().min(1).max(1000).optional() })
      .strict()
      .refine((v) => v.packetId != null || v.path != null, { message: 'packetId or path is required', path: ['path'] }),
  ),
};
