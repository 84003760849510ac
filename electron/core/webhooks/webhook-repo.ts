import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/result';
import type { DeliveryInfo, WebhookEvent, WebhookInfo } from '../../../shared/domain/webhooks';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { newId } from '../db/ids';
import { inTransaction } from '../db/transaction';

/** Only http(s) URLs with a host; credentials in the URL are refused (they would be shown in lists). */
export function checkWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('INVALID_INPUT', `Not a URL: ${url}`, { problem: 'webhook-url' });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || u.username || u.password)
    throw new AppError('INVALID_INPUT', `A webhook URL is http(s)://host/path without credentials: ${url}`, {
      problem: 'webhook-url',
    });
  return u.toString();
}

/** A new webhook and its signing secret (shown once by `webhook add --json`). */
export async function addWebhook(
  db: Db,
  input: { url: string; events: WebhookEvent[] },
  now = new Date(),
): Promise<WebhookInfo & { secret: string }> {
  const url = checkWebhookUrl(input.url);
  if (!input.events.length)
    throw new AppError('INVALID_INPUT', 'A webhook needs at least one event', { problem: 'webhook-events' });
  const events = [...new Set(input.events)];
  const id = newId();
  const secret = 'whsec_' + randomBytes(32).toString('base64url');
  const at = now.toISOString();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('webhooks')
      .values({
        id,
        url,
        events: JSON.stringify(events),
        secret,
        created_at: at,
        removed_at: null,
        station_id: trx.stationId,
      })
      .execute();
    await appendAudit(
      trx,
      { actor: 'cli', action: 'webhook.added', entity: 'webhook', entityId: id, details: { url, events } },
      now,
    );
  });
  return { id, url, events, createdAt: at, secret };
}

export async function removeWebhook(db: Db, id: string, now = new Date()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const r = await trx
      .updateTable('webhooks')
      .set({ removed_at: now.toISOString() })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return false;
    // nothing more goes out to it
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', next_attempt_at: null, last_error: 'webhook removed' })
      .where('webhook_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    await appendAudit(trx, { actor: 'cli', action: 'webhook.removed', entity: 'webhook', entityId: id }, now);
    return true;
  });
}

export async function listWebhooks(db: Db): Promise<WebhookInfo[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select(['id', 'url', 'events', 'created_at'])
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as WebhookEvent[],
    createdAt: r.created_at,
  }));
}

export async function recentDeliveries(db: Db, limit: number, webhookId?: string): Promise<DeliveryInfo[]> {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select([
      'd.id',
      'd.webhook_id',
      'w.url',
      'd.event',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.response_status',
      'd.last_error',
      'd.created_at',
      'd.delivered_at',
    ]);
  if (webhookId) q = q.where('d.webhook_id', '=', webhookId);
  const rows = await q.orderBy('d.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    url: r.url,
    event: r.event,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    responseStatus: r.response_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  }));
}

/**
 * Writes one delivery per subscribed webhook into the outbox (pass the transaction of the
 * change the event reports, so both commit or neither). The body is fixed here: every
 * retry sends the same bytes, and the event id lets a receiver drop duplicates.
 */
export async function enqueueWebhookEvent(
  db: Db,
  event: WebhookEvent,
  data: Record<string, unknown>,
  now = new Date(),
): Promise<number> {
  const hooks = await db.selectFrom('webhooks').select(['id', 'events']).where('removed_at', 'is', null).execute();
  const targets = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
  if (!targets.length) return 0;
  const at = now.toISOString();
  const body = JSON.stringify({ id: newId(), event, createdAt: at, station: db.stationId, data });
  await db
    .insertInto('webhook_deliveries')
    .values(
      targets.map((h) => ({
        id: newId(),
        webhook_id: h.id,
        event,
        payload: body,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: at,
        last_attempt_at: null,
        response_status: null,
        last_error: null,
        created_at: at,
        delivered_at: null,
        station_id: db.stationId,
      })),
    )
    .execute();
  return targets.length;
}

/**
 * A failed delivery goes out again at the next run: due since it was made, so it is due
 * whatever the clock of the process that sends it (the CLI may mark it, the app sends),
 * and keeps its place in event order.
 */
export async function retryDelivery(db: Db, id: string): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'pending', next_attempt_at: eb.ref('created_at') }))
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
