import http from 'node:http';
import path from 'node:path';
import { HubMediaFolder } from '../core/hub/hub-media-folder';
import type { Core } from '../core/core';
import { hubHttpHandler, isHubPath } from './hub-http';
import { listenOn } from './http-json';
import { isPublicApiPath, publicApiHttpHandler } from './public-api-http';

export interface HubServer {
  url: string;
  port: number;
  mediaRoot: string;
  close(): Promise<void>;
}

/**
 * The hub on the LAN: stations call `/hub/v1/*` with their credential, and the order API
 * (`/api/v1/*`, issue 14) is served here for every station's orders. Programs only: a
 * request from a browser page (it carries an Origin) is refused, so no web page a clerk
 * opens can call the hub behind their back.
 */
export async function startHubServer(opts: {
  core: Core;
  host: string;
  port: number;
  /** where verified evidence is kept; default `<data folder>/hub-media` */
  mediaDir?: string;
  /** tests fix "now" (pairing codes expire) */
  clock?: () => Date;
}): Promise<HubServer> {
  const media = new HubMediaFolder(opts.mediaDir ?? path.join(opts.core.ctx.paths.root, 'hub-media'));
  await media.ensure();
  const hub = hubHttpHandler(() => opts.core.ctx.db, media, opts.clock);
  const api = publicApiHttpHandler(() => opts.core);
  let port = opts.port;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const handler = isHubPath(url.pathname) ? hub : isPublicApiPath(url.pathname) ? api : null;
    if (req.headers.origin || !handler) {
      res.writeHead(req.headers.origin ? 403 : 404, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ error: { code: req.headers.origin ? 'FORBIDDEN' : 'NOT_FOUND', message: 'Not here' } }),
      );
    }
    handler(req, res, url).catch((e) => {
      console.error('[proofpack] hub request failed', e);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const bound = await listenOn(server, opts.port, opts.host);
  port = bound.port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    mediaRoot: media.root,
    close: bound.close,
  };
}
