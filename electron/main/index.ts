import { parseArgs } from 'node:util';
import { app, dialog, ipcMain, Menu } from 'electron';
import { createCore, type Core } from '../core/core';
import { resolveDataDir } from '../core/data-dir';
import { startWebServer } from '../web/server';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { createMainWindow } from './window';
import path from 'node:path';

/**
 * The thin Electron shell: it opens the core on the data folder, registers the contract
 * over IPC, forwards events to the window, and serves media through a custom scheme.
 * All real work is in ../core, which never imports electron.
 */
app.setName('ProofPack');
registerMediaScheme();

const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, web: { type: 'boolean' } },
  strict: false,
});

let core: Core | null = null;

async function boot() {
  const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
  try {
    core = await createCore({ dataDir, mode: 'electron', recover: true });
  } catch (e) {
    dialog.showErrorBox('ProofPack', `ProofPack could not open its data folder ${dataDir}:\n${(e as Error).message}`);
    app.exit(1);
    return;
  }
  const c = core;
  handleMediaProtocol(dataDir);
  ipcMain.handle('proofpack:call', (event, name: unknown, input: unknown) => {
    // only our own window's top frame may call the contract
    if (!event.senderFrame || event.senderFrame.parent !== null || !event.senderFrame.url.startsWith('file://')) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Caller not allowed' } };
    }
    return c.dispatch(String(name), input);
  });
  Menu.setApplicationMenu(null);
  const win = createMainWindow();
  c.ctx.events.onAny((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send('proofpack:event', event, payload);
  });
  if (values.port) {
    const server = await startWebServer({ core: c, port: Number(values.port), rendererDir: path.join(__dirname, '../renderer') });
    console.log(`ProofPack listening on ${server.url}`);
  }
}

app.whenReady().then(boot);
app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void core?.close();
});
