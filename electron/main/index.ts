import { mirroredFilePath } from '../core/evidence/evidence-sources';
import { parseArgs } from 'node:util';
import { app, dialog, ipcMain, Menu } from 'electron';
import { createCore, type Core } from '../core/core';
import { resolveDataDir } from '../core/data-dir';
import { startWebServer, type WebServer } from '../web/server';
import { startPublicApiServer } from '../web/public-api-server';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { createMainWindow, hardenWebContents, setPairedHubSource } from './window';
import { hubLinkOf } from '../core/hub/join-hub';
import { followRelocations } from '../core/storage/relocation';
import path from 'node:path';
import { describeError } from '../../shared/i18n/describe-error';
import { translate, type Lang, type Params } from '../../shared/i18n';
import { isAppError } from '../../shared/api/result';

/**
 * The thin Electron shell: it opens the core on the data folder, registers the contract
 * over IPC, forwards events to the window, and serves media through a custom scheme.
 * All real work is in ../core, which never imports electron.
 */
app.setName('ProofPack');
registerMediaScheme();

const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: {
    'data-dir': { type: 'string' },
    db: { type: 'string' },
    port: { type: 'string' },
    web: { type: 'boolean' },
  },
  strict: false,
});

let core: Core | null = null;

async function boot() {
  const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
  try {
    core = await createCore({
      dataDir,
      mode: 'electron',
      recover: true,
      db: (values.db as string | undefined) || undefined,
    });
  } catch (e) {
    // the settings (and their language) live in the database that could not be opened
    const lang: Lang = app.getLocale().startsWith('zh') ? 'zh-CN' : 'en';
    const t = (key: string, params?: Params) => translate(lang, key, params);
    const reason = isAppError(e) ? describeError(t, e) : (e as Error).message;
    dialog.showErrorBox('ProofPack', t('app.startFailed', { dataDir, reason }));
    app.exit(1);
    return;
  }
  let c = core;
  let server: WebServer | null = null;
  // a data-folder move re-opens the core on the new folder; IPC, media and the server follow it
  followRelocations(c, (next) => {
    c = next;
    core = next;
    server?.swapCore(next);
  });
  handleMediaProtocol(
    () => c.ctx.paths.root,
    (rel) => mirroredFilePath(c.ctx, rel),
  );
  // links to the paired hub open its staff app in an app window, trusting its pinned certificate
  setPairedHubSource(async () => {
    const link = await hubLinkOf(c.ctx.db);
    return link && { url: link.hubUrl, fingerprint: link.fingerprint };
  });
  ipcMain.handle('proofpack:call', (event, name: unknown, input: unknown) => {
    // only our own window's top frame may call the contract
    if (!event.senderFrame || event.senderFrame.parent !== null || !event.senderFrame.url.startsWith('file://')) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Caller not allowed' } };
    }
    return c.dispatch(String(name), input);
  });
  Menu.setApplicationMenu(null);
  const win = createMainWindow();
  // a crashed renderer sends no more chunks: save what it recorded now, then reload the page
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason === 'clean-exit') return;
    void c.rendererGone().finally(() => !win.isDestroyed() && win.webContents.reload());
  });
  c.ctx.events.onAny((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send('proofpack:event', event, payload);
  });
  if (values.port) {
    server = await startWebServer({
      core: c,
      port: Number(values.port),
      rendererDir: path.join(__dirname, '../renderer'),
    });
    console.log(`ProofPack listening on ${server.url}`);
  }
  // the order API on a fixed port for an ERP (also under /api/v1 of the --port server)
  const apiPort = (values['api-port'] as string | undefined) ?? process.env.PROOFPACK_API_PORT;
  if (apiPort) {
    const api = await startPublicApiServer({ getCore: () => c, port: Number(apiPort) });
    console.log(`ProofPack order API on ${api.url}`);
  }
}

// every web contents (not only the main window's) is refused navigation and new windows
app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
app.whenReady().then(boot);
app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void core?.close();
});
