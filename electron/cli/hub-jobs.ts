import type { JobSnapshot } from '../../shared/domain/types';
import { describeError } from '../../shared/i18n/describe-error';
import { openHubJobs, startStoreCheck } from '../core/hub/hub-jobs';
import { openHubMedia } from '../core/hub/open-hub-media';
import type { StoreCheckResult } from '../../shared/hub/store-check';
import { isFinished } from '../core/jobs/shared-jobs';
import { parse } from './args';
import type { Command } from './commands';
import { cliLang, cliT, waitSeconds } from './cli-support';
import { reportingErrors } from './hub';
import { withCore } from './open-core';

export const hubCheckStoreCommand: Command = {
  summary: 'Hash every file the hub stores again and report any missing or changed',
  usage: `Usage: proofpack hub check-store [--data-dir DIR] [--db URL] [--media DIR|s3://BUCKET/PREFIX]
                               [--wait SECONDS] [--json]

Reads back every verified file and compares its SHA-256 with the record; each missing or
changed file is audited in the hub's chain. With SQLite the check runs here (--media as
given to 'proofpack hub'). With PostgreSQL it is queued: any running hub process takes it,
and another takes it over if that one stops; --wait waits for the result. Exit 0: all
intact; 1: a file missing or changed, or still running when --wait ran out.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      media: { type: 'string' },
      wait: { type: 'string' },
      json: { type: 'boolean' },
    });
    const waitSec = waitSeconds(values.wait);
    return withCore(values['data-dir'], async (core) => {
      const { ctx } = core;
      const lang = cliLang(ctx.settings.get().language);
      const t = cliT(lang);
      return reportingErrors(lang, async () => {
        const shared = ctx.dbTarget.engine === 'postgres';
        const media = await openHubMedia(values.media, ctx.paths.root, shared);
        const jobs = openHubJobs(ctx, media, { onUpdate: () => undefined });
        try {
          const id = await startStoreCheck(ctx, jobs);
          // SQLite: this process is the one that runs it, so it always waits
          const until = !shared ? null : waitSec === null ? Date.now() : Date.now() + waitSec * 1000;
          const job = await waitUntil(() => jobs.get(id), until);
          if (values.json) console.log(JSON.stringify(job));
          else console.log(jobLine(t, job));
          if (job.status === 'queued' || job.status === 'running') return waitSec === null ? 0 : 1;
          const result = job.result as StoreCheckResult | null;
          return job.status === 'done' && result && !result.missing.length && !result.mismatched.length ? 0 : 1;
        } finally {
          await jobs.close();
          await media.close();
        }
      });
    });
  },
};

export const hubJobsCommand: Command = {
  summary: "List the hub's long jobs (any process's), or cancel one",
  usage: `Usage: proofpack hub jobs [--data-dir DIR] [--db URL] [--cancel ID] [--json]`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      cancel: { type: 'string' },
      json: { type: 'boolean' },
    });
    return withCore(values['data-dir'], async (core) => {
      const { ctx } = core;
      const lang = cliLang(ctx.settings.get().language);
      const t = cliT(lang);
      return reportingErrors(lang, async () => {
        // the job list needs no store: the kinds are known, the media is never read here
        const jobs = openHubJobs(ctx, NO_MEDIA, { onUpdate: () => undefined });
        try {
          const list = values.cancel ? [await jobs.cancel(values.cancel)] : await jobs.list();
          if (values.json) console.log(JSON.stringify(values.cancel ? list[0] : { jobs: list }));
          else if (!list.length)
            console.log(t(jobs.engine === 'postgres' ? 'cli.hubJobs.none' : 'cli.hubJobs.noneHere'));
          else for (const j of list) console.log(jobLine(t, j));
          return 0;
        } finally {
          await jobs.close();
        }
      });
    });
  },
};

/** Listing and cancelling never run a job, so they never touch a store. */
const NO_MEDIA = new Proxy({} as Parameters<typeof openHubJobs>[1], {
  get: () => {
    throw new Error('The job list does not read media');
  },
});

async function waitUntil(get: () => Promise<JobSnapshot>, until: number | null): Promise<JobSnapshot> {
  for (;;) {
    const job = await get();
    if (isFinished(job) || (until !== null && Date.now() >= until)) return job;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One job, tab-separated: status, progress or outcome, title, id. */
function jobLine(t: ReturnType<typeof cliT>, j: JobSnapshot): string {
  const lines = [j.status, outcome(t, j), j.title, j.id].filter(Boolean).join('\t');
  const result = j.kind === 'hub.store-check' && j.status === 'done' ? (j.result as StoreCheckResult) : null;
  const files = result
    ? [
        ...result.missing.map((f) => ({ ...f, problem: t('cli.storeCheck.missing') })),
        ...result.mismatched.map((f) => ({ ...f, problem: t('cli.storeCheck.mismatched') })),
      ].map((f) => `  ${t('cli.storeCheck.file', { ...f, location: f.location ?? '' })}`)
    : [];
  return [lines, ...files].join('\n');
}

function outcome(t: ReturnType<typeof cliT>, j: JobSnapshot): string {
  if (j.status === 'queued') return t('cli.storeCheck.queued', { id: j.id });
  if (j.status === 'running') return j.progress === null ? '…' : `${Math.round(j.progress * 100)}%`;
  if (j.error) return describeError(t, j.error);
  if (j.kind !== 'hub.store-check') return '';
  const r = j.result as StoreCheckResult;
  return r.missing.length || r.mismatched.length
    ? t('cli.storeCheck.bad', { checked: r.checked, missing: r.missing.length, mismatched: r.mismatched.length })
    : t('cli.storeCheck.ok', { checked: r.checked });
}
