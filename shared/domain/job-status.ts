import type { JobSnapshot } from './types';

/** A job that will change no more: done, failed or cancelled. */
export const isFinished = (s: Pick<JobSnapshot, 'status'>) =>
  s.status === 'done' || s.status === 'failed' || s.status === 'cancelled';
