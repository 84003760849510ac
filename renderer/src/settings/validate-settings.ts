import type { Settings } from '../../../shared/domain/settings';
import { ScannerSchema } from '../../../shared/domain/settings';
import { isValidPattern } from '../../../shared/domain/scan-code';

/**
 * Checks the Settings form before it is saved, so a clerk gets a message that names the
 * field in the UI language ("订单号: 规则 ^PDD( 不是有效的正则表达式") instead of the
 * server's schema text ("Not a valid pattern", "scanner.duplicateWindowMs: Too small…").
 * Pure: each problem is an i18n key and its parameters.
 */
export interface SettingsProblem {
  key: string;
  params: Record<string, string | number>;
}

const PATTERN_FIELDS = [
  ['orderPatterns', 'settings.orderPatterns'],
  ['trackingPatterns', 'settings.trackingPatterns'],
  ['serialPatterns', 'settings.serialPatterns'],
  ['skuPatterns', 'settings.skuPatterns'],
] as const;

const NUMBER_FIELDS = [
  ['duplicateWindowMs', 'settings.duplicateWindow'],
  ['maxInterKeyMs', 'settings.scannerSpeed'],
] as const;

const HOTKEY_FIELDS = [
  ['toggleRecording', 'settings.key.toggle'],
  ['photo', 'settings.key.photo'],
  ['markStep', 'settings.key.mark'],
  ['confirmInterception', 'settings.key.confirmInterception'],
] as const;

/** the bounds come from the shared schema, so the form and the server never disagree */
function bounds(field: (typeof NUMBER_FIELDS)[number][0]) {
  const s = ScannerSchema.shape[field].unwrap();
  return { min: s.minValue ?? 0, max: s.maxValue ?? Number.MAX_SAFE_INTEGER };
}

export function validateSettings(draft: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const [field, label] of PATTERN_FIELDS) {
    for (const pattern of draft[field]) {
      if (!isValidPattern(pattern))
        problems.push({ key: 'settings.invalid.pattern', params: { field: label, pattern } });
      else if (pattern.length > 200) problems.push({ key: 'settings.invalid.patternLong', params: { field: label } });
    }
  }
  for (const [field, label] of NUMBER_FIELDS) {
    const v = draft.scanner[field];
    const { min, max } = bounds(field);
    if (!Number.isInteger(v) || v < min || v > max)
      problems.push({ key: 'settings.invalid.number', params: { field: label, min, max } });
  }
  // the pedal may share the start/stop key (both toggle); any other shared key would
  // silently do only one of the two actions
  const seen = new Map<string, string>();
  for (const [field, label] of HOTKEY_FIELDS) {
    const code = draft.hotkeys[field];
    if (!code) continue;
    const other = seen.get(code);
    if (other) problems.push({ key: 'settings.invalid.sameKey', params: { key: code, a: other, b: label } });
    seen.set(code, label);
  }
  const pedalClash = HOTKEY_FIELDS.find(([f]) => f !== 'toggleRecording' && draft.hotkeys[f] === draft.hotkeys.pedal);
  if (pedalClash)
    problems.push({
      key: 'settings.invalid.sameKey',
      params: { key: draft.hotkeys.pedal, a: 'settings.key.pedal', b: pedalClash[1] },
    });
  return problems;
}

/** Field names travel as i18n keys; this turns a problem into text in the UI language. */
export function describeProblem(
  t: (key: string, params?: Record<string, string | number>) => string,
  p: SettingsProblem,
) {
  const params = { ...p.params };
  for (const k of ['field', 'a', 'b'] as const) if (typeof params[k] === 'string') params[k] = t(params[k] as string);
  return t(p.key, params);
}
