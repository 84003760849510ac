import type { WebhookEvent } from '../../../shared/domain/webhooks';
import type { Evidence } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import type { Db } from '../db/db';
import { fileFacts } from '../evidence/file-facts';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher';
import { enqueueWebhookEvent } from './webhook-repo';

export interface Webhooks {
  /**
   * Queue an event for every webhook subscribed to it. Given the transaction of the change
   * it reports, the delivery commits with it; call `wake()` after the commit then.
   */
  publish(event: WebhookEvent, data: Record<string, unknown>, trx?: Db): Promise<void>;
  /** send what is due now (after a transaction that queued events committed) */
  wake(): void;
  dispatcher: WebhookDispatcher;
  stop(): Promise<void>;
}

/**
 * The core's webhook side: events are written to the outbox (durable) and the dispatcher
 * sends them. Only the app (electron/web modes) sends; a CLI command queues, and the app
 * picks its rows up at its next run (it polls at least once a minute).
 */
export function createWebhooks(ctx: CoreContext, opts: DispatcherOptions & { sending?: boolean } = {}): Webhooks {
  const now = opts.now ?? (() => new Date());
  const dispatcher = new WebhookDispatcher(() => ctx.db, opts);
  const sending = opts.sending !== false;
  const wake = () => {
    if (sending) void dispatcher.wake();
  };
  const publish = async (event: WebhookEvent, data: Record<string, unknown>, trx?: Db) => {
    const queued = await enqueueWebhookEvent(trx ?? ctx.db, event, data, now());
    if (queued && !trx) wake();
  };
  const safely = (p: Promise<void>) => p.catch((e) => console.error('[proofpack] webhook event not queued', e));

  ctx.onEvidenceAdded.push(async (e: Evidence) => {
    const order = await ctx.db
      .selectFrom('orders')
      .select(['order_no', 'tracking_no'])
      .where('id', '=', e.orderId)
      .executeTakeFirst();
    const orderNo = order?.order_no ?? null;
    await safely(
      publish('evidence.saved', {
        evidenceId: e.id,
        orderId: e.orderId,
        orderNo,
        ...fileFacts(e),
      }),
    );
    if (e.kind === 'video' && (e.origin === 'recorded' || e.origin === 'recovered')) {
      await safely(
        publish('order.recorded', {
          orderId: e.orderId,
          orderNo,
          trackingNo: order?.tracking_no ?? null,
          mode: e.mode,
          evidenceId: e.id,
          durationMs: e.durationMs,
          station: e.station,
          operator: e.operator,
          recordedAt: e.capturedAt,
        }),
      );
    }
  });
  if (sending) wake(); // what a previous run or a CLI command left in the outbox
  return { publish, wake, dispatcher, stop: () => dispatcher.stop() };
}
