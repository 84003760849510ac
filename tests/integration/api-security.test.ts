import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../electron/core/core';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { contract } from '../../shared/api/contract';
import { dropDatabasesOf } from '../helpers/test-db';

/**
 * The loopback adapter against a real core: nothing happens without the token, nothing
 * from another host or origin, no unknown call, no invalid input, no file outside the
 * data folder.
 */
let core: Core;
let server: WebServer;
let dataDir: string;
let outside: string;
let renderer: string;
const CALLS = Object.keys(contract);

interface Reply {
  status: number;
  body: string;
}

function request(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${server.port}`, ...opts.headers },
        setHost: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = () => ({ 'x-proofpack-token': server.token });
const api = (name: string, body: string, headers: Record<string, string> = {}) =>
  request({ method: 'POST', path: `/api/${name}`, headers: { 'content-type': 'application/json', ...headers }, body });
const TABLES = ['orders', 'evidence', 'recordings', 'audit_log', 'settings', 'cases'] as const;
const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const { n } = await core.ctx.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(n);
  }
  return out;
};

function wsOpen(headers: Record<string, string>, query = ''): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events${query}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-sec-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside the data folder');
  renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-renderer-'));
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>ProofPack</title>');
  core = await createCore({ dataDir, mode: 'web' });
  server = await startWebServer({ core, port: 0, rendererDir: renderer });
  fs.mkdirSync(path.join(dataDir, 'media', '2026-11-24', 'A1'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'media', '2026-11-24', 'A1', 'clip.mp4'), 'not really a video, but a file');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dataDir, 'media', 'link-out.mp4'));
  fs.symlinkSync(outside, path.join(dataDir, 'media', 'dir-out'));
});
afterAll(async () => {
  await server.close();
  await core.close();
  await dropDatabasesOf([dataDir]);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
  fs.rmSync(renderer, { recursive: true, force: true });
});

describe('no request without the token succeeds', () => {
  it.each(CALLS)('POST /api/%s', async (name) => {
    const before = await counts();
    const attempts: Record<string, string>[] = [
      {},
      { 'x-proofpack-token': 'wrong' },
      { 'x-proofpack-token': `${server.token}x` },
      { authorization: 'Bearer nope' },
      { cookie: 'proofpack_token=nope' },
    ];
    for (const headers of attempts) {
      const r = await api(name, '{}', headers);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(await counts()).toEqual(before);
  });

  it.each(['/', '/index.html', '/media/media/2026-11-24/A1/clip.mp4', '/media/proofpack.db'])('GET %s', async (p) => {
    expect((await request({ path: p })).status).toBe(401);
    expect((await request({ path: `${p}${p.includes('?') ? '&' : '?'}token=wrong` })).status).toBe(401);
  });

  it('the event socket', async () => {
    expect(await wsOpen({})).toBe(401);
    expect(await wsOpen({}, '?token=wrong')).toBe(401);
    expect(await wsOpen({}, `?token=${server.token}`)).toBe('open');
  });

  it('with the token, the same routes work (the tests above are not vacuous)', async () => {
    expect((await api('app.info', '{}', auth())).status).toBe(200);
    expect((await request({ path: '/', headers: auth() })).status).toBe(200);
    const media = await request({ path: '/media/media/2026-11-24/A1/clip.mp4', headers: auth() });
    expect(media).toEqual({ status: 200, body: 'not really a video, but a file' });
  });
});

describe('only this machine, only our page', () => {
  it.each(['evil.example', `evil.example:${0}`, '127.0.0.1.nip.io', 'localhost:1', '192.168.1.10'])(
    'Host %s is refused (DNS rebinding)',
    async (host) => {
      const h = host.endsWith(':0') ? host.replace(':0', `:${server.port}`) : host;
      for (const p of ['/', '/media/media/2026-11-24/A1/clip.mp4'])
        expect((await request({ path: p, headers: { ...auth(), host: h } })).status).toBe(403);
      expect((await api('app.info', '{}', { ...auth(), host: h })).status).toBe(403);
    },
  );

  it.each(['http://evil.example', 'https://127.0.0.1:1', `https://127.0.0.1:PORT`, 'null'])(
    'Origin %s may not call the API or open the socket',
    async (o) => {
      const origin = o.replace('PORT', String(server.port));
      const before = await counts();
      expect((await api('settings.update', '{"operator":"mallory"}', { ...auth(), origin })).status).toBe(403);
      expect(await wsOpen({ origin }, `?token=${server.token}`)).not.toBe('open');
      expect(await counts()).toEqual(before);
    },
  );

  it('our own origin may', async () => {
    expect((await api('app.info', '{}', { ...auth(), origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });
});

describe('every call is validated at the adapter', () => {
  it.each(['no.such.call', '__proto__', 'constructor', 'toString', 'app.info/../settings.update', '%00'])(
    'unknown call %s is refused',
    async (name) => {
      const r = await api(encodeURIComponent(name), '{}', auth());
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    },
  );

  const GARBAGE = [
    '"text"',
    '42',
    '[]',
    'true',
    '{"__junk":1}',
    '{"__proto__":{"polluted":1}}',
    '{"id":{"$gt":0},"code":["a"],"data":"AAAA"}',
    '{"a":'.repeat(200) + '1' + '}'.repeat(200),
  ];
  it.each(CALLS)('%s refuses garbage input and changes nothing', async (name) => {
    const before = await counts();
    for (const body of GARBAGE) {
      const r = await api(name, body, auth());
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body), `${name} ${body.slice(0, 40)}`).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    const malformed = await api(name, '{not json', auth());
    expect(malformed.status).toBe(400);
    expect(await counts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a binary call with a broken header is refused', async () => {
    const r = await request({
      method: 'POST',
      path: '/api/capture.chunk',
      headers: {
        ...auth(),
        'content-type': 'application/octet-stream',
        'x-proofpack-bytes-field': 'data',
        'x-proofpack-input': '%7Bbroken',
      },
      body: Buffer.alloc(10),
    });
    expect(r.status).toBe(400);
  });

  it('GET on the API is not a call', async () => {
    expect((await request({ path: '/api/app.info', headers: auth() })).status).toBe(405);
  });
});

describe('media paths never leave the data folder', () => {
  it.each([
    '/media/../proofpack.db',
    '/media/proofpack.db',
    '/media/proofpack.db-wal',
    '/media/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/media/..%2f..%2f..%2fetc%2fpasswd',
    '/media/media%2f..%2f..%2f..%2fetc%2fpasswd',
    '/media/%2Fetc%2Fpasswd',
    '/media//etc/passwd',
    '/media/C:%5CWindows%5Cwin.ini',
    '/media/..%5C..%5Cproofpack.db',
    '/media/media/link-out.mp4',
    '/media/media/dir-out/secret.txt',
    '/media/media/2026-11-24/A1',
    '/media/media/%00clip.mp4',
    `/media/${encodeURIComponent(path.join(os.tmpdir(), 'x'))}`,
  ])('%s is refused', async (p) => {
    const r = await request({ path: p, headers: auth() });
    expect([400, 404]).toContain(r.status);
    expect(r.body).not.toContain('outside the data folder');
    expect(r.body).not.toContain('SQLite format');
    expect(r.body).not.toContain('root:');
  });

  it('a file in the data folder is served, with ranges', async () => {
    const r = await request({
      path: '/media/media/2026-11-24/A1/clip.mp4',
      headers: { ...auth(), range: 'bytes=4-9' },
    });
    expect(r).toEqual({ status: 206, body: 'really' });
  });
});
