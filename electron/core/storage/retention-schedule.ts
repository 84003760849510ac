import { AppError } from '../../../shared/api/result';
import type { CoreContext } from '../context';
import { runRetention } from './retention';

const DAY_MS = 24 * 3600_000;

/**
 * The app runs retention once a day (first a few minutes after start, so a station
 * that is switched on every morning still gets its run), as a job the UI can see.
 */
export function startRetentionSchedule(
  ctx: CoreContext,
  opts: { firstAfterMs?: number; everyMs?: number } = {},
): () => void {
  const run = () => {
    if (!ctx.settings.get().storage.retentionEnabled) return;
    if (ctx.jobs.list().some((j) => j.kind === 'storage.retention' && j.status === 'running')) return;
    startRetentionJob(ctx, 'retention');
  };
  const first = setTimeout(run, opts.firstAfterMs ?? 5 * 60_000);
  const every = setInterval(run, opts.everyMs ?? DAY_MS);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}

export function startRetentionJob(ctx: CoreContext, actor: string) {
  if (ctx.jobs.list().some((j) => j.kind === 'storage.retention' && j.status === 'running')) {
    throw new AppError('BUSY', 'Retention is already running', { problem: 'retention-running' });
  }
  const job = ctx.jobs.start({
    kind: 'storage.retention',
    title: 'Retention: delete footage no case needs',
    run: async (j) => {
      j.progress(null);
      return runRetention(ctx, { dryRun: false, actor });
    },
  });
  return ctx.jobs.get(job.id);
}
