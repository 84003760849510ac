import { WEBHOOK_EVENTS, isWebhookEvent, type WebhookEvent } from '../../shared/domain/webhooks';
import { formatLocalTime } from '../../shared/domain/cases';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { asCliError, cliLang, cliT, positiveInt, required } from './cli-support';
import { withCore } from './open-core';
import {
  addWebhook,
  listWebhooks,
  recentDeliveries,
  removeWebhook,
  retryDelivery,
} from '../core/webhooks/webhook-repo';

export const webhookAddCommand: Command = {
  summary: 'Add a webhook (signed POSTs of the chosen events, retried until delivered)',
  usage: `Usage: proofpack webhook add --data-dir DIR --url URL --events E1,E2 [--json]

Events: ${WEBHOOK_EVENTS.join(', ')}
Prints the webhook's signing secret once. See the README for the signature headers.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const url = required(values, 'url', lang0);
    const names = required(values, 'events', lang0)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (!names.length || !names.every(isWebhookEvent))
      throw new UsageError(cliT(lang0)('cli.webhook.badEvents', { events: WEBHOOK_EVENTS.join(', ') }));
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      let hook: Awaited<ReturnType<typeof addWebhook>>;
      try {
        hook = await addWebhook(core.ctx.db, { url, events: names as WebhookEvent[] });
      } catch (e) {
        asCliError(e);
      }
      if (values.json) console.log(JSON.stringify(hook, null, 2));
      else {
        console.log(t('cli.webhook.added', { id: hook.id, url: hook.url, events: hook.events.join(', ') }));
        console.log(t('cli.webhook.secret', { secret: hook.secret }));
      }
      return 0;
    });
  },
};

export const webhookListCommand: Command = {
  summary: 'List webhooks and their recent deliveries (status, attempts, next retry)',
  usage: `Usage: proofpack webhook list --data-dir DIR [--limit N] [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    const limit = values.limit ? Math.min(1000, positiveInt(values.limit, '--limit', cliLang())) : 20;
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const [webhooks, deliveries] = await Promise.all([
        listWebhooks(core.ctx.db),
        recentDeliveries(core.ctx.db, limit),
      ]);
      if (values.json) {
        console.log(JSON.stringify({ webhooks, deliveries }, null, 2));
        return 0;
      }
      if (!webhooks.length) console.log(t('cli.webhook.none'));
      for (const w of webhooks) console.log(`${w.id}  ${w.url}  [${w.events.join(', ')}]`);
      if (deliveries.length) {
        console.log(t('cli.webhook.deliveries'));
        for (const d of deliveries) {
          const when = d.lastAttemptAt ? formatLocalTime(d.lastAttemptAt) : '—';
          const next = d.status === 'pending' && d.nextAttemptAt ? ` → ${formatLocalTime(d.nextAttemptAt)}` : '';
          const why = d.lastError ? ` (${d.lastError})` : '';
          console.log(
            `  ${d.id}  ${d.event.padEnd(22)} ${t(`delivery.${d.status}`)} ×${d.attempts}  ${when}${next}${why}  ${d.url}`,
          );
        }
      }
      return 0;
    });
  },
};

export const webhookRemoveCommand: Command = {
  summary: 'Remove a webhook (its pending deliveries are dropped)',
  usage: `Usage: proofpack webhook remove --data-dir DIR --id ID [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
    });
    const id = required(values, 'id', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const removed = await removeWebhook(core.ctx.db, id);
      if (values.json) console.log(JSON.stringify({ id, removed }));
      else console.log(t(removed ? 'cli.webhook.removed' : 'cli.webhook.noSuch', { id }));
      return removed ? 0 : 1;
    });
  },
};

export const webhookRetryCommand: Command = {
  summary: 'Send a delivery that was given up on again',
  usage: `Usage: proofpack webhook retry --data-dir DIR --delivery ID [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      delivery: { type: 'string' },
      json: { type: 'boolean' },
    });
    const id = required(values, 'delivery', cliLang());
    return withCore(values['data-dir'], async (core) => {
      const t = cliT(cliLang(core.ctx.settings.get().language));
      const queued = await retryDelivery(core.ctx.db, id);
      if (values.json) console.log(JSON.stringify({ id, queued }));
      else console.log(t(queued ? 'cli.webhook.retried' : 'cli.webhook.notFailed', { id }));
      return queued ? 0 : 1;
    });
  },
};
