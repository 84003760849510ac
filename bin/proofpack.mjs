#!/usr/bin/env node
// `npx proofpack …` in a checkout: runs the TypeScript CLI through tsx on the project's
// own Node 22 (better-sqlite3's prebuilt binary needs Node >= 22).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const localNode = path.join(root, 'node_modules', 'node', 'bin', 'node');
const nodeBin =
  Number(process.versions.node.split('.')[0]) >= 22 || !existsSync(localNode) ? process.execPath : localNode;
const child = spawn(
  nodeBin,
  [require.resolve('tsx/cli'), path.join(root, 'electron', 'cli', 'index.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// a service manager or a test stops a long-running command (`proofpack hub`) with a signal
// to this process: pass it on, or the real command would live on as an orphan
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
