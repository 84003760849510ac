import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'proofpack.mjs');
const env = { ...process.env, PROOFPACK_LANG: 'en' };

/** The real CLI, as staff run it (`npx proofpack …` runs this same file), in English. */
export function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `proofpack list --json` on a hub: every station's orders, each file with its hash and location. */
export function listOnHub(hubDir: string, extra: string[] = []) {
  const r = cli(['list', '--data-dir', hubDir, ...extra, '--json']);
  if (r.code !== 0) throw new Error(`proofpack list failed: ${r.err}`);
  return JSON.parse(r.out) as { orderNo: string; evidence: { sha256: string; location: string }[] }[];
}

/** The same, without blocking this process (when it serves something the command calls). */
export function cliAsync(args: string[], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...env, ...extraEnv } });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.once('exit', (code) => resolve({ code, out, err }));
  });
}

/** Hub processes a test started; `stopHubs` ends those still running (call it in afterEach). */
export const runningHubs: ChildProcess[] = [];

export async function stopHubs(): Promise<void> {
  for (const p of runningHubs.splice(0)) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  }
}

/** kill -9 the hub and everything it started, as a power cut or an OOM kill would. */
export function killHub(proc: ChildProcess): boolean {
  try {
    process.kill(-proc.pid!, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** `proofpack hub` on 127.0.0.1 (port 0: a free one): resolves with the URL from its one line. */
export function startHub(
  dataDir: string,
  extra: string[] = [],
  extraEnv: Record<string, string> = {},
  port = 0,
): Promise<{ url: string; proc: ChildProcess }> {
  const args = [BIN, 'hub', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port), ...extra];
  // its own process group: `killHub` can then reach the real hub behind the npx-style
  // wrapper and tsx (a SIGKILL, unlike SIGTERM, cannot be relayed by the wrapper)
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, ...extraEnv }, detached: true });
  runningHubs.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (c) => (err += c));
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /^ProofPack hub listening on (https?:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m) resolve({ url: m[1], proc });
    });
    proc.once('exit', (code) => reject(new Error(`hub exited ${code}: ${err}`)));
  });
}
