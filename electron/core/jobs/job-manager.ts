import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../../shared/api/result';
import type { JobSnapshot } from '../../../shared/domain/types';
import type { EventBus } from '../events';

export interface JobContext {
  signal: AbortSignal;
  /** ratio 0..1 (null: unknown); throttled before it reaches the UI */
  progress(ratio: number | null): void;
}

export interface JobSpec<T> {
  kind: string;
  title: string;
  run(ctx: JobContext): Promise<T>;
}

interface JobEntry {
  spec: JobSpec<unknown>;
  snapshot: JobSnapshot;
  abort: AbortController;
  /** monotonic ms (performance.now): elapsed time and throttling survive wall-clock changes */
  startedMs: number;
  lastEmit: number;
  done: Promise<unknown>;
}

/**
 * Every long piece of work (fix, export, move) is a job: an id, a status, progress
 * events, cancel by id, retry. The UI only ever sees plain snapshots, so jobs survive a
 * UI reload: the UI asks `jobs.list` again and keeps listening.
 */
export class JobManager {
  private jobs = new Map<string, JobEntry>();

  constructor(private events: EventBus) {}

  start<T>(spec: JobSpec<T>): { id: string; done: Promise<T> } {
    const id = randomUUID();
    const entry = this.launch(id, spec as JobSpec<unknown>);
    return { id, done: entry.done as Promise<T> };
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((j) => this.refresh(j));
  }

  get(id: string): JobSnapshot {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `No job ${id}`, { problem: 'no-such-job' });
    return this.refresh(job);
  }

  /** resolves with the job's result, rejects with its error */
  wait(id: string): Promise<unknown> {
    const job = this.jobs.get(id);
    if (!job) return Promise.reject(new AppError('NOT_FOUND', `No job ${id}`, { problem: 'no-such-job' }));
    return job.done;
  }

  cancel(id: string): JobSnapshot {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `No job ${id}`, { problem: 'no-such-job' });
    if (job.snapshot.status === 'running' || job.snapshot.status === 'queued') job.abort.abort();
    return this.refresh(job);
  }

  retry(id: string): JobSnapshot {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `No job ${id}`, { problem: 'no-such-job' });
    if (job.snapshot.status !== 'failed' && job.snapshot.status !== 'cancelled') {
      throw new AppError('CONFLICT', 'Only a failed or cancelled job can be retried', { problem: 'job-not-retryable' });
    }
    return this.launch(id, job.spec).snapshot;
  }

  /** cancel everything (app shutdown) */
  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.snapshot.status === 'running') j.abort.abort();
  }

  private launch(id: string, spec: JobSpec<unknown>): JobEntry {
    const abort = new AbortController();
    const entry: JobEntry = {
      spec,
      abort,
      startedMs: performance.now(),
      lastEmit: -Infinity,
      done: Promise.resolve(),
      snapshot: {
        id,
        kind: spec.kind,
        title: spec.title,
        status: 'running',
        progress: 0,
        startedAt: new Date().toISOString(),
        elapsedMs: 0,
        error: null,
        result: null,
        retryable: false,
      },
    };
    this.jobs.set(id, entry);
    this.emit(entry, true);
    const ctx: JobContext = {
      signal: abort.signal,
      progress: (ratio) => {
        entry.snapshot.progress = ratio;
        this.emit(entry, false);
      },
    };
    entry.done = (async () => {
      try {
        const result = await spec.run(ctx);
        if (abort.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
        Object.assign(entry.snapshot, { status: 'done', progress: 1, result });
        return result;
      } catch (e) {
        const cancelled = abort.signal.aborted || (isAppError(e) && e.code === 'CANCELLED');
        Object.assign(entry.snapshot, {
          status: cancelled ? 'cancelled' : 'failed',
          error: {
            code: cancelled ? 'CANCELLED' : isAppError(e) ? e.code : 'INTERNAL',
            message: (e as Error).message,
            // the problem code and its fields let the UI say why in the user's language
            ...(isAppError(e) && e.details !== undefined ? { details: e.details } : {}),
          },
          retryable: true,
        });
        throw e;
      } finally {
        entry.snapshot.elapsedMs = Math.round(performance.now() - entry.startedMs);
        this.emit(entry, true);
      }
    })();
    entry.done.catch(() => undefined); // observed through events; avoid unhandled rejections
    return entry;
  }

  private refresh(job: JobEntry): JobSnapshot {
    if (job.snapshot.status === 'running') job.snapshot.elapsedMs = Math.round(performance.now() - job.startedMs);
    return { ...job.snapshot };
  }

  private emit(job: JobEntry, force: boolean) {
    const now = performance.now();
    if (!force && now - job.lastEmit < 200) return;
    job.lastEmit = now;
    this.events.emit('job.update', this.refresh(job));
  }
}
