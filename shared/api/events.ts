import type { Id, JobSnapshot } from '../domain/types';
import type { ScaleState } from '../domain/scale/weights';
import type { Settings } from '../domain/settings';

/** Events pushed from the core to every connected UI. */
export interface ApiEvents {
  'job.update': JobSnapshot;
  'evidence.changed': { orderId: Id; evidenceId: Id | null };
  /** a user-facing notice (recovered recording, low disk …); message keys are i18n keys */
  /** an order's status now stops packing (refund requested, cancelled): a station recording it stops */
  'order.intercepted': { orderId: Id; orderNo: string; status: string };
  /** the station's scale: connection and the current weight (sent when either changes) */
  'scale.state': ScaleState;
  /** settings saved by any window or by the CLI's core: every UI follows */
  'settings.changed': Settings;
  notice: { level: 'info' | 'warn' | 'error'; code: string; params?: Record<string, string | number> };
}

export type EventName = keyof ApiEvents;
export const EVENT_NAMES: EventName[] = [
  'job.update',
  'evidence.changed',
  'order.intercepted',
  'scale.state',
  'settings.changed',
  'notice',
];
