import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../../shared/api/result';
import type { Db } from '../core/db/db';
import type { HubMedia } from '../core/hub/hub-media';
import type { HubThumbs } from '../core/hub/hub-thumbs';
import { openShareToken, recordShareOpen } from '../core/hub/share-links';
import { sendHubFile, sendLocalFile, sendOrderZip, sendThumb } from './hub-media-reply';
import { OncePerWindow } from './once-per-window';
import { pageLang, renderShareEnded, renderSharePage } from './share-page';

export const isSharePath = (pathname: string) => pathname.startsWith('/s/');

const PAGE = /^\/s\/([^/]+)$/;
/** `f`: a file; `t`: its thumbnail (a video's poster on the page) */
/** every file of the order in one zip (links with download only) */
const ZIP = /^\/s\/([^/]+)\/zip$/;
const FILE = /^\/s\/([^/]+)\/(f|t)\/([^/]+)\/([^/]+)$/;

/** Nothing cached, sniffed, framed, indexed, or leaked in a Referer (the URL is the secret). */
function headers(nonce: string | null): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex, nofollow',
    'content-security-policy': [
      "default-src 'none'",
      "media-src 'self'",
      "img-src 'self'",
      nonce ? `style-src 'nonce-${nonce}'` : '',
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]
      .filter(Boolean)
      .join('; '),
  };
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
};

/**
 * `/s/<token>`: a share link's page for anyone holding it (a platform agent, a buyer, a
 * client), no account needed; `/s/<token>/f/<station>/<evidence>` its files, with HTTP
 * Range; `/s/<token>/t/…` their thumbnails; `/s/<token>/zip` all of them at once. A link
 * that never was answers 404, one expired or revoked 410, each with a page that says so
 * and nothing else. Each page opening and download is recorded.
 */
export function sharePageHandler(getDb: () => Db, media: HubMedia, thumbs: HubThumbs, clock?: () => Date) {
  const once = new OncePerWindow();
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const nonce = randomBytes(16).toString('base64');
    const lang = pageLang(req.headers['accept-language']);
    const html = (status: number, body: string) =>
      void res.writeHead(status, { ...headers(nonce), 'content-type': 'text/html; charset=utf-8' }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    const page = PAGE.exec(url.pathname);
    const zip = page ? null : ZIP.exec(url.pathname);
    const file = page || zip ? null : FILE.exec(url.pathname);
    const token = decode((page ?? zip ?? file)?.[1] ?? '');
    const now = clock?.() ?? new Date();
    const db = getDb();
    let opened: Awaited<ReturnType<typeof openShareToken>>;
    try {
      opened = await openShareToken(db, token, now);
    } catch (e) {
      if (!isAppError(e)) throw e;
      const problem = (e.details as { problem?: string } | undefined)?.problem ?? 'no-such-share';
      return html(e.code === 'GONE' ? 410 : 404, renderShareEnded(lang, nonce, problem));
    }
    const { link, files, packet } = opened;
    const who = { address: req.socket.remoteAddress ?? null, agent: req.headers['user-agent'] ?? null };
    if (page) {
      if (req.method === 'GET') await recordShareOpen(db, link, { what: 'page', ...who }, now);
      return html(
        200,
        renderSharePage({
          lang,
          nonce,
          orderNo: link.order_no,
          expiresAt: link.expires_at,
          download: !!link.allow_download,
          files,
          packet: !!packet,
          base: `/s/${encodeURIComponent(token)}`,
        }),
      );
    }
    if (zip) {
      if (!link.allow_download) return html(403, renderShareEnded(lang, nonce, 'share-view-only'));
      if (!files.length) return html(404, renderShareEnded(lang, nonce, 'share-file-missing'));
      if (req.method === 'HEAD') return void res.writeHead(200, headers(null)).end();
      const recorded = () => recordShareOpen(db, link, { what: 'download', ...who }, now);
      // a packet's link gives the packet's own zip: statement, summary PDF and checksums with the files
      if (packet?.zipLocation) {
        // kept in the hub's store: any hub process reads it there
        const file = { location: packet.zipLocation, fileName: `${packet.name}.zip` };
        if ((await media.sizeOf(file.location)) === null)
          return html(404, renderShareEnded(lang, nonce, 'share-file-missing'));
        await recorded();
        await sendHubFile(req, res, media, file, { download: true, headers: headers(null) });
        return;
      }
      if (packet) {
        if (!packet.zip || !fs.existsSync(packet.zip))
          return html(404, renderShareEnded(lang, nonce, 'share-file-missing'));
        await recorded();
        await sendLocalFile(req, res, packet.zip, { download: true, headers: headers(null) });
        return;
      }
      if (!(await sendOrderZip(res, media, link.order_no, files, headers(null), recorded)))
        html(404, renderShareEnded(lang, nonce, 'share-file-missing'));
      return;
    }
    const [stationId, evidenceId] = [decode(file?.[3] ?? ''), decode(file?.[4] ?? '')];
    const wanted = files.find((f) => f.stationId === stationId && f.evidenceId === evidenceId);
    if (file?.[2] === 't') {
      const made = wanted && (await thumbs.of(wanted));
      if (!made || !(await sendThumb(res, media, made, headers(null))))
        return html(404, renderShareEnded(lang, nonce, 'no-such-file'));
      return;
    }
    const download = url.searchParams.get('download') === '1';
    if (!wanted || (download && !link.allow_download))
      return html(wanted ? 403 : 404, renderShareEnded(lang, nonce, wanted ? 'share-view-only' : 'no-such-share'));
    // a download is one opening, however many ranges the browser fetches it in
    if (download && req.method === 'GET' && once.first(`${link.id} ${stationId}/${evidenceId}`, now.getTime()))
      await recordShareOpen(db, link, { what: 'download', evidenceId, ...who }, now);
    const sent = await sendHubFile(req, res, media, wanted, { download, headers: headers(null) });
    if (!sent) html(404, renderShareEnded(lang, nonce, 'share-file-missing'));
  };
}
