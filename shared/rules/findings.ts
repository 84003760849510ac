/**
 * Finding codes are a PUBLIC CONTRACT (README, CLI JSON, stored results, other tools):
 * never rename one; add new ones at the end.
 */
export const FINDING_CODES = [
  'FILE_UNREADABLE',
  'FORMAT_NOT_ACCEPTED',
  'EXTENSION_MISMATCH',
  'VIDEO_TOO_LARGE',
  'VIDEO_TOO_LONG',
  'NO_VIDEO_STREAM',
  'LOW_RESOLUTION',
  'DISCONTINUOUS',
  'PHOTO_TOO_LARGE',
  'PHOTO_BLURRY',
  'LABEL_NOT_FOUND',
  'LABEL_MISMATCH',
  // added by the checks issue beyond the original list
  'FILE_TRUNCATED',
  'DURATION_MISSING',
  'PHOTO_TOO_MANY_PIXELS',
  'PHOTO_ROTATED',
  'DOCUMENT_TOO_LARGE',
  'TOO_MANY_FILES',
  'CHECK_FAILED',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const SEVERITIES = ['block', 'warn', 'info'] as const;
/** block: keeps the file out of a packet; warn: a reviewer may object; info: worth knowing */
export type Severity = (typeof SEVERITIES)[number];

/** What a fix does; the fixer plans the whole pipeline from all findings together. */
export const FIX_IDS = ['remux', 'transcode', 'compress', 'split', 'trim', 'photo-reencode'] as const;
export type FixId = (typeof FIX_IDS)[number];

export type FindingParams = Record<string, string | number>;

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** raw values (bytes, seconds, pixels); turned into text by describeFinding */
  params: FindingParams;
  fix?: FixId;
}

/** Default severity of each code; a profile may override any of them. */
export const DEFAULT_SEVERITY: Record<FindingCode, Severity> = {
  FILE_UNREADABLE: 'block',
  FORMAT_NOT_ACCEPTED: 'block',
  EXTENSION_MISMATCH: 'block',
  VIDEO_TOO_LARGE: 'block',
  VIDEO_TOO_LONG: 'block',
  NO_VIDEO_STREAM: 'block',
  LOW_RESOLUTION: 'warn',
  DISCONTINUOUS: 'warn',
  PHOTO_TOO_LARGE: 'block',
  PHOTO_BLURRY: 'warn',
  LABEL_NOT_FOUND: 'warn',
  LABEL_MISMATCH: 'block',
  FILE_TRUNCATED: 'block',
  DURATION_MISSING: 'warn',
  PHOTO_TOO_MANY_PIXELS: 'block',
  PHOTO_ROTATED: 'info',
  DOCUMENT_TOO_LARGE: 'block',
  TOO_MANY_FILES: 'block',
  CHECK_FAILED: 'warn',
};

export type CheckState = 'ok' | 'warn' | 'block';

export function stateOf(findings: readonly Pick<Finding, 'severity'>[]): CheckState {
  if (findings.some((f) => f.severity === 'block')) return 'block';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'ok';
}
