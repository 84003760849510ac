/**
 * What a scanned or typed code is. Scanners type whatever the barcode holds, so the
 * input is untrusted text: it is normalised, bounded, and classified by configurable
 * patterns (order number, courier tracking number, serial number / IMEI).
 */
export const MAX_CODE_LENGTH = 64;

export type ScanProblem = 'empty' | 'too-long' | 'control-chars' | 'no-usable-chars';
export type ScanCheck = { ok: true; code: string } | { ok: false; problem: ScanProblem };

// control characters, and invisible format characters (bidi overrides such as U+202E can
// make a code display as something else; zero-width spaces hide inside it; lone
// surrogates are broken text). ZWJ (U+200D) stays: it only joins emoji.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|(?!\u200d)\p{Cf}|\p{Cs}/u;

export function normalizeScan(raw: string): ScanCheck {
  // scanners in a wrong keyboard mode send full-width characters: fold them to ASCII
  const folded = raw.normalize('NFKC').trim();
  if (folded.length === 0) return { ok: false, problem: 'empty' };
  if (CONTROL.test(folded)) return { ok: false, problem: 'control-chars' };
  if (folded.length > MAX_CODE_LENGTH) return { ok: false, problem: 'too-long' };
  if (!/[\p{L}\p{N}]/u.test(folded)) return { ok: false, problem: 'no-usable-chars' };
  return { ok: true, code: folded };
}

export type CodeKind = 'order' | 'tracking' | 'sku' | 'serial' | 'unknown';

export interface CodePatterns {
  orderPatterns: string[];
  trackingPatterns: string[];
  serialPatterns: string[];
  /** absent in callers that predate SKU-first packing: no code is a SKU */
  skuPatterns?: string[];
}

const compiled = new Map<string, RegExp | null>();
function re(source: string): RegExp | null {
  if (!compiled.has(source)) {
    try {
      compiled.set(source, new RegExp(source, 'i'));
    } catch {
      compiled.set(source, null);
    }
  }
  return compiled.get(source) ?? null;
}
const matchesAny = (code: string, sources: string[]) => sources.some((s) => re(s)?.test(code));

/**
 * Order patterns win over tracking patterns, then SKU patterns, then serial patterns: a
 * code that could be both an order number and a SKU is the order (scanning it must never
 * leave an order unrecorded), and a SKU pattern may be broad without eating order numbers.
 */
export function classifyCode(code: string, p: CodePatterns): CodeKind {
  if (matchesAny(code, p.orderPatterns)) return 'order';
  if (matchesAny(code, p.trackingPatterns)) return 'tracking';
  if (matchesAny(code, p.skuPatterns ?? [])) return 'sku';
  if (matchesAny(code, p.serialPatterns)) return 'serial';
  return 'unknown';
}

export const isValidPattern = (source: string) => re(source) !== null;
