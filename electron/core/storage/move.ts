import { sql } from 'kysely';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { MoveResult } from '../../../shared/api/calls/storage';
import { AppError } from '../../../shared/api/result';
import type { JobSnapshot } from '../../../shared/domain/types';
import { ANCHOR_FILE } from '../audit/audit-anchor';
import { appendAudit } from '../audit/audit-log';
import type { CoreContext } from '../context';
import type { Db } from '../db/db';
import { backupSqliteFile, sqliteTotalChanges } from '../db/sqlite/file-backup';
import type { JobContext } from '../jobs/job-manager';
import { diskSpace } from './disk-space';
import { LOCK_FILE } from './data-lock';
import { POINTER_FILE, readPointer, writePointer } from './data-location';
import { copyVerified, listTree, pruneEmptyDirs, type TreeFile } from './tree-copy';

/** Left in the target while a move runs: a retry may reuse a folder holding only this. */
const MARKER = 'proofpack-move.json';
const DB_FILES = new Set(['proofpack.db', 'proofpack.db-wal', 'proofpack.db-shm']);

export type Relocator = (newDir: string) => Promise<void>;

/**
 * Moves the whole data folder — media, exports, database — to another place:
 *  1. copy every file, each verified by hash, while the station keeps working;
 *  2. close the gate (no new recording or other change; running recordings finish),
 *     copy what changed meanwhile, back up the database into the target with SQLite's
 *     online backup and check that copy (integrity_check, row counts). A database that
 *     is not the folder's own file (PostgreSQL, `--db` elsewhere) stays where it is:
 *     only its absolute paths into the folder are rebased, at the switch;
 *  3. write the pointer file in the old folder, switch the app to the new folder
 *     (the adapter's relocator opens a new core there), and only then
 *  4. remove the old copies, keeping the pointer so the old location still leads here.
 * Any failure before step 3 reopens the gate and removes the partial copy.
 */
export class DataFolderMover {
  relocator: Relocator | null = null;
  /** true while writes are refused for the switch */
  gateClosed = false;
  private running = false;

  constructor(
    private ctx: CoreContext,
    private recordingsBusy: () => boolean,
  ) {}

  get moving(): boolean {
    return this.running;
  }

  start(targetInput: string, actor: string): JobSnapshot {
    if (!this.relocator)
      throw new AppError('CONFLICT', 'Only the running app can move its data folder', { problem: 'move-needs-app' });
    if (this.running) throw new AppError('BUSY', 'A move is already running', { problem: 'move-running' });
    const from = path.resolve(this.ctx.paths.root);
    const to = resolveTarget(from, targetInput);
    this.running = true;
    const job = this.ctx.jobs.start({
      kind: 'storage.move',
      title: `Move data folder to ${to}`,
      run: (j) =>
        this.run(from, to, actor, j).finally(() => {
          this.running = false;
          this.gateClosed = false;
        }),
    });
    return this.ctx.jobs.get(job.id);
  }

