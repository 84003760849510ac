import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppError } from '../../shared/api/result';
import type { Role } from '../../shared/accounts/roles';
import { sharePath } from '../../shared/hub/share-links';
import { appendAudit } from '../core/audit/audit-log';
import type { Session } from '../core/accounts/sessions';
import type { Db } from '../core/db/db';
import type { HubMedia } from '../core/hub/hub-media';
import type { HubThumbs } from '../core/hub/hub-thumbs';
import { orderFiles, visibleFile, type OrderFile } from '../core/hub/hub-order-files';
import { searchHubOrders } from '../core/hub/hub-search';
import { createShareLink, listShareLinks, revokeShareLink, SHARE_MAX_HOURS } from '../core/hub/share-links';
import { sendHubFile, sendOrderZip, sendThumb } from './hub-media-reply';
import type { OncePerWindow } from './once-per-window';
import { readBodyLimited } from './read-body';

const RANK: Record<Role, number> = { packer: 0, viewer: 1, clerk: 2, admin: 3 };
const iso = z.string().datetime({ offset: true }).max(40);
const orderNo = z.string().trim().min(1).max(200);
const SearchQuery = z
  .object({
    code: z.string().trim().max(200).optional(),
    station: z.string().max(100).optional(),
    shop: z.string().max(100).optional(),
    operator: z.string().max(64).optional(),
    from: iso.optional(),
    to: iso.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    after: z.string().max(400).optional(),
  })
  .strict();
const After = z.object({ createdAt: z.string().max(40), stationId: z.string().max(100), orderId: z.string().max(100) });
const ShareInput = z.union([
  z
    .object({ orderNo, hours: z.number().positive().max(SHARE_MAX_HOURS).optional(), download: z.boolean().optional() })
    .strict(),
  // a case's packet made on the hub (its page shows the packet's files, its download the packet's zip)
  z
    .object({
      packetId: z.string().uuid(),
      hours: z.number().positive().max(SHARE_MAX_HOURS).optional(),
      download: z.boolean().optional(),
    })
    .strict(),
]);

export interface StaffContext {
  db: Db;
  media: HubMedia;
  thumbs: HubThumbs;
  session: Session;
  /** views and downloads are audited once per person and file in a window, not per range */
  once: OncePerWindow;
  secure: boolean;
  now: Date;
}

function atLeast(session: Session, role: Role, what: string) {
  if (RANK[session.user.role] < RANK[role])
    throw new AppError('FORBIDDEN', `Your role cannot ${what}`, { problem: 'role-forbidden' });
}

/** evidence bytes are never a page: not sniffed, framed or run */
const FILE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

const bad = (message: string) => new AppError('INVALID_INPUT', message, { problem: 'search-input' });
/** What staff see of a file: where the store keeps it is the hub's business. */
const shown = ({ location: _location, ...rest }: OrderFile) => rest;
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
};

/**
 * What signed-in staff read and do across stations (issue 12). Each route names the least
 * role it needs; the session's shops limit every answer — another shop's order is simply
 * not there (404, the same as one that never was).
 */
