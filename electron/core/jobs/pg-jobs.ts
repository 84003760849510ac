import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { PgBoss as PgBossType, Job } from 'pg-boss';
import { AppError } from '../../../shared/api/result';
import type { JobSnapshot } from '../../../shared/domain/types';
import type { Db } from '../db/db';
import type { SharedJobsTable } from '../db/schema-hub';
import { isFinished, jobError, noHandler, type JobHandler, type SharedJobs } from './shared-jobs';

/** Cancel requests and updates between processes: `cancel:<id>` / `update:<id>`. */
const CHANNEL = 'proofpack_jobs';
const PROGRESS_EVERY_MS = 500;

export interface PgJobsOptions {
  /** a job whose process sends no heartbeat for this long is given to another (pg-boss: ≥ 10) */
  heartbeatSeconds?: number;
  /** how often pg-boss looks for such jobs */
  superviseIntervalSeconds?: number;
  /** how many jobs this process runs at once, per kind */
  concurrency?: number;
  /** every change of a job this process sees (its own, and others' through NOTIFY) */
  onUpdate?: (s: JobSnapshot) => void;
}

/**
 * Jobs queued in PostgreSQL with pg-boss, run by whichever hub process takes them. pg-boss
 * owns the queue: claiming (SKIP LOCKED), heartbeats, handing the job of a process that
 * stopped beating to another. `shared_jobs` holds what people see: title, status, progress,
 * result. A job's failure is its result, not a reason to run it again; only a process
 * dying (no heartbeat) makes pg-boss give it to another process, which starts it afresh
 * (every job kind must be safe to run again from the start).
 */
export class PgJobs implements SharedJobs {
  readonly engine = 'postgres';
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<string, AbortController>();
  private boss: PgBossType | null = null;
  private listener: pg.Client | null = null;
  private started = false;

