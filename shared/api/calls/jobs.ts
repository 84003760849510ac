import { z } from 'zod';
import { call } from '../define';
import type { JobSnapshot } from '../../domain/types';

const id = z.string().min(1).max(100);

export const jobCalls = {
  'jobs.list': call<JobSnapshot[]>()(z.object({}).strict()),
  'jobs.cancel': call<JobSnapshot>()(z.object({ id }).strict()),
  'jobs.retry': call<JobSnapshot>()(z.object({ id }).strict()),
};
