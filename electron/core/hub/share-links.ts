import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import type { HubUser } from '../../../shared/accounts/roles';
import type { ShareLink, ShareOpen } from '../../../shared/hub/share-links';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import type { HubShareLinksTable } from '../db/schema-hub';
import { inTransaction } from '../db/transaction';
import { orderFiles, type OrderFile, type ShopLimit } from './hub-order-files';

/** A link lives 7 days unless its maker says otherwise; never more than 90. */
export const SHARE_DEFAULT_HOURS = 7 * 24;
export const SHARE_MAX_HOURS = 90 * 24;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface MadeShareLink {
  id: string;
  /** the secret part of the URL: shown once, kept only as a SHA-256 */
  token: string;
  expiresAt: string;
}

/** Who acts: a signed-in user, or the hub's CLI (every shop, audited as `cli`). */
export type ShareActor = HubUser | null;
const actorName = (by: ShareActor) => (by ? by.name : 'cli');
const shopsOf = (by: ShareActor): ShopLimit => (by?.shops.length ? by.shops : null);

/**
 * Makes a link to one order's evidence: 256 random bits in the URL (base64url), so a link
 * cannot be guessed, and it shows only what its maker could see. An order with no verified
 * file on the hub (or none of the maker's shops) is refused: the link would show nothing.
 */
export async function createShareLink(
  db: Db,
  input: ({ orderNo: string; packetId?: undefined } | { packetId: string; orderNo?: undefined }) & {
    hours?: number;
    download?: boolean;
  },
  by: ShareActor,
  now = new Date(),
): Promise<MadeShareLink> {
  const hours = input.hours ?? SHARE_DEFAULT_HOURS;
  if (!Number.isFinite(hours) || hours <= 0 || hours > SHARE_MAX_HOURS)
    throw new AppError('INVALID_INPUT', 'A link lasts 1 hour to 90 days', {
      problem: 'share-hours',
      max: SHARE_MAX_HOURS,
    });
  // a shop-limited maker shares only packets of her shops' orders (another's: no hint it exists)
  const packet = input.packetId ? await sharedPacket(db, input.packetId, by?.shops ?? []) : null;
  if (input.packetId && !packet) throw new AppError('NOT_FOUND', 'No such packet', { problem: 'no-such-packet' });
  const orderNo = packet?.orderNo ?? input.orderNo!;
  const files = packetOnly(await orderFiles(db, orderNo, shopsOf(by)), packet);
  if (!files.length)
    throw new AppError('NOT_FOUND', 'No evidence of this order on the hub', {
      problem: 'share-no-evidence',
      orderNo,
    });
  const token = randomBytes(32).toString('base64url');
  const row: HubShareLinksTable = {
    id: newId(),
    token_hash: tokenHash(token),
    order_no: orderNo,
    shops: by?.shops.length ? JSON.stringify(by.shops) : null,
    packet_id: packet?.id ?? null,
    allow_download: input.download ? 1 : 0,
    created_by: by?.id ?? 'cli',
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + Math.round(hours * 3600_000)).toISOString(),
    revoked_at: null,
    revoked_by: null,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto('hub_share_links').values(row).execute();
    await appendAudit(
      trx,
      {
        actor: actorName(by),
        action: 'share.created',
        entity: 'order',
        entityId: orderNo,
        details: {
          link: row.id,
          expiresAt: row.expires_at,
          download: !!input.download,
          files: files.length,
          packet: packet?.id ?? null,
        },
      },
      now,
    );
  });
  return { id: row.id, token, expiresAt: row.expires_at };
}

/** Ends a link now. A shop-limited user may end only the links they made; ending one twice is harmless. */
export async function revokeShareLink(db: Db, id: string, by: ShareActor, now = new Date()): Promise<ShareLink> {
  await inTransaction(db, async (trx) => {
    const link = await trx.selectFrom('hub_share_links').selectAll().where('id', '=', id).executeTakeFirst();
    if (!link || (by?.shops.length && link.created_by !== by.id))
      throw new AppError('NOT_FOUND', 'No such share link', { problem: 'no-such-share' });
    if (link.revoked_at) return;
    await trx
      .updateTable('hub_share_links')
      .set({ revoked_at: now.toISOString(), revoked_by: by?.id ?? 'cli' })
      .where('id', '=', id)
      .execute();
    await appendAudit(
      trx,
      {
        actor: actorName(by),
        action: 'share.revoked',
        entity: 'order',
        entityId: link.order_no,
        details: { link: id },
      },
      now,
    );
  });
  return (await shareLinksWhere(db, (q) => q.where('l.id', '=', id), now))[0]!;
}

/** A packet made on the hub, as a link shows it: its order, its zip and the evidence files in it. */
export interface SharedPacket {
  id: string;
  name: string;
  orderNo: string;
  zip: string | null;
  /** the zip in the hub's store (a packet made for staff on a PostgreSQL hub); null: `zip` on this disk */
  zipLocation: string | null;
  evidenceIds: Set<string>;
}

