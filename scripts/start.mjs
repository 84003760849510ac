// `npm start [-- --web] [--data-dir DIR] [--db URL] [--port N]`
// --db (or PROOFPACK_DB) picks the database: postgres://user:password@host:5432/name or a
// SQLite file path; default proofpack.db in the data folder. Both modes take these options.
// Builds the app, then runs Electron when its binary is installed; otherwise (or with
// --web) serves the same app on 127.0.0.1 for a browser and prints its address.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** Electron's binary, downloading it on first use where that is possible. */
function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (existsSync(pathFile)) {
      const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
      if (existsSync(bin)) return bin;
    }
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1' || process.env.CI) return null;
    const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
      cwd: root,
      timeout: 300_000,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const bin = r.status === 0 ? r.stdout.trim() : '';
    return bin && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const build = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = args.includes('--web') ? null : electronBinary();
const child = electron
  ? spawn(electron, [root, ...args], { stdio: 'inherit' })
  : spawn(process.execPath, [require.resolve('tsx/cli'), path.join(root, 'electron/web/main.ts'), ...args], {
      cwd: root,
      stdio: 'inherit',
    });
if (!electron && !args.includes('--web')) console.error('Electron is not installed here: starting the loopback mode.');
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
