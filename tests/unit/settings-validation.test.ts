import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/domain/settings';
import { translate } from '../../shared/i18n';
import { describeProblem, validateSettings } from '../../renderer/src/settings/validate-settings';

const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('Settings form validation (before save)', () => {
  it('accepts the defaults', () => {
    expect(validateSettings(defaultSettings())).toEqual([]);
  });

  it('names the field and the broken pattern in the UI language', () => {
    const s = { ...defaultSettings(), orderPatterns: ['^\\d{6}$', '^PDD('] };
    const problems = validateSettings(s);
    expect(problems).toHaveLength(1);
    expect(describeProblem(zh, problems[0])).toBe('订单号：规则 “^PDD(” 不是有效的正则表达式');
    expect(describeProblem(en, problems[0])).toBe('Order numbers: "^PDD(" is not a valid regular expression');
  });

  it('gives the allowed range from the shared schema for out-of-range numbers', () => {
    const base = defaultSettings();
    const s = { ...base, scanner: { ...base.scanner, duplicateWindowMs: -5, maxInterKeyMs: Number.NaN } };
    const texts = validateSettings(s).map((p) => describeProblem(en, p));
    expect(texts).toEqual([
      'Ignore repeated scans within (ms): enter a whole number from 0 to 60000',
      'Scanner max gap between keys (ms): enter a whole number from 5 to 200',
    ]);
  });

  it('refuses one key for two different actions, but lets the pedal share start/stop', () => {
    const base = defaultSettings();
    expect(validateSettings({ ...base, hotkeys: { ...base.hotkeys, pedal: base.hotkeys.toggleRecording } })).toEqual(
      [],
    );
    const clash = validateSettings({ ...base, hotkeys: { ...base.hotkeys, photo: 'F2', toggleRecording: 'F2' } });
    expect(clash.map((p) => describeProblem(zh, p))).toEqual(['按键 F2 同时用于“开始/结束录像”和“拍照”，请换一个']);
    const pedal = validateSettings({ ...base, hotkeys: { ...base.hotkeys, pedal: base.hotkeys.markStep } });
    expect(pedal.map((p) => describeProblem(en, p))).toEqual([
      'Key F4 is set for both "Foot pedal" and "Mark next step"; choose another',
    ]);
  });
});
