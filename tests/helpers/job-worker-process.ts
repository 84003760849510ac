// A hub process taking jobs from the PostgreSQL queue, for the takeover test: it runs
// `test.hang` jobs (which never end on their own) and prints "took" when it has one,
// then lives until it is killed.
import { openDatabase } from '../../electron/core/db/connection';
import { PgJobs } from '../../electron/core/jobs/pg-jobs';

async function main(url: string) {
  const db = await openDatabase(url, { stationId: 'hub-test' });
  const jobs = new PgJobs(db, url, { heartbeatSeconds: 10, superviseIntervalSeconds: 1 });
  jobs.register('test.hang', async () => {
    process.stdout.write('took\n');
    await new Promise(() => undefined);
  });
  await jobs.start();
  process.stdout.write('ready\n');
}

void main(process.argv[2]);
