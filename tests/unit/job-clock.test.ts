import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../electron/core/events';
import { JobManager } from '../../electron/core/jobs/job-manager';
import type { JobContext } from '../../electron/core/jobs/job-manager';
import type { JobSnapshot } from '../../shared/domain/types';

// A job's elapsed time and the throttling of its progress events are durations: they
// must not follow the wall clock when it is set back or forward (NTP sync, the clerk
// fixing the time). Only Date is faked here; the monotonic clock keeps running.
describe('jobs measure time on the monotonic clock', () => {
  afterEach(() => vi.useRealTimers());

  it('a wall clock set back an hour neither makes elapsed time negative nor silences progress', async () => {
    const events = new EventBus();
    const updates: JobSnapshot[] = [];
    events.onAny((e, p) => e === 'job.update' && updates.push(p as JobSnapshot));
    const jobs = new JobManager(events);
    let ctx: JobContext | null = null;
    let finish = () => {};
    const { id, done } = jobs.start({
      kind: 'test',
      title: 'waits for the test',
      run: (c) => {
        ctx = c;
        return new Promise<string>((resolve) => (finish = () => resolve('ok')));
      },
    });
    expect(ctx).not.toBeNull();

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 3_600_000);
    const elapsed = jobs.get(id).elapsedMs!;
    expect(elapsed).toBeGreaterThanOrEqual(0);
    expect(elapsed).toBeLessThan(3_600_000);

    // progress is throttled to one event per 200 ms: once that much real time has passed
    // since the start was announced, the next report goes out at once
    const t0 = performance.now();
    while (performance.now() - t0 < 250) await new Promise((r) => setTimeout(r, 25));
    const before = updates.length;
    ctx!.progress(0.5);
    expect(updates.slice(before).map((u) => u.progress)).toEqual([0.5]);

    finish();
    await expect(done).resolves.toBe('ok');
    expect(jobs.get(id)).toMatchObject({ status: 'done', progress: 1 });
    expect(jobs.get(id).elapsedMs).toBeGreaterThanOrEqual(0);
  });
});
