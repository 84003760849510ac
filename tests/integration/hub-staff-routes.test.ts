import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/accounts/roles';
import { addUser } from '../../electron/core/accounts/users';
import { createCore, type Core } from '../../electron/core/core';
import { createShareLink } from '../../electron/core/hub/share-links';
import { startHubServer, type HubServer } from '../../electron/web/hub-server';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';

const NOW = new Date('2026-12-04T09:00:00.000Z');
const PW = 'correct horse battery';
const RANK: Record<Role, number> = { packer: 0, viewer: 1, clerk: 2, admin: 3 };

/** Two orders at one station, one per shop, each with a real file in the hub's media folder. */
async function seed(hub: Core) {
  const root = path.join(hub.ctx.paths.root, 'hub-media', 'st1');
  fs.mkdirSync(root, { recursive: true });
  for (const shop of ['A', 'B']) {
    const file = path.join(root, `${shop}.mp4`);
    fs.writeFileSync(file, Buffer.alloc(4096, shop));
    // and its thumbnail, as the job makes it: in the store, by the file's hash
    const sha256 = shop.toLowerCase().repeat(64);
    const thumb = path.join(hub.ctx.paths.root, 'hub-media', '.thumbs', sha256.slice(0, 2), `${sha256}.jpg`);
    fs.mkdirSync(path.dirname(thumb), { recursive: true });
    fs.writeFileSync(
      thumb,
      await sharp({ create: { width: 32, height: 18, channels: 3, background: '#888' } })
        .jpeg()
        .toBuffer(),
    );
    await hub.ctx.db
      .insertInto('hub_orders')
      .values({
        station_id: 'st1',
        order_id: `o${shop}`,
        order_no: `PDD-${shop}`,
        tracking_no: null,
        shop,
        source: 'scan',
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .execute();
    await hub.ctx.db
      .insertInto('hub_evidence')
      .values({
        station_id: 'st1',
        evidence_id: `e${shop}`,
        order_no: `PDD-${shop}`,
        tracking_no: null,
        kind: 'video',
        mode: 'outbound',
        file_name: `${shop}.mp4`,
        sha256: shop.toLowerCase().repeat(64),
        bytes: 4096,
        duration_ms: 1000,
        captured_at: NOW.toISOString(),
        operator: 'x',
        station_name: 'st1',
        location: file,
        received_at: NOW.toISOString(),
        verified_at: NOW.toISOString(),
      })
      .execute();
  }
}

interface Route {
  name: string;
  least: Role;
  /** the request, for a resource of shop S (a route not about one order ignores it) */
  req: (shop: 'A' | 'B', ids: { linkB: string; userId: string }) => { method: string; path: string; body?: unknown };
  /** a user limited to shop A asking for shop B's resource gets 404 (no hint it exists) */
  shopScoped: boolean;
}

const ROUTES: Route[] = [
  { name: 'search', least: 'viewer', shopScoped: false, req: () => ({ method: 'GET', path: '/staff/v1/orders' }) },
  {
    name: 'order files',
    least: 'viewer',
    shopScoped: true,
    req: (s) => ({ method: 'GET', path: `/staff/v1/orders/PDD-${s}/files` }),
  },
  {
    name: 'media',
    least: 'viewer',
    shopScoped: true,
    req: (s) => ({ method: 'GET', path: `/staff/v1/media/st1/e${s}` }),
  },
  {
    name: 'order zip',
    least: 'viewer',
    shopScoped: true,
    req: (s) => ({ method: 'GET', path: `/staff/v1/orders/PDD-${s}/zip` }),
  },
  {
    name: 'thumbnail',
    least: 'viewer',
    shopScoped: true,
    req: (s) => ({ method: 'GET', path: `/staff/v1/thumbs/st1/e${s}` }),
  },
  {
    name: 'share list',
    least: 'clerk',
    shopScoped: false,
    req: (s) => ({ method: 'GET', path: `/staff/v1/shares?order=PDD-${s}` }),
  },
  {
    name: 'share make',
    least: 'clerk',
    shopScoped: true,
    req: (s) => ({ method: 'POST', path: '/staff/v1/shares', body: { orderNo: `PDD-${s}` } }),
  },
  {
    name: 'share revoke',
    least: 'clerk',
    shopScoped: true,
    req: (_s, ids) => ({ method: 'POST', path: `/staff/v1/shares/${ids.linkB}/revoke` }),
  },
  { name: 'users list', least: 'admin', shopScoped: false, req: () => ({ method: 'GET', path: '/staff/v1/users' }) },
  { name: 'audit log', least: 'admin', shopScoped: false, req: () => ({ method: 'GET', path: '/staff/v1/audit' }) },
  {
    name: 'audit verify',
    least: 'admin',
    shopScoped: false,
    req: () => ({ method: 'GET', path: '/staff/v1/audit/verify' }),
  },
  {
    name: 'user change',
    least: 'admin',
    shopScoped: false,
    req: (_s, ids) => ({ method: 'PATCH', path: `/staff/v1/users/${ids.userId}`, body: { shops: ['A'] } }),
  },
];

type Who = 'nobody' | Role | 'clerk of shop A';
const WHO: Who[] = ['nobody', 'packer', 'viewer', 'clerk', 'admin', 'clerk of shop A'];

describe(`who may use each staff route on the hub (${testEngine}): 401 signed out, 403 wrong role, 404 another shop`, () => {
  let base = '';
  const sessions = new Map<Who, { cookie: string; csrf: string }>();
  const ids = { linkB: '', userId: '' };
  // one hub for the whole table (each case is one request): closed after all of them
  let hub: Core;
  let server: HubServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-staff-routes-'));
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    await dropDatabasesOf([dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    hub = await createCore({ dataDir: dir, mode: 'cli' });
    await seed(hub);
    server = await startHubServer({ core: hub, host: '127.0.0.1', port: 0, clock: () => NOW });
    base = server.url.replace(/\/$/, '');
    for (const who of WHO.slice(1)) {
      const role = (who === 'clerk of shop A' ? 'clerk' : who) as Role;
      const user = await addUser(
        hub.ctx.db,
        { name: who, role, shops: who === 'clerk of shop A' ? ['A'] : [], password: PW },
        'test',
        NOW,
      );
      if (who === 'viewer') ids.userId = user.id;
      const r = await fetch(`${base}/staff/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: who, password: PW }),
      });
      const { csrf } = (await r.json()) as { csrf: string };
      sessions.set(who, { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]!, csrf });
    }
    ids.linkB = (await createShareLink(hub.ctx.db, { orderNo: 'PDD-B' }, null, NOW)).id;
  }, 120_000);

  const cases = ROUTES.flatMap((route) => WHO.map((who) => ({ route, who })));
  it.each(cases)('$route.name as $who', async ({ route, who }) => {
    const s = sessions.get(who);
    // shop B's resource: a user limited to shop A must not learn it exists
    const { method, path: p, body } = route.req('B', ids);
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const role = who === 'nobody' ? null : who === 'clerk of shop A' ? 'clerk' : who;
    const expected =
      role === null
        ? 401
        : RANK[role] < RANK[route.least]
          ? 403
          : who === 'clerk of shop A' && route.shopScoped
            ? 404
            : 'ok';
    if (expected === 'ok') expect(res.status, await res.text()).toBeLessThan(300);
    else expect(res.status).toBe(expected);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the shop-A clerk reaches shop A’s order, file and link making', async () => {
    const s = sessions.get('clerk of shop A')!;
    const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' };
    for (const r of ROUTES.filter((x) => x.shopScoped && x.name !== 'share revoke')) {
      const { method, path: p, body } = r.req('A', ids);
      const res = await fetch(`${base}${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
      expect(res.status, r.name).toBeLessThan(300);
    }
  });
});