  constructor(
    private readonly db: Db,
    private readonly url: string,
    private readonly opts: PgJobsOptions = {},
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  private async ready(): Promise<PgBossType> {
    if (this.boss) return this.boss;
    const { PgBoss } = await import('pg-boss');
    const boss = new PgBoss({
      connectionString: this.url,
      application_name: 'proofpack-jobs',
      max: 4,
      // how soon a job without heartbeats goes to another process: both timers gate that pass
      superviseIntervalSeconds: this.opts.superviseIntervalSeconds ?? 10,
      monitorIntervalSeconds: this.opts.superviseIntervalSeconds ?? 10,
    });
    boss.on('error', (e: Error) => console.error(`[proofpack] job queue: ${e.message}`));
    await boss.start();
    for (const kind of this.handlers.keys()) {
      await boss.createQueue(queueOf(kind), {
        heartbeatSeconds: this.opts.heartbeatSeconds ?? 30,
        retryLimit: 20, // takeovers only: a failing job is completed with its error
        expireInSeconds: 23 * 3600, // heartbeats, not a deadline, tell a live job from a dead one
      });
    }
    this.boss = boss;
    return boss;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const boss = await this.ready();
    const heartbeat = this.opts.heartbeatSeconds ?? 30;
    for (const kind of this.handlers.keys()) {
      await boss.work<{ jobId: string }>(
        queueOf(kind),
        {
          pollingIntervalSeconds: 1,
          localConcurrency: this.opts.concurrency ?? 1,
          heartbeatRefreshSeconds: Math.max(1, Math.floor(heartbeat / 3)),
        },
        async ([job]) => this.run(kind, job),
      );
    }
    this.listener = new pg.Client({ connectionString: this.url, application_name: 'proofpack-jobs-listen' });
    this.listener.on('error', (e) => console.error(`[proofpack] job listener: ${e.message}`));
    this.listener.on('notification', (n) => {
      const [what, id] = (n.payload ?? '').split(':');
      if (what === 'cancel' && id) this.running.get(id)?.abort();
      if (what === 'update' && id && this.opts.onUpdate) void this.get(id).then(this.opts.onUpdate, () => undefined);
    });
    await this.listener.connect();
    await this.listener.query(`LISTEN ${CHANNEL}`);
  }

  async enqueue(kind: string, title: string, input: unknown): Promise<string> {
    if (!this.handlers.has(kind)) throw noHandler(kind);
    const boss = await this.ready();
    const id = randomUUID();
    await this.db
      .insertInto('shared_jobs')
      .values({
        id,
        kind,
        title,
        input: JSON.stringify(input ?? null),
        status: 'queued',
        progress: 0,
        attempt: 0,
        owner: null,
        cancel_requested: 0,
        error: null,
        result: null,
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
      })
      .execute();
    await boss.send(queueOf(kind), { jobId: id }, { id });
    await this.changed(id);
    return id;
  }

  async get(id: string): Promise<JobSnapshot> {
    const row = await this.db.selectFrom('shared_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `No job ${id}`, { problem: 'no-such-job' });
    return snapshotOf(row);
  }

  async list(kind?: string): Promise<JobSnapshot[]> {
    let q = this.db.selectFrom('shared_jobs').selectAll();
    if (kind) q = q.where('kind', '=', kind);
    const rows = await q.orderBy('created_at', 'desc').limit(200).execute();
    return rows.map(snapshotOf);
  }

  async retry(id: string): Promise<JobSnapshot> {
    const row = await this.db.selectFrom('shared_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `No job ${id}`, { problem: 'no-such-job' });
    if (row.status !== 'failed' && row.status !== 'cancelled')
      throw new AppError('CONFLICT', 'Only a failed or cancelled job can be retried', { problem: 'job-not-retryable' });
    return this.get(await this.enqueue(row.kind, row.title, JSON.parse(row.input) as unknown));
  }

  async cancel(id: string): Promise<JobSnapshot> {
    const before = await this.get(id);
    if (isFinished(before)) return before;
    await this.db.updateTable('shared_jobs').set({ cancel_requested: 1 }).where('id', '=', id).execute();
    // not taken yet: it never starts; taken: the process running it stops it (NOTIFY, or its next progress write)
    const notTaken = await this.db
      .updateTable('shared_jobs')
      .set({ status: 'cancelled', finished_at: new Date().toISOString(), error: JSON.stringify(cancelledError()) })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(notTaken.numUpdatedRows) > 0) await (await this.ready()).cancel(queueOf(before.kind), id);
    await this.notify(`cancel:${id}`);
    await this.changed(id);
    return this.get(id);
  }

  async wait(id: string, signal?: AbortSignal): Promise<JobSnapshot> {
    for (;;) {
      const s = await this.get(id);
      if (isFinished(s)) return s;
      if (signal?.aborted) throw new AppError('CANCELLED', 'Stopped waiting');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async close(): Promise<void> {
    // jobs still running here go back to the queue at once, for another process to run
    for (const abort of this.running.values()) abort.abort();
    await this.boss?.stop({ graceful: true, timeout: 5_000 }).catch(() => undefined);
    this.boss = null;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** One attempt at a job in this process: the row says what people see, pg-boss is told done. */
  private async run(kind: string, job: Job<{ jobId: string }>): Promise<void> {
    const id = job.data.jobId;
    const handler = this.handlers.get(kind);
    const taken = await this.db
      .updateTable('shared_jobs')
      .set((eb) => ({
        status: 'running',
        owner: this.owner,
        attempt: eb('attempt', '+', 1),
        started_at: eb.fn.coalesce('started_at', eb.val(new Date().toISOString())),
      }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .where('cancel_requested', '=', 0)
      .returning(['input'])
      .executeTakeFirst();
    if (!taken || !handler) {
      if (!taken) await this.finish(id, { status: 'cancelled', error: JSON.stringify(cancelledError()) });
      else await this.finish(id, { status: 'failed', error: JSON.stringify(jobError(noHandler(kind), false)) });
      return;
    }
    await this.changed(id);
    const abort = new AbortController();
    this.running.set(id, abort);
    job.signal.addEventListener('abort', () => abort.abort(), { once: true });
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    const progress = (ratio: number | null) => {
      const now = Date.now();
      if (now - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = now;
      // one write at a time, in order; each also reads a cancel asked while no NOTIFY got through
      writing = writing.then(async () => {
        const row = await this.db
          .updateTable('shared_jobs')
          .set({ progress: ratio })
          .where('id', '=', id)
          .returning(['cancel_requested'])
          .executeTakeFirst()
          .catch(() => undefined);
        if (row?.cancel_requested) abort.abort();
        await this.changed(id);
      });
    };
    try {
      const result = await handler(JSON.parse(taken.input), { signal: abort.signal, progress });
      await writing;
      if (abort.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      await this.finish(id, { status: 'done', progress: 1, result: JSON.stringify(result ?? null) });
    } catch (e) {
      await writing;
      const row = await this.db
        .selectFrom('shared_jobs')
        .select('cancel_requested')
        .where('id', '=', id)
        .executeTakeFirst();
      if (abort.signal.aborted && !row?.cancel_requested) throw e; // this process is closing: another takes it
      const cancelled = !!row?.cancel_requested;
      await this.finish(id, {
        status: cancelled ? 'cancelled' : 'failed',
        error: JSON.stringify(jobError(e, cancelled)),
      });
    } finally {
      this.running.delete(id);
    }
  }

  private async finish(id: string, set: Partial<SharedJobsTable>): Promise<void> {
    await this.db
      .updateTable('shared_jobs')
      .set({ ...set, finished_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await this.changed(id);
  }

  private async changed(id: string): Promise<void> {
    // this process's own listeners hear it back through NOTIFY, like every other process's
    if (this.started) await this.notify(`update:${id}`);
    else if (this.opts.onUpdate) this.opts.onUpdate(await this.get(id));
  }

  private async notify(payload: string): Promise<void> {
    await this.db
      .selectNoFrom((eb) => eb.fn<string>('pg_notify', [eb.val(CHANNEL), eb.val(payload)]).as('n'))
      .execute()
      .catch(() => undefined);
  }
}

/** pg-boss queue names: one per kind, apart from anything else in the database. */
const queueOf = (kind: string) => `proofpack.${kind}`;

const cancelledError = () => ({ code: 'CANCELLED', message: 'Cancelled' });

function snapshotOf(row: SharedJobsTable): JobSnapshot {
  const started = row.started_at ?? row.created_at;
  const end = row.finished_at ? Date.parse(row.finished_at) : Date.now();
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    progress: row.progress === null ? null : Number(row.progress),
    startedAt: started,
    elapsedMs: Math.max(0, end - Date.parse(started)),
    error: row.error ? (JSON.parse(row.error) as JobSnapshot['error']) : null,
    result: row.result ? (JSON.parse(row.result) as unknown) : null,
    retryable: row.status === 'failed' || row.status === 'cancelled',
  };
}