async function sharedPacket(db: Db, id: string, shops: readonly string[] = []): Promise<SharedPacket | null> {
  const p = await db
    .selectFrom('packets as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .innerJoin('orders as o', 'o.id', 'c.order_id')
    .select(['p.id', 'p.name', 'p.zip_path', 'p.zip_location', 'o.order_no', 'o.shop'])
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (!p || (shops.length && !(p.shop != null && shops.includes(p.shop)))) return null;
  const files = await db.selectFrom('packet_files').select('evidence_id').where('packet_id', '=', id).execute();
  return {
    id: p.id,
    name: p.name,
    orderNo: p.order_no,
    zip: p.zip_path,
    zipLocation: p.zip_location,
    evidenceIds: new Set(files.flatMap((f) => (f.evidence_id ? [f.evidence_id] : []))),
  };
}

/** a packet's link shows the packet's files only (mirrored files keep the station's evidence id) */
const packetOnly = (files: OrderFile[], packet: SharedPacket | null) =>
  packet ? files.filter((f) => packet.evidenceIds.has(f.evidenceId)) : files;

/** An open link's order and the files it shows; NOT_FOUND for a token never made, GONE once expired or revoked. */
export async function openShareToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ link: HubShareLinksTable; files: OrderFile[]; packet: SharedPacket | null }> {
  const link = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await db.selectFrom('hub_share_links').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst()
    : undefined;
  if (!link) throw new AppError('NOT_FOUND', 'No such link', { problem: 'no-such-share' });
  if (link.revoked_at || Date.parse(link.expires_at) <= now.getTime())
    throw new AppError('GONE', 'This link has ended', {
      problem: link.revoked_at ? 'share-revoked' : 'share-expired',
    });
  const shops: ShopLimit = link.shops ? (JSON.parse(link.shops) as string[]) : null;
  // a packet deleted since (its case re-exported elsewhere) leaves the link showing nothing
  const packet = link.packet_id ? await sharedPacket(db, link.packet_id) : null;
  if (link.packet_id && !packet) return { link, files: [], packet: null };
  return { link, files: packetOnly(await orderFiles(db, link.order_no, shops), packet), packet };
}

/** One opening of a link (its page, or a file downloaded): kept on the order and in the audit chain. */
export async function recordShareOpen(
  db: Db,
  link: HubShareLinksTable,
  open: { what: 'page' | 'download'; evidenceId?: string; address: string | null; agent: string | null },
  now = new Date(),
): Promise<void> {
  const agent = open.agent?.slice(0, 300) ?? null;
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('hub_share_opens')
      .values({
        id: newId(),
        link_id: link.id,
        at: now.toISOString(),
        what: open.what,
        evidence_id: open.evidenceId ?? null,
        address: open.address,
        agent,
      })
      .execute();
    await appendAudit(
      trx,
      {
        actor: 'share-link',
        action: open.what === 'page' ? 'share.opened' : 'share.downloaded',
        entity: 'order',
        entityId: link.order_no,
        details: { link: link.id, evidence: open.evidenceId ?? null, address: open.address, agent },
      },
      now,
    );
  });
}

/** An order's links, newest first, each with its openings (a limited user: the links they made). */
export function listShareLinks(db: Db, orderNo: string, by: ShareActor, now = new Date()): Promise<ShareLink[]> {
  return shareLinksWhere(
    db,
    (q) => {
      const mine = q.where('l.order_no', '=', orderNo);
      return by?.shops.length ? mine.where('l.created_by', '=', by.id) : mine;
    },
    now,
  );
}

function baseQuery(db: Db) {
  return db
    .selectFrom('hub_share_links as l')
    .leftJoin('hub_users as u', 'u.id', 'l.created_by')
    .select([
      'l.id',
      'l.order_no',
      'l.packet_id',
      'l.allow_download',
      'l.created_by',
      'u.name as created_by_name',
      'l.created_at',
      'l.expires_at',
      'l.revoked_at',
    ]);
}

async function shareLinksWhere(
  db: Db,
  where: (q: ReturnType<typeof baseQuery>) => ReturnType<typeof baseQuery>,
  now: Date,
): Promise<ShareLink[]> {
  const links = await where(baseQuery(db)).orderBy('l.created_at', 'desc').execute();
  if (!links.length) return [];
  const opens = await db
    .selectFrom('hub_share_opens')
    .select(['link_id', 'at', 'what', 'evidence_id', 'address', 'agent'])
    .where(
      'link_id',
      'in',
      links.map((l) => l.id),
    )
    .orderBy('at')
    .execute();
  return links.map((l) => ({
    id: l.id,
    orderNo: l.order_no,
    packetId: l.packet_id ?? null,
    download: !!l.allow_download,
    createdBy: l.created_by === 'cli' ? 'cli' : (l.created_by_name ?? l.created_by),
    createdAt: l.created_at,
    expiresAt: l.expires_at,
    revokedAt: l.revoked_at,
    state: l.revoked_at ? 'revoked' : Date.parse(l.expires_at) <= now.getTime() ? 'expired' : 'active',
    opens: opens
      .filter((o) => o.link_id === l.id)
      .map((o): ShareOpen => ({
        at: o.at,
        what: o.what === 'download' ? 'download' : 'page',
        evidenceId: o.evidence_id,
        address: o.address,
        agent: o.agent,
      })),
  }));
}