  private async run(from: string, to: string, actor: string, j: JobContext): Promise<MoveResult> {
    await fsp.mkdir(to, { recursive: true });
    await fsp.writeFile(path.join(to, MARKER), JSON.stringify({ from, startedAt: new Date().toISOString() }));
    const t = this.ctx.dbTarget;
    const ownDbFile =
      t.engine === 'sqlite' && path.resolve(t.file) === path.resolve(from, path.basename(this.ctx.paths.db));
    const skip = (rel: string, isDir: boolean) =>
      isDir
        ? rel === 'tmp'
        : (ownDbFile && DB_FILES.has(rel)) ||
          rel === LOCK_FILE ||
          rel === POINTER_FILE ||
          rel === MARKER ||
          rel.includes('.copy-');
    const copied = new Map<string, TreeFile & { sha256: string }>();
    let switched = false;
    try {
      // 1. bulk copy while the app keeps working
      const first = await listTree(from, skip);
      const total = first.reduce((n, f) => n + f.size, 0) + (ownDbFile ? dbSize(from) : 0);
      const { freeBytes } = diskSpace(to);
      if (freeBytes !== null && freeBytes < total * 1.05 + 64 * 1024 * 1024) {
        throw new AppError('LOW_DISK', `The target has ${freeBytes} bytes free; the data folder needs ${total}`, {
          freeBytes,
          reserveBytes: total,
        });
      }
      let done = 0;
      const progress = (n: number) => {
        done += n;
        j.progress(Math.min(0.85, (0.85 * done) / Math.max(1, total)));
      };
      await this.copyAll(from, to, first, copied, progress, j.signal);

      // 2. the switch: nothing new is written while the last changes and the database go over
      this.gateClosed = true;
      await this.waitForRecordings(j.signal);
      const last = await listTree(from, skip);
      await this.copyAll(
        from,
        to,
        last.filter((f) => changed(copied.get(f.rel), f)),
        copied,
        progress,
        j.signal,
      );
      const present = new Set(last.map((f) => f.rel));
      for (const rel of [...copied.keys()].filter((r) => !present.has(r))) {
        await fsp.rm(path.join(to, rel), { force: true });
        copied.delete(rel);
      }
      const hashMismatches = await this.compareWithRecords(copied);
      await appendAudit(this.ctx.db, {
        actor,
        action: 'storage.moved',
        entity: 'storage',
        details: { from, to, files: copied.size, hashMismatches: hashMismatches.length },
      });
      // background checks are not jobs: if one wrote while the copy ran, copy again
      for (let attempt = 0; ownDbFile; attempt++) {
        const before = sqliteTotalChanges(this.ctx.db);
        await this.copyDatabase(from, to);
        if (sqliteTotalChanges(this.ctx.db) === before) break;
        if (attempt >= 3)
          throw new AppError('BUSY', 'The database kept changing during the move; try again', {
            problem: 'db-kept-changing',
          });
      }
      j.progress(0.9);

      // 3. the pointer makes the new folder the real one; then the app switches over
      await fsp.rm(path.join(to, MARKER), { force: true });
      if (readPointer(to)) await fsp.rm(path.join(to, POINTER_FILE), { force: true }); // moving back
      if (!ownDbFile) await rebaseAbsolutePaths(this.ctx.db, from, to);
      try {
        writePointer(from, to);
      } catch (e) {
        if (!ownDbFile) await rebaseAbsolutePaths(this.ctx.db, to, from);
        throw e;
      }
      switched = true;
      await this.relocator!(to);

      // 4. only now the old copies go (the pointer stays). Closing the old core wrote its
      // audit anchor (the last audit entry, which the new database holds too): carry it over.
      const anchor = path.join(from, ANCHOR_FILE);
      if (fs.existsSync(anchor)) await copyVerified(anchor, path.join(to, ANCHOR_FILE), () => undefined);
      const leftBehind: string[] = [];
      for (const rel of [...copied.keys(), ...(ownDbFile ? DB_FILES : []), ANCHOR_FILE]) {
        await fsp.rm(path.join(from, rel), { force: true }).catch(() => leftBehind.push(rel));
      }
      await pruneEmptyDirs(from);
      j.progress(1);
      return {
        from,
        to,
        files: copied.size,
        bytes: [...copied.values()].reduce((n, f) => n + f.size, 0),
        hashMismatches,
        leftBehind,
      };
    } catch (e) {
      if (!switched) {
        await removePartialCopy(to, copied);
        await appendAudit(this.ctx.db, {
          actor,
          action: 'storage.move.failed',
          entity: 'storage',
          details: { from, to, error: (e as Error).message },
        });
      }
      throw e;
    }
  }

