import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/connection';
import type { Db } from '../../electron/core/db/db';
import { dropTestDatabases, ensureTestDatabase, testDatabaseName } from '../../electron/core/db/postgres/test-database';
import { HubMediaFolder } from '../../electron/core/hub/hub-media-folder';
import { openHubJobs, startStoreCheck } from '../../electron/core/hub/hub-jobs';
import type { StoreCheckResult } from '../../shared/hub/store-check';
import { PgJobs } from '../../electron/core/jobs/pg-jobs';
import type { SharedJobs } from '../../electron/core/jobs/shared-jobs';
import { sha256File } from '../../electron/core/storage/files';
import { cli, cliAsync } from '../helpers/hub-process';
import { dropDatabasesOf, testEngine } from '../helpers/test-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const cores: Core[] = [];
const queues: SharedJobs[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  const dirs = cores.map((c) => c.ctx.paths.root);
  for (const c of cores.splice(0)) await c.close();
  await dropDatabasesOf(dirs);
});

async function hubWithFiles() {
  const dir = tempDir();
  const core = await createCore({ dataDir: dir, mode: 'cli' });
  cores.push(core);
  const media = new HubMediaFolder(path.join(dir, 'hub-media'));
  await media.ensure();
  const files = ['intact', 'changed', 'gone'].map((name, i) => {
    const file = path.join(media.root, 'station-1', '2026-12-04', `ORDER-${i}`, `${name}.mp4`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `bytes of ${name}`);
    return { name, file, evidenceId: `ev-${name}` };
  });
  for (const [i, f] of files.entries()) {
    await core.ctx.db
      .insertInto('hub_evidence')
      .values({
        station_id: 'station-1',
        evidence_id: f.evidenceId,
        order_no: `ORDER-${i}`,
        tracking_no: null,
        kind: 'video',
        mode: 'outbound',
        file_name: `${f.name}.mp4`,
        sha256: await sha256File(f.file),
        bytes: fs.statSync(f.file).size,
        duration_ms: 1000,
        captured_at: '2026-12-04T08:00:00.000Z',
        operator: 'A',
        station_name: '打包台 1',
        location: f.file,
        received_at: '2026-12-04T08:01:00.000Z',
        verified_at: '2026-12-04T08:01:01.000Z',
      })
      .execute();
  }
  fs.appendFileSync(files[1].file, ' and a change');
  fs.rmSync(files[2].file);
  return { core, media };
}

describe('the hub checks every stored file again, as a job any hub process can run', () => {
  it('finds the changed and the missing file, audits each, and is cancellable', async () => {
    const { core, media } = await hubWithFiles();
    const jobs = openHubJobs(core.ctx, media, { onUpdate: () => undefined });
    queues.push(jobs);
    await jobs.start();
    const id = await startStoreCheck(core.ctx, jobs);
    const done = await jobs.wait(id);
    expect(done.status).toBe('done');
    const r = done.result as StoreCheckResult;
    expect([r.checked, r.ok]).toEqual([3, 1]);
    expect(r.mismatched.map((f) => f.evidenceId)).toEqual(['ev-changed']);
    expect(r.missing.map((f) => [f.evidenceId, f.got])).toEqual([['ev-gone', null]]);
    expect(r.mismatched[0].station).toBe('打包台 1');
    const audit = await core.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).orderBy('seq').execute();
    expect(audit.filter((a) => a.action.startsWith('hub.')).map((a) => [a.action, a.entity_id])).toEqual([
      ['hub.evidence-changed', 'ev-changed'],
      ['hub.evidence-missing', 'ev-gone'],
      ['hub.store-checked', null],
    ]);
    expect((await jobs.list()).map((j) => j.id)).toContain(id);
  });

  it('proofpack hub check-store: run here on SQLite, queued for a running hub process on PostgreSQL', async () => {
    const { core, media } = await hubWithFiles();
    const dir = core.ctx.paths.root;
    if (testEngine === 'postgres') {
      // nothing takes it yet: queued, said so, exit 0 without --wait
      const queued = cli(['hub', 'check-store', '--data-dir', dir, '--json']);
      expect([queued.code, JSON.parse(queued.out).status]).toEqual([0, 'queued']);
      // this test process stands for the running hub; the command waits for its answer
      const hub = openHubJobs(core.ctx, media, { onUpdate: () => undefined });
      queues.push(hub);
      await hub.start();
    }
    const r =
      testEngine === 'postgres'
        ? await cliAsync(['hub', 'check-store', '--data-dir', dir, '--wait', '60', '--json'])
        : cli(['hub', 'check-store', '--data-dir', dir, '--json']);
    expect(r.code).toBe(1); // a file missing, one changed
    const job = JSON.parse(r.out) as { status: string; result: StoreCheckResult };
    expect([job.status, job.result.checked, job.result.missing.length, job.result.mismatched.length]).toEqual([
      'done',
      3,
      1,
      1,
    ]);
    // the text says it in words: `hub jobs` on PostgreSQL (any process's jobs), the check itself on SQLite
    const text = cli(
      testEngine === 'postgres' ? ['hub', 'jobs', '--data-dir', dir] : ['hub', 'check-store', '--data-dir', dir],
    );
    expect(text.code).toBe(testEngine === 'postgres' ? 0 : 1);
    expect(text.out).toContain('Checked 3 files: 1 missing, 1 not matching their record');
    expect(text.out).toMatch(/missing: 打包台 1 order ORDER-2 .*gone\.mp4/);
  });

  it('a file outside the store is not read (a location the database was made to point elsewhere)', async () => {
    const { media } = await hubWithFiles();
    const outside = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(outside, 'not evidence');
    expect(await media.hashStored(outside)).toBeNull();
    expect(await media.hashStored(path.join(media.root, '..', 'proofpack.db'))).toBeNull();
  });
});

