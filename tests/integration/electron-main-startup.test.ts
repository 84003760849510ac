import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { createCore } from '../../electron/core/core';
import { LOCK_FILE } from '../../electron/core/storage/data-lock';
import { findOrCreateOrder } from '../../electron/core/orders/order-repo';
import { openDatabase } from '../../electron/core/db/connection';
import { stationIdFor } from '../../electron/core/db/station-id';
import { resolveDbTarget } from '../../electron/core/db/target';
import { dropDatabasesOf } from '../helpers/test-db';

/**
 * The Electron shell when the data folder cannot be opened (here: another live process
 * holds its lock): the dialog says why in the system's language and the app exits, touching nothing.
 * `electron` is mocked (its binary cannot be downloaded here); the core is real.
 */
const h = vi.hoisted(() => ({
  ready: null as null | (() => void),
  dialog: null as null | { title: string; text: string },
  exitCode: null as null | number,
}));

vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    setName: () => undefined,
    getLocale: () => 'zh-CN',
    whenReady: () => new Promise<void>((r) => (h.ready = r)),
    on: () => undefined,
    exit: (code: number) => (h.exitCode = code),
  },
  dialog: { showErrorBox: (title: string, text: string) => (h.dialog = { title, text }) },
  ipcMain: { handle: () => undefined },
  Menu: { setApplicationMenu: () => undefined },
  protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
  session: {
    defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined },
  },
  shell: { openExternal: () => Promise.resolve() },
  BrowserWindow: class {},
}));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-electron-start-'));
// a database with an order in it, then a lock held by another live process on this machine
const first = await createCore({ dataDir, mode: 'cli' });
await findOrCreateOrder(first.ctx.db, 'PDD1', 'order');
await first.close();
const other = spawn('sleep', ['120'], { stdio: 'ignore' });
fs.writeFileSync(
  path.join(dataDir, LOCK_FILE),
  JSON.stringify({ pid: other.pid, host: os.hostname(), startedAt: new Date().toISOString() }),
);

afterAll(async () => {
  other.kill();
  await dropDatabasesOf([dataDir]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Electron main process: the data folder cannot be opened', () => {
  it('explains in Chinese that another ProofPack uses the folder, and exits', async () => {
    const argv = process.argv;
    process.argv = [argv[0], 'electron-main', '--data-dir', dataDir];
    await import('../../electron/main/index');
    process.argv = argv;
    h.ready!();
    await vi.waitFor(() => expect(h.exitCode).toBe(1), { timeout: 20_000 });
    expect(h.dialog?.text).toContain(`ProofPack 无法打开数据文件夹 ${dataDir}`);
    expect(h.dialog?.text).toContain(String(other.pid));
    expect(h.dialog?.text).not.toMatch(/could not|already running/i);
    // nothing was touched: the other process still holds the lock, the data is there
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(other.pid);
    const again = await openDatabase(await resolveDbTarget({ dataDir }), { stationId: stationIdFor(dataDir) });
    expect(await again.selectFrom('orders').select('order_no').execute()).toEqual([{ order_no: 'PDD1' }]);
    await again.destroy();
  });
});