  private async copyAll(
    from: string,
    to: string,
    files: TreeFile[],
    copied: Map<string, TreeFile & { sha256: string }>,
    onBytes: (n: number) => void,
    signal: AbortSignal,
  ) {
    for (const f of files) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      const sha256 = await copyVerified(path.join(from, f.rel), path.join(to, f.rel), onBytes, signal).catch((e) => {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; // deleted meanwhile (retention, a temp file)
        throw e;
      });
      if (sha256) copied.set(f.rel, { ...f, sha256 });
    }
  }

  /** running recordings finish (their chunks and stop pass the gate), and so do other jobs */
  private async waitForRecordings(signal: AbortSignal): Promise<void> {
    // measured on the monotonic clock: setting the wall clock forward is not waiting
    const until = performance.now() + 15 * 60_000;
    const otherJobs = () => this.ctx.jobs.list().some((x) => x.status === 'running' && x.kind !== 'storage.move');
    while (this.recordingsBusy() || otherJobs()) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      if (performance.now() > until)
        throw new AppError('BUSY', 'A recording or another job is still running; move again when it is done', {
          problem: 'move-waited-too-long',
        });
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** SQLite's online backup: a consistent copy, then checked before anything relies on it. */
  private async copyDatabase(from: string, to: string): Promise<void> {
    const target = path.join(to, 'proofpack.db');
    const tmp = `${target}.copy-${process.pid}`;
    await fsp.rm(tmp, { force: true });
    await backupSqliteFile(this.ctx.db, tmp, async (copy, check) => {
      if (check !== 'ok')
        throw new AppError('DB_CORRUPT', `The copied database failed its check: ${check}`, {
          problem: 'copy-check-failed',
        });
      for (const table of ['evidence', 'audit_log', 'orders'] as const) {
        const a = await countRows(this.ctx.db, table);
        const b = await countRows(copy, table);
        if (a !== b)
          throw new AppError('DB_CORRUPT', `The copied database lost rows of ${table} (${a} → ${b})`, {
            problem: 'copy-lost-rows',
            table,
          });
      }
      await rebaseAbsolutePaths(copy, from, to);
    });
    const fh = await fsp.open(tmp, 'r+');
    await fh.sync();
    await fh.close();
    for (const f of DB_FILES) await fsp.rm(path.join(to, f), { force: true });
    await fsp.rename(tmp, target);
  }

  /** The copy equals the source; whether the source still equals what was recorded is reported. */
  private async compareWithRecords(copied: Map<string, { sha256: string }>): Promise<string[]> {
    const rows = await this.ctx.db
      .selectFrom('evidence')
      .select(['path', 'sha256'])
      .where('location', 'is', null) // a hub's mirrored files are not in the data folder
      .execute();
    return rows
      .filter((r) => {
        const c = copied.get(path.normalize(r.path));
        return c && c.sha256 !== r.sha256;
      })
      .map((r) => r.path);
  }
}

const countRows = async (db: Db, table: 'evidence' | 'audit_log' | 'orders') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Absolute paths into the old folder (packet folders) are made to point into the new one. */
async function rebaseAbsolutePaths(db: Db, from: string, to: string): Promise<void> {
  const prefix = from + path.sep;
  for (const col of ['dir_path', 'zip_path'] as const) {
    await db
      .updateTable('packets')
      .set({ [col]: sql<string>`${to + path.sep} || substr(${sql.ref(col)}, ${prefix.length + 1})` })
      .where(sql`substr(${sql.ref(col)}, 1, ${prefix.length})`, '=', prefix)
      .execute();
  }
}
const changed = (before: TreeFile | undefined, now: TreeFile) =>
  !before || before.size !== now.size || before.mtimeMs !== now.mtimeMs;

function dbSize(dir: string): number {
  return [...DB_FILES].reduce((n, f) => n + (fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.size ?? 0), 0);
}

/**
 * Where the data goes: the chosen folder itself when it is empty (or new, or holds only
 * a pointer or an unfinished move of ours), else a `ProofPack` folder inside it.
 */
export function resolveTarget(from: string, input: string): string {
  if (!path.isAbsolute(input))
    throw new AppError('INVALID_INPUT', 'Choose the new location as a full path', { problem: 'not-absolute' });
  let to = path.resolve(input);
  if (!usable(to)) to = path.join(to, 'ProofPack');
  const rel = path.relative(from, to);
  if (to === from || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new AppError('INVALID_INPUT', 'The new location cannot be the data folder or inside it', {
      problem: 'inside',
    });
  }
  const back = path.relative(to, from);
  if (!back.startsWith('..') && !path.isAbsolute(back)) {
    throw new AppError('INVALID_INPUT', 'The new location cannot contain the data folder', { problem: 'contains' });
  }
  if (!usable(to)) throw new AppError('CONFLICT', `${to} is not empty`, { problem: 'not-empty', target: to });
  return to;
}

function usable(dir: string): boolean {
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return false;
    names = fs.readdirSync(dir);
  } catch {
    return true; // does not exist yet
  }
  return names.every((n) => n === POINTER_FILE || n === MARKER);
}

async function removePartialCopy(to: string, copied: Map<string, unknown>): Promise<void> {
  for (const rel of copied.keys()) await fsp.rm(path.join(to, rel), { force: true }).catch(() => undefined);
  for (const f of [...DB_FILES, MARKER]) await fsp.rm(path.join(to, f), { force: true }).catch(() => undefined);
  await pruneEmptyDirs(to);
}
