import { describe, expect, it } from 'vitest';
import { describeError } from '../../renderer/src/api/errors';
import { translate, type Lang, type Params } from '../../shared/i18n';
import { contract } from '../../shared/api/contract';
import { createDispatch } from '../../electron/core/dispatch';
import type { Handlers } from '../../shared/api/contract';

const tr = (lang: Lang) => (key: string, params?: Params) => translate(lang, key, params);

describe('describeError: refusals read in the UI language', () => {
  it('a file-level problem uses its translated text with the details filled in', () => {
    const err = {
      code: 'INVALID_INPUT',
      message: 'No worksheet named 订单',
      details: { problem: 'no-such-sheet', sheet: '订单' },
    };
    expect(describeError(tr('zh-CN'), err)).toBe('输入不正确：没有名为“订单”的工作表');
    expect(describeError(tr('en'), err)).toBe('Invalid input: No worksheet named "订单"');
  });

  it('a CSV problem names the line', () => {
    const err = { code: 'INVALID_INPUT', message: 'x', details: { problem: 'csv-unclosed-quote', line: 17 } };
    expect(describeError(tr('zh-CN'), err)).toContain('第 17 行');
  });

  it('an unknown problem code falls back to the core message', () => {
    const err = { code: 'INVALID_INPUT', message: 'Something odd', details: { problem: 'never-heard-of-it' } };
    expect(describeError(tr('zh-CN'), err)).toBe('输入不正确：Something odd');
  });

  it('schema refusals from the dispatcher carry zod codes that translate', async () => {
    const dispatch = createDispatch({} as Handlers);
    expect(contract['orders.search']).toBeDefined();
    const r = await dispatch('orders.search', { query: 42 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = describeError(tr('zh-CN'), r.error);
    expect(text).toMatch(/^输入不正确：/);
    expect(text).not.toMatch(/Expected|Invalid input: expected/);
  });
});
