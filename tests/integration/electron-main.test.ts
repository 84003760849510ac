import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * The Electron main process wired to a real core (real SQLite in a temp folder), with
 * `electron` itself mocked: which callers the IPC bridge serves, what the media scheme
 * serves, and what happens when the renderer dies mid-recording.
 */
const h = vi.hoisted(() => {
  type Fn = (...args: unknown[]) => unknown;
  return {
    ipc: new Map<string, Fn>(),
    protocolHandler: null as null | ((req: Request) => Response | Promise<Response>),
    contents: new Map<string, Fn>(),
    reloaded: 0,
    ready: null as null | (() => void),
  };
});

vi.mock('electron', () => {
  const webContents = {
    on: (e: string, fn: (...a: unknown[]) => unknown) => h.contents.set(e, fn),
    setWindowOpenHandler: () => undefined,
    send: () => undefined,
    reload: () => h.reloaded++,
  };
  return {
    app: {
      isPackaged: false,
      setName: () => undefined,
      whenReady: () => new Promise<void>((r) => (h.ready = r)),
      on: () => undefined,
      exit: () => undefined,
    },
    dialog: { showErrorBox: (t: string, m: string) => console.error(t, m) },
    ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => h.ipc.set(ch, fn) },
    Menu: { setApplicationMenu: () => undefined },
    protocol: {
      registerSchemesAsPrivileged: () => undefined,
      handle: (_s: string, fn: typeof h.protocolHandler) => (h.protocolHandler = fn),
    },
    session: {
      defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined },
    },
    shell: { openExternal: () => Promise.resolve() },
    BrowserWindow: class {
      webContents = webContents;
      once() {}
      isDestroyed() {
        return false;
      }
      loadFile() {
        return Promise.resolve();
      }
    },
  };
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-electron-'));
const argv = process.argv;
process.argv = [argv[0], 'electron-main', '--data-dir', dataDir];
await import('../../electron/main/index');
process.argv = argv;
h.ready!();
await vi.waitFor(() => expect(h.ipc.has('proofpack:call')).toBe(true), { timeout: 20_000 });
const call = (frame: unknown, name: string, input: unknown) =>
  h.ipc.get('proofpack:call')!({ senderFrame: frame }, name, input);
const own = { parent: null, url: `file://${path.resolve('out/renderer/index.html')}` };

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('Electron main process', () => {
  it('serves the contract to our own top frame only', async () => {
    expect(await call(own, 'app.info', {})).toMatchObject({ ok: true, value: { mode: 'electron', dataDir } });
    for (const frame of [
      null,
      { parent: null, url: 'https://evil.example/' },
      { parent: {}, url: own.url },
      { parent: null, url: 'proofpack-media://data/x.html' },
    ]) {
      expect(await call(frame, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(await call(own, 'no.such.call', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(await call(own, 'settings.update', { operator: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('the media scheme serves data-folder files only', async () => {
    fs.mkdirSync(path.join(dataDir, 'media', 'd'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'media', 'd', 'a.jpg'), 'jpeg bytes');
    const ok = await h.protocolHandler!(new Request('proofpack-media://data/media/d/a.jpg'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('jpeg bytes');
    for (const p of ['proofpack.db', '..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', 'media/d']) {
      expect((await h.protocolHandler!(new Request(`proofpack-media://data/${p}`))).status).toBe(404);
    }
  });

  it('a crashed renderer: its recording is saved at once and the page reloads', async () => {
    const { recorderLikeStream } = await import('../helpers/recorder-stream');
    const { chunks } = recorderLikeStream(fs.mkdtempSync(path.join(dataDir, 'src-')), 2, { width: 320, height: 240 });
    const s = (await call(own, 'capture.start', {
      code: 'CRASH-0001',
      mode: 'outbound',
      mime: 'video/mp4;codecs=avc1',
    })) as { value: { id: string } };
    for (let i = 0; i < 3; i++) await call(own, 'capture.chunk', { recordingId: s.value.id, seq: i, data: chunks[i] });
    h.contents.get('render-process-gone')!({}, { reason: 'crashed', exitCode: 139 });
    await vi.waitFor(() => expect(h.reloaded).toBe(1), { timeout: 20_000 });
    const recent = (await call(own, 'evidence.recent', { limit: 5 })) as { value: { origin: string }[] };
    expect(recent.value.map((e) => e.origin)).toEqual(['recovered']);
  });
});
