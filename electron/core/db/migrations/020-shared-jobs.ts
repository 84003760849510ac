import { portableMigration } from '../migrate';

/**
 * Long jobs that any hub process may run (issue 11, scale-out). On PostgreSQL the queue
 * itself is pg-boss's (its own schema, `pgboss`); this table holds what people see of each
 * job — title, status, progress, result, error — so every process answers `jobs` alike,
 * whichever one runs the job, and a job taken over after its process died keeps its id.
 * `cancel_requested`: asked from any process; the one running the job stops it.
 * On SQLite the table stays empty: jobs run in the process that started them (JobManager).
 */
const DDL = `
  CREATE TABLE shared_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    input TEXT NOT NULL,
    status TEXT NOT NULL,
    progress DOUBLE PRECISION,
    attempt INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    result TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX shared_jobs_created ON shared_jobs(created_at);
`;

export const m020SharedJobs = portableMigration(20, 'shared-jobs', DDL);
