import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeFor } from '../core/storage/media-access';
import { CSP } from './security';

/** Where the built renderer is: out/renderer beside out/main (Electron) or the checkout's (CLI through tsx). */
export const defaultRendererDir = () => path.resolve(__dirname, '..', '..', 'out', 'renderer');

export const isStaffAppPath = (pathname: string) =>
  pathname === '/' || pathname === '/index.html' || pathname.startsWith('/assets/');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.otf': 'font/otf',
};

/**
 * The staff app for browsers on the LAN and phones (`renderer/staff.html`): the page and its
 * built assets, nothing else from the renderer folder. The page itself holds no data: it signs
 * in over `/staff/v1` and every answer there is checked for role and shops.
 */
export function staffAppHandler(rendererDir: string) {
  const root = path.resolve(rendererDir);
  return (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    const rel = url.pathname.startsWith('/assets/') ? url.pathname.slice(1) : 'staff.html';
    const abs = path.resolve(root, decodeURIComponent(rel));
    const ok = abs.startsWith(root + path.sep) && fs.existsSync(abs) && fs.statSync(abs).isFile();
    if (!ok) {
      const missing = rel === 'staff.html';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      return void res.end(missing ? 'ProofPack: the staff app is not built here (npm run build).\n' : 'Not found\n');
    }
    const page = abs.endsWith('.html');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(abs).toLowerCase()] ?? contentTypeFor(abs),
      'x-content-type-options': 'nosniff',
      'cache-control': page ? 'no-store' : 'max-age=3600',
      ...(page ? { 'content-security-policy': CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(abs).pipe(res);
  };
}
