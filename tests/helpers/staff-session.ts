import { expect } from 'vitest';

/**
 * Signs a hub user in through `/staff/v1/session` as a browser would, and returns a fetch
 * that carries the session cookie and the CSRF token on every call.
 */
export async function staffFetch(base: string, name: string, password: string) {
  const r = await fetch(`${base}/staff/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  expect(r.status).toBe(200);
  const { csrf } = (await r.json()) as { csrf: string };
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  return (p: string, init: RequestInit = {}) =>
    fetch(`${base}${p}`, { ...init, headers: { cookie, 'x-csrf-token': csrf, ...(init.headers ?? {}) } });
}
