import type { Id, JobSnapshot } from '../domain/types';
import type { ScaleState } from '../domain/scale/weights';

/** Events pushed from the core to every connected UI. */
export interface ApiEvents {
  'job.update': JobSnapshot;
  'evidence.changed': { orderId: Id; evidenceId: Id | null };
  /** a user-facing notice (recovered recording, low disk …); message keys are i18n keys */
  /** an order's status now stops packing (refund requested, cancelled): a station recording it stops */
  'order.intercepted': { orderId: Id; orderNo: string; status: string };
  /** the station's scale: connection and the current weight (sent when either changes) */
  'scale.state': ScaleState;
  notice: { level: 'info' | 'warn' | 'error'; code: string; params?: Record<string, string | number> };
}

export type EventName = keyof ApiEvents;
export const EVENT_NAMES: EventName[] = [
  'job.update',
  'evidence.changed',
  'order.intercepted',
  'scale.state',
  'notice',
];
