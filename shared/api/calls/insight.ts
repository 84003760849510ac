import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import { IMPORT_FIELDS } from '../../domain/insight/import-fields';
import { isDay } from '../../domain/insight/days';
import type { SerialProof } from '../../domain/insight/serials';
import { APPEAL_TYPES, type CaseDetail } from '../../domain/cases/types';
import type {
  CoverageReport,
  DashboardReport,
  ImportInspection,
  ImportMappingRecord,
  ImportPreview,
  OrderFlag,
  OrderInsight,
  SerialScanResult,
} from '../../domain/insight/types';

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'Expected bytes' });
const uploadId = z.string().uuid();
const day = z.string().refine(isDay, { message: 'Expected a date YYYY-MM-DD' });
const sourceName = z.string().trim().min(1).max(64);

export const ImportOptionsSchema = z
  .object({
    encoding: z.enum(['utf8', 'utf16le', 'utf16be', 'gb18030']).nullable(),
    delimiter: z.enum([',', '\t', ';', '|']).nullable(),
    headerRow: z.number().int().min(0).max(19).nullable(),
    sheet: z.string().max(200).nullable(),
  })
  .partial()
  .strict();

export const ColumnMappingSchema = z
  .object(
    Object.fromEntries(IMPORT_FIELDS.map((f) => [f, z.string().max(300).optional()])) as Record<
      (typeof IMPORT_FIELDS)[number],
      z.ZodOptional<z.ZodString>
    >,
  )
  .strict();

const range = z
  .object({ fromDay: day, toDay: day })
  .refine((r) => r.fromDay <= r.toDay, { message: 'fromDay is after toDay' });

const GAP_KINDS = ['no-packing-video', 'no-unboxing-video', 'blocked-evidence', 'swapped-item'] as const;

/** Order import (CSV/XLSX), coverage gaps, serial numbers, order flags, the dashboard. */
export const insightCalls = {
  /** one piece of a file being uploaded for import (pieces in order; `final` on the last) */
  'orders.import.upload': call<{ uploadId: string; bytes: number }>()(
    z
      .object({
        uploadId: uploadId.optional(),
        fileName: z.string().min(1).max(255),
        seq: z.number().int().min(0),
        data: bytes,
        final: z.boolean(),
      })
      .strict(),
  ),
  /** kind, encoding, delimiter, header row, sample rows and the mapping to start from */
  'orders.import.inspect': call<ImportInspection>()(
    z
      .object({ uploadId, sourceName: sourceName.nullable().default(null), options: ImportOptionsSchema.default({}) })
      .strict(),
  ),
  'orders.import.preview': call<ImportPreview>()(
    z
      .object({
        uploadId,
        mapping: ColumnMappingSchema,
        options: ImportOptionsSchema.default({}),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
  ),
  /** starts the import job; its result (jobs events / jobs.list) is an ImportResult */
  'orders.import.start': call<{ jobId: string }>()(
    z
      .object({
        uploadId,
        sourceName,
        mapping: ColumnMappingSchema,
        options: ImportOptionsSchema.default({}),
        remember: z.boolean().default(true),
      })
      .strict(),
  ),
  'orders.import.mappings': call<ImportMappingRecord[]>()(z.object({}).strict()),
  'orders.import.deleteMapping': call<{ deleted: boolean }>()(z.object({ name: sourceName }).strict()),

  'coverage.report': call<CoverageReport>()(
    z
      .object({
        fromDay: day,
        toDay: day,
        limit: z.number().int().min(1).max(5000).default(300),
        kinds: z.array(z.enum(GAP_KINDS)).max(4).optional(),
      })
      .strict()
      .refine((r) => r.fromDay <= r.toDay, { message: 'fromDay is after toDay' }),
  ),
  /** every gap of the range as CSV (UTF-8 with BOM, for Excel) in the UI language */
  'coverage.exportCsv': call<{ fileName: string; csv: string }>()(range),
  /** one order by order, tracking or return tracking number */
  'coverage.lookup': call<OrderInsight | null>()(z.object({ code: z.string().max(4096) }).strict()),

  /** a serial number / IMEI scanned while recording: attached to the recording's order at that second */
  'serials.scan': call<SerialScanResult>()(
    z
      .object({ recordingId: z.string().uuid(), code: z.string().max(4096), atMs: z.number().int().min(0).nullable() })
      .strict(),
  ),
  'serials.forOrder': call<SerialProof>()(z.object({ orderId: idSchema }).strict()),
  /** a "swapped item" case: both clips and serial photos on its serial-proof item, the serial facts in its statement */
  'serials.openCase': call<CaseDetail>()(
    z.object({ orderId: idSchema, appealType: z.enum(APPEAL_TYPES).default('goods') }).strict(),
  ),
  'orders.flags': call<OrderFlag[]>()(
    z.object({ orderId: idSchema.nullable().default(null), openOnly: z.boolean().default(true) }).strict(),
  ),
  'orders.flags.clear': call<OrderFlag>()(
    z.object({ flagId: idSchema, note: z.string().max(500).default('') }).strict(),
  ),

  'dashboard.report': call<DashboardReport>()(range),
};