export async function staffApiRoute(
  c: StaffContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<{ status: number; body: unknown } | 'sent' | null> {
  const { db, session, now } = c;
  const shops = session.user.shops;
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /staff/v1/orders') {
    atLeast(session, 'viewer', 'search orders');
    const parsed = SearchQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw bad('Unusable search');
    const { station, after, ...q } = parsed.data;
    let cursor: z.infer<typeof After> | undefined;
    if (after) {
      const decoded = After.safeParse(safeJson(Buffer.from(after, 'base64url').toString('utf8')));
      if (!decoded.success) throw bad('Unusable page');
      cursor = decoded.data;
    }
    const page = await searchHubOrders(db, session.user, { ...q, stationId: station, after: cursor });
    const next = page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null;
    return { status: 200, body: { hits: page.hits, next } };
  }
  const files = /^\/staff\/v1\/orders\/([^/]+)\/files$/.exec(url.pathname);
  if (files && req.method === 'GET') {
    atLeast(session, 'viewer', 'see evidence');
    const no = decode(files[1]!);
    const found = await orderFiles(db, no, shops);
    if (!found.length) throw new AppError('NOT_FOUND', 'No such order', { problem: 'hub-no-such-order' });
    return { status: 200, body: { orderNo: no, files: found.map(shown) } };
  }
  const zip = /^\/staff\/v1\/orders\/([^/]+)\/zip$/.exec(url.pathname);
  if (zip && req.method === 'GET') {
    atLeast(session, 'viewer', 'download evidence');
    const no = decode(zip[1]!);
    const found = await orderFiles(db, no, shops);
    if (!found.length) throw new AppError('NOT_FOUND', 'No such order', { problem: 'hub-no-such-order' });
    const audited = () =>
      appendAudit(
        db,
        {
          actor: session.user.name,
          action: 'order.downloaded',
          entity: 'order',
          entityId: no,
          details: { files: found.length, address: req.socket.remoteAddress ?? null },
        },
        now,
      );
    if (!(await sendOrderZip(res, c.media, no, found, { ...FILE_HEADERS, 'cache-control': 'no-store' }, audited)))
      throw new AppError('NOT_FOUND', 'A file is missing from the store', { problem: 'share-file-missing' });
    return 'sent';
  }
  const media = /^\/staff\/v1\/media\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (media && (req.method === 'GET' || req.method === 'HEAD')) {
    atLeast(session, 'viewer', 'play evidence');
    const file = await visibleFile(db, decode(media[1]!), decode(media[2]!), shops);
    if (!file) throw new AppError('NOT_FOUND', 'No such file', { problem: 'no-such-file' });
    const download = url.searchParams.get('download') === '1';
    const action = download ? 'evidence.downloaded' : 'evidence.viewed';
    if (
      req.method === 'GET' &&
      c.once.first(`${session.user.id} ${action} ${file.stationId}/${file.evidenceId}`, now.getTime())
    )
      await appendAudit(
        db,
        {
          actor: session.user.name,
          action,
          entity: 'evidence',
          entityId: file.evidenceId,
          details: { station: file.stationId, order: file.orderNo, address: req.socket.remoteAddress ?? null },
        },
        now,
      );
    const sent = await sendHubFile(req, res, c.media, file, {
      download,
      headers: { ...FILE_HEADERS, 'cache-control': 'no-store' },
    });
    if (!sent) throw new AppError('NOT_FOUND', 'The file is missing from the store', { problem: 'no-such-file' });
    return 'sent';
  }
  const thumb = /^\/staff\/v1\/thumbs\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (thumb && req.method === 'GET') {
    atLeast(session, 'viewer', 'see evidence');
    const file = await visibleFile(db, decode(thumb[1]!), decode(thumb[2]!), shops);
    const made = file && (await c.thumbs.of(file));
    // a thumbnail is named by its file, which never changes: the browser keeps it for a day
    const headers = { ...FILE_HEADERS, 'cache-control': 'private, max-age=86400' };
    if (!made || !(await sendThumb(res, c.media, made, headers)))
      throw new AppError('NOT_FOUND', 'No picture of this file (yet)', { problem: 'no-such-file' });
    return 'sent';
  }
  if (route === 'GET /staff/v1/shares') {
    atLeast(session, 'clerk', 'share evidence');
    const no = orderNo.safeParse(url.searchParams.get('order') ?? '');
    if (!no.success) throw bad('Which order?');
    return { status: 200, body: { links: await listShareLinks(db, no.data, session.user, now) } };
  }
  if (route === 'POST /staff/v1/shares') {
    atLeast(session, 'clerk', 'share evidence');
    const raw = await readBodyLimited(req, 8 * 1024);
    const input = ShareInput.safeParse(raw ? safeJson(raw.toString('utf8')) : null);
    if (!input.success)
      throw new AppError('INVALID_INPUT', 'Order and hours', { problem: 'share-hours', max: SHARE_MAX_HOURS });
    const made = await createShareLink(db, input.data, session.user, now);
    const url = `${c.secure ? 'https' : 'http'}://${req.headers.host}${sharePath(made.token)}`;
    return { status: 201, body: { id: made.id, url, expiresAt: made.expiresAt } };
  }
  const revoke = /^\/staff\/v1\/shares\/([^/]+)\/revoke$/.exec(url.pathname);
  if (revoke && req.method === 'POST') {
    atLeast(session, 'clerk', 'end share links');
    return { status: 200, body: await revokeShareLink(db, decode(revoke[1]!), session.user, now) };
  }
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
