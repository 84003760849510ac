// A hub process that only takes jobs from the PostgreSQL queue, for the packet takeover
// test: the hub's core on the shared database, its S3 store (AWS_* from the environment),
// the same job kinds as `proofpack hub`. It prints "ready", then lives until it is killed.
import { createCore } from '../../electron/core/core';
import { openHubJobs } from '../../electron/core/hub/hub-jobs';
import { openHubMedia } from '../../electron/core/hub/open-hub-media';

async function main(dataDir: string, db: string, media: string) {
  const core = await createCore({ dataDir, mode: 'cli', db });
  const store = await openHubMedia(media, core.ctx.paths.root, true);
  core.ctx.hubMedia = store;
  const jobs = openHubJobs(core.ctx, store, { heartbeatSeconds: 10, superviseIntervalSeconds: 1 });
  await jobs.start();
  process.stdout.write('ready\n');
}

void main(process.argv[2]!, process.argv[3]!, process.argv[4]!);
