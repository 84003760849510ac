import { describe, expect, it } from 'vitest';
import { addUser } from '../../electron/core/accounts/users';
import { newSetupToken, SETUP_LINK_TTL_MS } from '../../electron/core/accounts/first-admin';
import { useHubCores } from '../helpers/hub-cores';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const hubs = useHubCores(tempDir);
const PW = 'correct horse battery';
const NOW = new Date('2026-12-04T09:00:00.000Z');

async function hubWithClerk() {
  const core = await hubs.core();
  await addUser(core.ctx.db, { name: 'Li Na', role: 'clerk', password: PW }, 'test', NOW);
  const server = await hubs.serve({ core, clock: () => NOW });
  const base = server.url.replace(/\/$/, '');
  const call = (path: string, init: RequestInit = {}) => fetch(`${base}/staff/v1${path}`, init);
  return { base, call };
}
const json = { 'content-type': 'application/json' };
const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0];

describe('staff sign-in over HTTP on the hub: cookies, CSRF, same-site, security headers', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie, answers who is signed in, and signs out', async () => {
    const { call } = await hubWithClerk();
    const r = await call('/session', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'li na', password: PW }),
    });
    expect(r.status).toBe(200);
    const set = r.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^pp_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const body = (await r.json()) as { user: { name: string; role: string }; csrf: string };
    expect(body.user).toMatchObject({ name: 'Li Na', role: 'clerk' });
    for (const [h, v] of Object.entries({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    }))
      expect(r.headers.get(h)).toBe(v);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const cookie = cookieOf(r);
    expect((await call('/session', { headers: { cookie } })).status).toBe(200);
    expect((await call('/session')).status).toBe(401);
    // signing out needs the CSRF token: without it, refused; with it, the session ends
    expect((await call('/session', { method: 'DELETE', headers: { cookie } })).status).toBe(403);
    const out = await call('/session', { method: 'DELETE', headers: { cookie, 'x-csrf-token': body.csrf } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await call('/session', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses another site, a planted cookie and a wrong password alike, in words', async () => {
    const { call } = await hubWithClerk();
    const cross = await call('/session', {
      method: 'POST',
      headers: { ...json, origin: 'http://evil.example' },
      body: JSON.stringify({ name: 'Li Na', password: PW }),
    });
    expect(cross.status).toBe(403);
    // a cookie set by someone else before sign-in is never the session: sign-in makes a new one
    const planted = 'pp_session=' + 'A'.repeat(43);
    const r = await call('/session', {
      method: 'POST',
      headers: { ...json, cookie: planted },
      body: JSON.stringify({ name: 'Li Na', password: PW }),
    });
    expect(cookieOf(r)).not.toBe(planted);
    expect((await call('/session', { headers: { cookie: planted } })).status).toBe(401);
    const wrong = await call('/session', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'Li Na', password: 'nope nope nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { details: { problem: string } } }).error.details.problem).toBe(
      'sign-in-failed',
    );
    const bad = await call('/session', { method: 'POST', headers: json, body: '{"name": 1' });
    expect(bad.status).toBe(400);
  });

  it('sign out everywhere ends the sessions of every browser of that person', async () => {
    const { call } = await hubWithClerk();
    const signIn = async () => {
      const r = await call('/session', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'Li Na', password: PW }),
      });
      return { cookie: cookieOf(r), csrf: ((await r.json()) as { csrf: string }).csrf };
    };
    const desk = await signIn();
    const phone = await signIn();
    const r = await call('/session/everywhere', {
      method: 'POST',
      headers: { cookie: phone.cookie, 'x-csrf-token': phone.csrf },
    });
    expect(((await r.json()) as { ended: number }).ended).toBe(2);
    expect((await call('/session', { headers: { cookie: desk.cookie } })).status).toBe(401);
  });

  it('the first admin is made through the one-time setup link, then the link is dead', async () => {
    const core = await hubs.core();
    const link = await newSetupToken(core.ctx.db, NOW);
    expect(link?.token).toMatch(/^[\w-]{43}$/);
    const server = await hubs.serve({ core, clock: () => NOW });
    const setup = (body: unknown) =>
      fetch(`${server.url}staff/v1/setup`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect((await setup({ token: 'guess', name: 'Boss', password: PW })).status).toBe(401);
    // a refused password leaves the link usable
    expect((await setup({ token: link!.token, name: 'Boss', password: 'short' })).status).toBe(400);
    const ok = await setup({ token: link!.token, name: 'Boss', password: PW });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { user: { role: string } }).user.role).toBe('admin');
    expect(cookieOf(ok)).toMatch(/^pp_session=/);
    const again = await setup({ token: link!.token, name: 'Boss 2', password: PW });
    expect(((await again.json()) as { error: { details: { problem: string } } }).error.details.problem).toBe(
      'admin-exists',
    );
    expect(await newSetupToken(core.ctx.db, NOW)).toBeNull();
  });

  it('a setup link expires after a day', async () => {
    const core = await hubs.core();
    const link = await newSetupToken(core.ctx.db, NOW);
    const server = await hubs.serve({ core, clock: () => new Date(NOW.getTime() + SETUP_LINK_TTL_MS + 1) });
    const r = await fetch(`${server.url}staff/v1/setup`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token: link!.token, name: 'Boss', password: PW }),
    });
    expect(r.status).toBe(401);
  });

  it('GET /staff/v1/orders: a viewer limited to a shop finds its orders only; a packer is refused; no session, no answer', async () => {
    const core = await hubs.core();
    const db = core.ctx.db;
    for (const [i, shop] of ['A店', 'B店', 'A店'].entries())
      await db
        .insertInto('hub_orders')
        .values({
          station_id: 's1',
          order_id: `o${i}`,
          order_no: `PDD${i}`,
          tracking_no: null,
          shop,
          source: 'scan',
          created_at: `2026-12-04T08:0${i}:00.000Z`,
          updated_at: '2026-12-04T09:00:00.000Z',
        })
        .execute();
    await addUser(db, { name: 'viewer', role: 'viewer', shops: ['A店'], password: PW }, 'test', NOW);
    await addUser(db, { name: 'packer', role: 'packer', password: PW }, 'test', NOW);
    const server = await hubs.serve({ core, clock: () => NOW });
    const signIn = async (name: string) =>
      cookieOf(
        await fetch(`${server.url}staff/v1/session`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ name, password: PW }),
        }),
      );
    const viewer = await signIn('viewer');
    const search = (cookie: string | null, qs = '') =>
      fetch(`${server.url}staff/v1/orders${qs}`, { headers: cookie ? { cookie } : {} });
    const found = (await (await search(viewer)).json()) as { hits: { orderNo: string }[]; next: string | null };
    expect(found.hits.map((h) => h.orderNo)).toEqual(['PDD2', 'PDD0']);
    const one = (await (await search(viewer, '?limit=1')).json()) as { hits: { orderNo: string }[]; next: string };
    const rest = (await (await search(viewer, `?limit=1&after=${one.next}`)).json()) as { hits: { orderNo: string }[] };
    expect([...one.hits, ...rest.hits].map((h) => h.orderNo)).toEqual(['PDD2', 'PDD0']);
    expect(((await (await search(viewer, '?code=PDD1')).json()) as { hits: unknown[] }).hits).toEqual([]);
    expect((await search(viewer, '?from=yesterday')).status).toBe(400);
    expect((await search(viewer, '?after=garbage')).status).toBe(400);
    expect((await search(await signIn('packer'))).status).toBe(403);
    expect((await search(null)).status).toBe(401);
  });
});