const base = process.env.PROOFPACK_TEST_PG;
const DB = 'shared-jobs';
afterAll(async () => {
  if (base) await dropTestDatabases(base, [testDatabaseName(DB)]);
});

describe.skipIf(!base)('jobs queued in PostgreSQL (pg-boss) shared by hub processes', () => {
  const dbs: Db[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy();
  });
  async function queue(opts: ConstructorParameters<typeof PgJobs>[2] = {}) {
    const url = await ensureTestDatabase(base!, DB);
    const db = await openDatabase(url, { stationId: 'hub-test' });
    dbs.push(db);
    const jobs = new PgJobs(db, url, opts);
    queues.push(jobs);
    return { jobs, url, db };
  }
  const runUntilCancelled =
    (started: string[]) => async (input: unknown, job: { signal: AbortSignal; progress(r: number | null): void }) => {
      started.push((input as { n: string }).n);
      for (let i = 0; !job.signal.aborted; i++) {
        job.progress((i % 100) / 100);
        await sleep(20);
      }
      throw new Error('stopped');
    };

  it('a job started in one process is run by another; a cancel asked in either stops it', async () => {
    const startedA: string[] = [];
    const { jobs: a } = await queue();
    const { jobs: b } = await queue();
    a.register('test.loop', runUntilCancelled(startedA));
    b.register('test.loop', runUntilCancelled([]));
    await a.start(); // only A takes jobs; B only queues and asks
    const id = await b.enqueue('test.loop', 'loop', { n: 'first' });
    for (let s = await b.get(id); s.status !== 'running'; s = await b.get(id)) await sleep(50);
    await sleep(700); // a progress write or two
    expect((await b.get(id)).progress).not.toBe(0);
    const asked = await b.cancel(id);
    expect(['running', 'cancelled']).toContain(asked.status);
    const end = await b.wait(id);
    expect(end.status).toBe('cancelled');
    expect(end.error?.code).toBe('CANCELLED');
    expect(startedA).toEqual(['first']);
  });

  it('a job cancelled before any process took it never runs', async () => {
    const started: string[] = [];
    const { jobs } = await queue();
    jobs.register('test.loop', runUntilCancelled(started));
    const id = await jobs.enqueue('test.loop', 'loop', { n: 'never' });
    expect((await jobs.cancel(id)).status).toBe('cancelled');
    await jobs.start();
    await sleep(2_500); // two polls of the queue
    expect(started).toEqual([]);
    expect((await jobs.get(id)).status).toBe('cancelled');
  });

  it('a failing job is failed with its error, not run again', async () => {
    let runs = 0;
    const { jobs } = await queue();
    jobs.register('test.fail', async () => {
      runs += 1;
      throw new Error('the store said no');
    });
    await jobs.start();
    const end = await jobs.wait(await jobs.enqueue('test.fail', 'fail', {}));
    expect([end.status, end.error?.message]).toEqual(['failed', 'the store said no']);
    await sleep(2_500);
    expect(runs).toBe(1);
  });

  it('the job of a process killed while running it is taken over by another (no heartbeat)', async () => {
    const { jobs: b, url, db } = await queue({ heartbeatSeconds: 10, superviseIntervalSeconds: 1 });
    const finished: string[] = [];
    b.register('test.hang', async (input) => {
      finished.push((input as { n: string }).n);
      return { by: 'b' };
    });
    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, '../helpers/job-worker-process.ts'), url],
      { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => worker.once('exit', r));
    try {
      let out = '';
      worker.stdout.on('data', (c) => (out += c));
      for (let i = 0; !out.includes('ready') && i < 600; i++) await sleep(100);
      const id = await b.enqueue('test.hang', 'hang', { n: 'taken over' });
      for (let i = 0; !out.includes('took') && i < 600; i++) await sleep(100);
      const running = await db.selectFrom('shared_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect([running.status, running.attempt]).toEqual(['running', 1]);
      worker.kill('SIGKILL');
      await exited;
      await b.start();
      const end = await b.wait(id);
      expect(end.status).toBe('done');
      expect(end.result).toEqual({ by: 'b' });
      const row = await db.selectFrom('shared_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.attempt).toBe(2);
      expect(row.owner).toBe(b.owner);
      expect(row.owner).not.toBe(running.owner);
      expect(finished).toEqual(['taken over']);
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  }, 90_000);
});
