import { translate } from '../../../shared/i18n';
import type { CoreContext } from '../context';
import { PgJobs, type PgJobsOptions } from '../jobs/pg-jobs';
import { InProcessJobs, type SharedJobs } from '../jobs/shared-jobs';
import type { HubMedia } from './hub-media';
import { registerPacketExportJob } from './hub-packets';
import { registerThumbnailJob } from './hub-thumbs';
import { checkHubStore } from './store-check';

export const STORE_CHECK = 'hub.store-check';

/**
 * The hub's long jobs. On PostgreSQL they are queued in the database (pg-boss) and any hub
 * process on it runs them; on SQLite they run in this process. Every hub process registers
 * the same kinds on the same media, so whichever one takes a job can do it.
 */
export function openHubJobs(ctx: CoreContext, media: HubMedia, opts: PgJobsOptions = {}): SharedJobs {
  const onUpdate = opts.onUpdate ?? ((s) => ctx.events.emit('job.update', s));
  const jobs: SharedJobs =
    ctx.dbTarget.engine === 'postgres'
      ? new PgJobs(ctx.db, ctx.dbTarget.url, { ...opts, onUpdate })
      : new InProcessJobs(ctx.jobs);
  jobs.register(STORE_CHECK, (_input, job) => checkHubStore(ctx.db, media, job));
  registerThumbnailJob(jobs, () => ctx.db, media);
  registerPacketExportJob(jobs, () => ctx, media);
  return jobs;
}

export function startStoreCheck(ctx: CoreContext, jobs: SharedJobs): Promise<string> {
  return jobs.enqueue(STORE_CHECK, translate(ctx.settings.get().language, 'job.hub.store-check'), {});
}
