import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import { decodeWireInput, encodeWireInput } from '../../shared/api/wire';
import { createDispatch } from '../../electron/core/dispatch';
import { AppError } from '../../shared/api/result';
import type { Handlers } from '../../shared/api/contract';

describe('wire encoding', () => {
  it('sends one binary field as the raw body and rebuilds the input', () => {
    const data = new Uint8Array([1, 2, 3, 255]);
    const w = encodeWireInput({ recordingId: 'x', seq: 3, data });
    expect(w.body).toBe(data);
    const headers = Object.fromEntries(Object.entries(w.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(decodeWireInput(headers, data)).toEqual({ recordingId: 'x', seq: 3, data });
  });
  it('sends plain inputs as JSON', () => {
    const w = encodeWireInput({ query: '订单 / ..', limit: 5 });
    expect(decodeWireInput({}, new TextEncoder().encode(w.body as string))).toEqual({ query: '订单 / ..', limit: 5 });
  });
});

describe('dispatch', () => {
  const handlers = new Proxy({} as Handlers, {
    get: (_t, name) => (input: unknown) => {
      if (name === 'orders.get') throw new AppError('NOT_FOUND', 'no such order');
      if (name === 'evidence.recent') throw new Error('boom');
      return { echoed: input };
    },
  });
  const dispatch = createDispatch(handlers);

  it('refuses unknown calls', async () => {
    expect(await dispatch('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(await dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
  });
  it('validates inputs with the contract schema and applies defaults', async () => {
    expect(await dispatch('orders.search', { query: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await dispatch('orders.search', { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await dispatch('orders.search', {})).toEqual({ ok: true, value: { echoed: { query: '', limit: 50 } } });
    expect(
      await dispatch('capture.chunk', { recordingId: 'not-a-uuid', seq: 0, data: new Uint8Array() }),
    ).toMatchObject({ ok: false });
  });
  it('turns AppErrors and unexpected errors into results', async () => {
    expect(await dispatch('orders.get', { id: '01970000-0000-7000-8000-000000000001' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such order' },
    });
    expect(await dispatch('evidence.recent', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
  it('every contract call has an input schema', () => {
    for (const [name, def] of Object.entries(contract)) expect(def.input, name).toBeTruthy();
  });
});
