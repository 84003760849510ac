import { AppError, isAppError } from '../../../shared/api/result';
import { isFinished } from '../../../shared/domain/job-status';
import type { JobSnapshot } from '../../../shared/domain/types';
import type { JobContext, JobManager } from './job-manager';

/** A job any process can run: its kind names the handler, its input is plain JSON. */
export type JobHandler = (input: unknown, ctx: JobContext) => Promise<unknown>;

/**
 * Long jobs of the hub (issue 11, scale-out). A job is a kind and a JSON input, never a
 * closure, so that on PostgreSQL any hub process can run it (pg-jobs.ts, on pg-boss) and
 * another takes it over when that process dies. On SQLite there is one hub process, and
 * jobs run in it as every other job does (InProcessJobs, over JobManager).
 */
export interface SharedJobs {
  readonly engine: 'in-process' | 'postgres';
  /** before `start`: what this process can run */
  register(kind: string, handler: JobHandler): void;
  /** begins taking jobs (a process that only queues, like a CLI command, never calls it) */
  start(): Promise<void>;
  enqueue(kind: string, title: string, input: unknown): Promise<string>;
  get(id: string): Promise<JobSnapshot>;
  /** the newest jobs (of one kind) */
  list(kind?: string): Promise<JobSnapshot[]>;
  cancel(id: string): Promise<JobSnapshot>;
  /** a failed or cancelled job again, from the start with the same input: the new job's snapshot */
  retry(id: string): Promise<JobSnapshot>;
  /** resolves with the finished job's snapshot (done, failed or cancelled) */
  wait(id: string, signal?: AbortSignal): Promise<JobSnapshot>;
  close(): Promise<void>;
}

export { isFinished };

/** How a job's error is kept: the code and problem let any UI say why in its language. */
export function jobError(e: unknown, cancelled: boolean): NonNullable<JobSnapshot['error']> {
  return {
    code: cancelled ? 'CANCELLED' : isAppError(e) ? e.code : 'INTERNAL',
    message: (e as Error)?.message ?? String(e),
    ...(isAppError(e) && e.details !== undefined ? { details: e.details } : {}),
  };
}

export const noHandler = (kind: string) =>
  new AppError('INVALID_INPUT', `No job of kind ${kind} here`, { problem: 'no-such-job-kind', kind });

/** SQLite: one process; the job runs here, its snapshot is JobManager's. */
export class InProcessJobs implements SharedJobs {
  readonly engine = 'in-process';
  private readonly handlers = new Map<string, JobHandler>();

  constructor(private readonly jobs: JobManager) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(): Promise<void> {}

  async enqueue(kind: string, title: string, input: unknown): Promise<string> {
    const handler = this.handlers.get(kind);
    if (!handler) throw noHandler(kind);
    // the input crosses JSON as it would to another process: no job relies on shared objects
    const plain: unknown = JSON.parse(JSON.stringify(input ?? null));
    return this.jobs.start({ kind, title, run: (ctx) => handler(plain, ctx) }).id;
  }

  async get(id: string): Promise<JobSnapshot> {
    return this.jobs.get(id);
  }

  async list(kind?: string): Promise<JobSnapshot[]> {
    return this.jobs.list().filter((j) => (kind ? j.kind === kind : this.handlers.has(j.kind)));
  }

  async retry(id: string): Promise<JobSnapshot> {
    return this.jobs.retry(id);
  }

  async cancel(id: string): Promise<JobSnapshot> {
    return this.jobs.cancel(id);
  }

  async wait(id: string): Promise<JobSnapshot> {
    await this.jobs.wait(id).catch(() => undefined);
    return this.jobs.get(id);
  }

  async close(): Promise<void> {
    for (const j of this.jobs.list()) if (this.handlers.has(j.kind) && !isFinished(j)) this.jobs.cancel(j.id);
  }
}
