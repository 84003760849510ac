import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { withDatabase } from '../../electron/core/db/postgres/test-database';
import { descendants, pssBytes, rssBytes } from './proc-tree';

export const benchRoot = path.join(__dirname, '..', '..');

/** `proofpack hub` as its own process (its memory is what is measured), on a free port. */
export function startHubProcess(dataDir: string, dbUrl: string, media: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [
      path.join(benchRoot, 'bin', 'proofpack.mjs'),
      'hub',
      '--data-dir',
      dataDir,
      '--db',
      dbUrl,
      '--media',
      media,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ],
    { cwd: benchRoot, env: { ...process.env, ...env } },
  );
  return new Promise<{ url: string; child: ChildProcess }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.stderr!.on('data', (c) => process.stderr.write(c));
    child.once('exit', (code) => reject(new Error(`hub exited ${code}`)));
  });
}

export async function stopProcess(child: ChildProcess | null): Promise<void> {
  // ended already, by itself or by a signal (then exitCode stays null): no 'exit' will come again
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Peak memory of the hub: `bin/proofpack.mjs` (pid) starts tsx's launcher, which runs the
 * hub as its first child. `stop()` gives the hub process's own peak RSS; `treePeak()` the
 * peak of the hub with its children (ffmpeg for thumbnails, tsx's esbuild) as proportional
 * memory (PSS), since a child Node has just forked shares the hub's pages until it runs
 * ffmpeg and a sum of RSS counts those twice. The two launchers are not the hub (a service
 * runs it without them) and are left out.
 */
export function rssSampler(pid: number) {
  let peak = 0;
  let treePeak = 0;
  const sample = () => {
    const [tsxLauncher] = descendants(pid); // depth first: the wrapper's one child comes first
    const tree = tsxLauncher ? descendants(tsxLauncher) : [];
    peak = Math.max(peak, tree.length ? rssBytes([tree[0]]) : 0);
    treePeak = Math.max(treePeak, pssBytes(tree));
  };
  sample();
  const timer = setInterval(sample, 200);
  return { stop: () => (clearInterval(timer), sample(), peak), treePeak: () => treePeak };
}

/**
 * A fresh PostgreSQL database for one benchmark: on PROOFPACK_BENCH_PG's server, else a
 * throwaway cluster (pg-test-server.mjs); `drop()` removes it all.
 */
export async function benchDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  // its own folder: the cluster's owner (postgres, when this runs as root) must reach it
  const pgDir = process.env.PROOFPACK_BENCH_PG ? null : fs.mkdtempSync(path.join(os.tmpdir(), `pp-bench-${tag}-pg-`));
  const base =
    process.env.PROOFPACK_BENCH_PG ??
    execFileSync(process.execPath, [path.join(benchRoot, 'scripts', 'pg-test-server.mjs'), 'start', pgDir!])
      .toString()
      .trim();
  const dbName = `proofpack_bench_${tag.replace(/\W/g, '_')}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE template0`);
  return {
    url: withDatabase(base, dbName),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      if (pgDir) {
        execFileSync(process.execPath, [path.join(benchRoot, 'scripts', 'pg-test-server.mjs'), 'stop', pgDir]);
        fs.rmSync(pgDir, { recursive: true, force: true });
      }
    },
  };
}

const MiB = 1024 * 1024;

/** A file of random bytes (incompressible, like video), written in 1 MiB pieces; its SHA-256. */
export async function randomFile(file: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const fh = await fsp.open(file, 'w');
  try {
    for (let left = bytes; left > 0; left -= MiB) {
      const chunk = randomBytes(Math.min(MiB, left));
      hash.update(chunk);
      await fh.write(chunk);
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
