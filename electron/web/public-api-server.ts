import http from 'node:http';
import type { Core } from '../core/core';
import { isPublicApiPath, publicApiHttpHandler } from './public-api-http';
import { listenOn } from './http-json';

export interface PublicApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The order API alone on its own listener (`--api-port N`): a fixed address an ERP can be
 * configured with, while the UI's loopback port may change per launch. A station binds
 * 127.0.0.1 and, like the UI server, accepts only a loopback Host (no DNS rebinding) and no
 * browser Origin (the API is for programs; no CORS). A hub passes its LAN address as `host`.
 */
export async function startPublicApiServer(opts: {
  getCore: () => Core;
  port: number;
  host?: string;
}): Promise<PublicApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopbackOnly = host === '127.0.0.1' || host === 'localhost';
  const handler = publicApiHttpHandler(opts.getCore);
  let port = opts.port;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const hostOk = !loopbackOnly || [`127.0.0.1:${port}`, `localhost:${port}`].includes(req.headers.host ?? '');
    if (!hostOk || req.headers.origin || !isPublicApiPath(url.pathname)) {
      res.writeHead(req.headers.origin || !hostOk ? 403 : 404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { code: hostOk ? 'NOT_FOUND' : 'FORBIDDEN', message: 'Not here' } }));
    }
    handler(req, res, url).catch((e) => {
      console.error('[proofpack] api request failed', e);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const bound = await listenOn(server, opts.port, host);
  port = bound.port;
  return {
    url: `http://${host}:${port}/api/v1/`,
    port,
    close: bound.close,
  };
}
