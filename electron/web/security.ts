import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'proofpack_token';
export const newToken = () => randomBytes(24).toString('base64url');

function readToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers['x-proofpack-token'];
  if (typeof header === 'string') return header;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const cookie = req.headers.cookie
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === TOKEN_COOKIE);
  if (cookie?.[1]) return decodeURIComponent(cookie[1]);
  return url.searchParams.get('token');
}

export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const given = readToken(req, url);
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Only this machine's own pages may talk to the server: the Host header must name the
 * loopback address (defeats DNS rebinding) and a browser Origin, when sent, must be ours.
 */
export function isLoopbackRequest(req: IncomingMessage, port: number): boolean {
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!req.headers.host || !allowed.has(req.headers.host)) return false;
  const origin = req.headers.origin;
  // "null" is the origin of sandboxed frames and local files: harmless for reading media,
  // never allowed to call the API or open the event socket
  const changes = req.method === 'POST' || req.headers.upgrade !== undefined;
  if (origin === 'null' && changes) return false;
  if (origin && origin !== 'null' && !allowed.has(origin.replace(/^http:\/\//, ''))) return false;
  const remote = req.socket.remoteAddress ?? '';
  return remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
