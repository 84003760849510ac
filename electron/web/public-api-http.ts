import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyLimited } from './read-body';
import { bearerOf, replyJson } from './http-json';
import type { Core } from '../core/core';
import { createPublicApi, type ApiRequest } from '../core/api/public-api';
import { API_V1_PREFIX } from '../../shared/api/v1/routes';

/** Orders come in one at a time; a megabyte holds an order with thousands of items. */
const MAX_BODY = 1024 * 1024;

export const isPublicApiPath = (pathname: string) =>
  pathname === API_V1_PREFIX || pathname.startsWith(`${API_V1_PREFIX}/`);

/**
 * `/api/v1/*` on a node:http server: bearer token, JSON in, JSON out. The loopback server
 * mounts it for the station; any other server (a hub on the LAN) can mount the same.
 */
export function publicApiHttpHandler(getCore: () => Core) {
  const api = createPublicApi(getCore);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const bearer = bearerOf(req);
    let body: ApiRequest['body'] = 'none';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const raw = await readBodyLimited(req, MAX_BODY);
      if (raw === null)
        return replyJson(res, 413, {
          error: { code: 'INVALID_INPUT', message: 'Request too large', problem: 'request-too-large' },
        });
      if (raw.length) {
        try {
          body = { json: JSON.parse(raw.toString('utf8')) };
        } catch {
          body = 'invalid';
        }
      }
    }
    const out = await api.handle({
      method: req.method ?? 'GET',
      path: url.pathname.slice(API_V1_PREFIX.length) || '/',
      bearer,
      body,
    });
    replyJson(res, out.status, out.body);
  };
}
