import { z } from 'zod';
import { FINDING_CODES, SEVERITIES } from './findings';
import { ALL_FORMATS, normalizeFormatId } from './formats';

/**
 * A rule profile: one platform's evidence limits as versioned data, validated on load.
 * Every number says whether the platform documents it or ProofPack assumes it, so the
 * UI can show staff which values to trust and which to verify.
 */
export const BasisSchema = z.enum(['documented', 'assumed']);
export type Basis = z.infer<typeof BasisSchema>;

const ruleValue = <T extends z.ZodType>(value: T) =>
  z.object({ value, basis: BasisSchema, note: z.string().max(500).optional() }).strict();

const formatList = z
  .array(z.string().min(1).max(10))
  .min(1, 'List at least one format')
  .max(40)
  .transform((list) => [...new Set(list.map(normalizeFormatId))])
  .refine((list) => list.every((f) => ALL_FORMATS.includes(f)), {
    message: `Unknown format; known formats: ${ALL_FORMATS.join(', ')}`,
  });

const positiveInt = z.number().int().positive();
const positive = z.number().positive();

export const VideoRulesSchema = z
  .object({
    formats: ruleValue(formatList),
    maxBytes: ruleValue(positiveInt),
    maxDurationSec: ruleValue(positive),
    /** the shorter side of the frame; below it a LOW_RESOLUTION warning (720 = 720p) */
    minShortSidePx: ruleValue(z.number().int().min(0).max(4320)),
    /** a pause in the timestamps longer than this is a DISCONTINUOUS warning */
    maxGapSec: ruleValue(positive),
    /** how a too-long video is made compliant: numbered parts, or one clip chosen by in/out */
    overLengthFix: z.enum(['split', 'trim']).default('split'),
    maxFilesPerSet: ruleValue(positiveInt).optional(),
  })
  .strict();

export const PhotoRulesSchema = z
  .object({
    formats: ruleValue(formatList),
    maxBytes: ruleValue(positiveInt),
    /** Laplacian variance at ≤1024 px; below it PHOTO_BLURRY */
    minSharpness: ruleValue(z.number().min(0).max(10000)),
    maxLongSidePx: ruleValue(z.number().int().min(64).max(30000)).optional(),
    maxFilesPerSet: ruleValue(positiveInt).optional(),
  })
  .strict();

export const DocumentRulesSchema = z
  .object({ formats: ruleValue(formatList), maxBytes: ruleValue(positiveInt) })
  .strict();

export const LabelRulesSchema = z
  .object({
    checkPhotos: z.boolean().default(true),
    checkVideos: z.boolean().default(true),
    /** zxing format names; fewer formats read faster */
    barcodeFormats: z.array(z.string().min(1).max(40)).min(1).max(20).default(['Code128', 'QRCode', 'Code39']),
  })
  .strict();

export const DeadlinesSchema = z
  .object({
    evidenceHoursAfterSignFor: ruleValue(positive).optional(),
    evidenceHoursProofBeforeRefusal: ruleValue(positive).optional(),
    appealDaysAfterRefund: ruleValue(positive).optional(),
  })
  .strict();

export const ProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Use 1–64 lower-case letters, digits, "-" or "_"'),
    version: z.number().int().min(1).default(1),
    name: z.object({ 'zh-CN': z.string().min(1).max(100), en: z.string().min(1).max(100) }).strict(),
    platform: z.string().min(1).max(100),
    source: z
      .object({
        title: z.string().max(300),
        url: z.string().max(500).optional(),
        checkedAt: z.string().max(40).optional(),
      })
      .strict()
      .optional(),
    video: VideoRulesSchema,
    photo: PhotoRulesSchema,
    document: DocumentRulesSchema,
    label: LabelRulesSchema.default(LabelRulesSchema.parse({})),
    deadlines: DeadlinesSchema.default({}),
    statement: z
      .object({ maxChars: ruleValue(positiveInt) })
      .strict()
      .optional(),
    /** per-code severity overrides, e.g. { "LOW_RESOLUTION": "info" } */
    severities: z.partialRecord(z.enum(FINDING_CODES), z.enum(SEVERITIES)).default({}),
  })
  .strict();

export type RuleProfile = z.output<typeof ProfileSchema>;
export type RuleProfileInput = z.input<typeof ProfileSchema>;

export interface ProfileIssue {
  path: string;
  message: string;
}

export type ProfileParse = { ok: true; profile: RuleProfile } | { ok: false; issues: ProfileIssue[] };

/**
 * Validate untrusted profile data (a file, the settings editor) with readable issues.
 * `lang` 'zh-CN' words zod's messages in Chinese (the settings editor shows them to
 * staff); without it they stay English (CLI, logs).
 */
export function parseProfile(data: unknown, lang?: 'zh-CN' | 'en'): ProfileParse {
  const r = ProfileSchema.safeParse(data, lang === 'zh-CN' ? { error: z.locales.zhCN().localeError } : undefined);
  if (r.success) return { ok: true, profile: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
  };
}

/** Parse JSON text as a profile; a syntax error is reported as an issue too. */
export function parseProfileJson(text: string): ProfileParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: '(json)', message: (e as Error).message }] };
  }
  return parseProfile(data);
}

/** Every rule value of a profile with its basis: what the settings page lists. */
export function ruleValues(p: RuleProfile): { path: string; value: unknown; basis: Basis; note?: string }[] {
  const out: { path: string; value: unknown; basis: Basis; note?: string }[] = [];
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const o = node as Record<string, unknown>;
    if ('basis' in o && 'value' in o) {
      out.push({ path, value: o.value, basis: o.basis as Basis, note: o.note as string | undefined });
      return;
    }
    for (const [k, v] of Object.entries(o)) visit(v, path ? `${path}.${k}` : k);
  };
  for (const section of ['video', 'photo', 'document', 'deadlines', 'statement'] as const) visit(p[section], section);
  return out;
}
