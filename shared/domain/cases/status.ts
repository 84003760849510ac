import type { CaseStatus } from './types';

/**
 * The case status machine: draft → ready → exported → submitted → won | lost.
 * - draft ⇄ ready follows the checklist (all required evidence present and passing);
 * - exported is set by a packet export;
 * - submitted, won and lost are set by staff; an outcome can be corrected by going back
 *   to submitted, and a submission mark undone back to exported.
 */
const MANUAL: Record<CaseStatus, CaseStatus[]> = {
  draft: [],
  ready: [],
  exported: ['submitted'],
  submitted: ['won', 'lost', 'exported'],
  won: ['submitted'],
  lost: ['submitted'],
};

export const canSetStatus = (from: CaseStatus, to: CaseStatus): boolean => MANUAL[from].includes(to);
export const manualNextStatuses = (from: CaseStatus): CaseStatus[] => MANUAL[from];

/** draft/ready as the checklist dictates; later statuses are never changed by evidence. */
export function statusForChecklist(current: CaseStatus, complete: boolean): CaseStatus {
  if (current === 'draft' && complete) return 'ready';
  if (current === 'ready' && !complete) return 'draft';
  return current;
}

/**
 * A packet can be (re-)exported at any time once the checklist is complete (or staff
 * export an incomplete one on purpose); only draft/ready move on to exported.
 */
export const statusAfterExport = (current: CaseStatus): CaseStatus =>
  current === 'draft' || current === 'ready' ? 'exported' : current;

export const isClosed = (s: CaseStatus) => s === 'won' || s === 'lost';
