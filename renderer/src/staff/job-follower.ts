import type { JobSnapshot } from '../../../shared/domain/types';

/** how often `jobs.list` is asked while a job is under way and a screen listens */
export const JOB_POLL_MS = 700;
/** a job id a call returned but `jobs.list` does not show yet is looked for this many times */
const LOOK_FOR_NEW = 40;

const underWay = (j: JobSnapshot) => j.status === 'queued' || j.status === 'running';

/**
 * The hub has no event stream for browsers, so the station screens' `job.update` events are
 * made here from `jobs.list`: asked every 700 ms while a screen listens and a job is queued
 * or running (or a call just started one), each snapshot that differs from the last one seen
 * is emitted — as the station's core emits a snapshot at each change. Any `jobs.list` answer
 * (a screen's own too) is looked at, so a page opened while a job runs follows it.
 */
export class JobFollower {
  private readonly seen = new Map<string, string>();
  /** ids a call returned, with the looks left before giving up on seeing them listed */
  private readonly expected = new Map<string, number>();
  private listeners = 0;
  private running = false;
  private failures = 0;
  /** one question at a time: a screen's own jobs.list meanwhile must not start a second */
  private asking = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly list: () => Promise<JobSnapshot[] | null>,
    private readonly emit: (job: JobSnapshot) => void,
  ) {}

  /** a screen subscribed to job.update; the returned function unsubscribes it */
  listen(): () => void {
    this.listeners++;
    this.schedule();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.listeners--;
      if (this.listeners === 0) this.stop();
    };
  }

  /** a call started or changed this job: follow it until it ends */
  follow(jobId: string): void {
    this.expected.set(jobId, LOOK_FOR_NEW);
    this.schedule();
  }

  /**
   * Snapshots from any answer: emits what changed. `whole`: the hub's full list (jobs.list),
   * which also says whether anything is still under way; else one job (jobs.cancel, jobs.retry).
   */
  observe(jobs: JobSnapshot[], whole: boolean): void {
    for (const j of jobs) {
      if (!underWay(j)) this.expected.delete(j.id);
      const text = JSON.stringify(j);
      if (this.seen.get(j.id) === text) continue;
      this.seen.set(j.id, text);
      this.emit(j);
    }
    if (whole) this.running = jobs.some(underWay);
    else if (jobs.some(underWay)) this.running = true;
    this.schedule();
  }

  private wanted(): boolean {
    return this.listeners > 0 && (this.running || this.expected.size > 0);
  }

  private schedule(): void {
    if (this.timer || this.asking || !this.wanted()) return;
    // the hub not answering (restart, network): ask less often, back to 700 ms once it answers
    const delay = Math.min(JOB_POLL_MS * 2 ** this.failures, 10_000);
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (!this.wanted()) return;
    this.asking = true;
    const jobs = await this.list().finally(() => (this.asking = false));
    this.failures = jobs ? 0 : this.failures + 1;
    // a job the hub does not list (yet, or ever) is not waited for forever
    for (const [id, left] of this.expected)
      if (!jobs?.some((j) => j.id === id)) {
        if (left <= 1) this.expected.delete(id);
        else this.expected.set(id, left - 1);
      }
    if (jobs) this.observe(jobs, true);
    else this.schedule();
  }
}
