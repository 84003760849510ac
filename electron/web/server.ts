import { mirroredFilePath } from '../core/evidence/evidence-sources';
import fs from 'node:fs';
import { readBodyLimited } from './read-body';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeWireInput } from '../../shared/api/wire';
import { fail } from '../../shared/api/result';
import type { ApiEvents, EventName } from '../../shared/api/events';
import type { Core } from '../core/core';
import { contentTypeFor, parseRange, resolveMediaFile } from '../core/storage/media-access';
import { CSP, hasToken, isLoopbackRequest, newToken, TOKEN_COOKIE } from './security';
import { isPublicApiPath, publicApiHttpHandler } from './public-api-http';

export interface WebServerOptions {
  core: Core;
  port?: number;
  rendererDir: string;
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  /** serve another core from now on (the data folder was moved) */
  swapCore(core: Core): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

/** The renderer bundle's own file types (the overlay's bundled font among them). */
const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.otf': 'font/otf',
};

/**
 * The loopback adapter: the same contract as Electron IPC, over HTTP on 127.0.0.1 with a
 * per-launch token, plus the built renderer and the data folder's media (read-only).
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? newToken();
  let port = 0;
  let core = opts.core;
  const publicApi = publicApiHttpHandler(() => core);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error('[proofpack] request failed', e);
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'Internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!isLoopbackRequest(req, port)) return send(res, 403, { 'content-type': 'text/plain' }, 'Forbidden');
    // the order API for ERPs: its own tokens (never the UI's), see docs/ARCHITECTURE.md
    if (isPublicApiPath(url.pathname)) return publicApi(req, res, url);
    const authed = hasToken(req, url, token);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, {}, '');
      if (!authed) return json(res, 401, fail('UNAUTHORIZED', 'Missing or wrong token'));
      const body = await readBodyLimited(req, MAX_BODY);
      if (body === null)
        return json(res, 413, fail('INVALID_INPUT', 'Request too large', { problem: 'request-too-large' }));
      let input: unknown;
      try {
        input = decodeWireInput(req.headers, body);
      } catch {
        return json(res, 400, fail('INVALID_INPUT', 'Malformed request body', { problem: 'malformed-request' }));
      }
      return json(res, 200, await core.dispatch(decodeURIComponent(url.pathname.slice(5)), input));
    }
    if (url.pathname.startsWith('/media/')) {
      if (!authed) return send(res, 401, { 'content-type': 'text/plain' }, 'Unauthorized');
      return await serveMedia(req, res, decodeURIComponent(url.pathname.slice(7)));
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!authed) {
        return send(
          res,
          401,
          { 'content-type': 'text/plain; charset=utf-8' },
          'ProofPack: open the address printed by `npm start` (it carries the access token).\n',
        );
      }
      // the cookie lets <video> and <img> load media without putting the token in every URL
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      return serveStatic(res, 'index.html');
    }
    return serveStatic(res, url.pathname.slice(1));
  }

  function serveStatic(res: ServerResponse, rel: string) {
    const root = path.resolve(opts.rendererDir);
    const abs = path.resolve(root, rel);
    if (!abs.startsWith(root + path.sep) || !fs.existsSync(abs) || !fs.statSync(abs).isFile()) {
      return send(res, 404, { 'content-type': 'text/plain' }, 'Not found');
    }
    const headers: Record<string, string> = {
      'content-type': STATIC_TYPES[path.extname(abs).toLowerCase()] ?? contentTypeFor(abs),
      'x-content-type-options': 'nosniff',
      'cache-control': abs.endsWith('.html') ? 'no-store' : 'max-age=3600',
    };
    if (abs.endsWith('.html')) Object.assign(headers, { 'content-security-policy': CSP, 'x-frame-options': 'DENY' });
    res.writeHead(200, headers);
    fs.createReadStream(abs).pipe(res);
  }

  async function serveMedia(req: IncomingMessage, res: ServerResponse, rel: string) {
    // on the hub PC: a station's file in the hub's store plays here too (evidence-sources.ts)
    const file = resolveMediaFile(core.ctx.paths.root, rel) ?? (await mirroredFilePath(core.ctx, rel));
    if (!file) return send(res, 404, { 'content-type': 'text/plain' }, 'Not found');
    const size = fs.statSync(file).size;
    const base = {
      'content-type': contentTypeFor(file),
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    const range = parseRange(req.headers.range, size);
    if (req.headers.range && !range) return send(res, 416, { 'content-range': `bytes */${size}` }, '');
    if (range) {
      res.writeHead(206, {
        ...base,
        'content-range': `bytes ${range.start}-${range.end}/${size}`,
        'content-length': range.end - range.start + 1,
      });
      fs.createReadStream(file, range).pipe(res);
    } else {
      res.writeHead(200, { ...base, 'content-length': size });
      fs.createReadStream(file).pipe(res);
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/events' || !isLoopbackRequest(req, port) || !hasToken(req, url, token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return socket.destroy();
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  const forward = <E extends EventName>(event: E, payload: ApiEvents[E]) => {
    const msg = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  };
  let unsubscribe = core.ctx.events.onAny(forward);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    swapCore(next: Core) {
      if (next.ctx.events !== core.ctx.events) {
        unsubscribe();
        unsubscribe = next.ctx.events.onAny(forward);
      }
      core = next;
    },
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string) {
  res.writeHead(status, headers);
  res.end(body);
}
const json = (res: ServerResponse, status: number, value: unknown) =>
  send(
    res,
    status,
    { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    JSON.stringify(value),
  );
