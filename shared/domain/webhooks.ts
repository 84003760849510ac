/** Events a webhook can subscribe to (public contract: names never change). */
export const WEBHOOK_EVENTS = [
  'evidence.saved',
  'evidence.check-failed',
  'order.recorded',
  'case.deadline-near',
  'case.status-changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (s: string): s is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(s);

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookInfo {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

export interface DeliveryInfo {
  id: string;
  webhookId: string;
  url: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Signature headers (documented in the README). */
export const SIGNATURE_HEADER = 'x-proofpack-signature';
export const TIMESTAMP_HEADER = 'x-proofpack-timestamp';
export const EVENT_HEADER = 'x-proofpack-event';
export const DELIVERY_HEADER = 'x-proofpack-delivery';
