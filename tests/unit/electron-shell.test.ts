import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The Electron shell's security settings, with `electron` mocked (its binary cannot run
 * here): what the window is created with, and what its handlers decide.
 */
const h = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    windowOptions: null as null | { webPreferences: Record<string, unknown> },
    contentsHandlers: new Map<string, Listener>(),
    openHandler: null as null | ((d: { url: string }) => { action: string }),
    permissionRequest: null as
      null | ((wc: { getURL(): string }, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: null as null | ((wc: unknown, permission: string, origin: string) => boolean),
    openExternal: [] as string[],
    exposed: new Map<string, Record<string, unknown>>(),
    invoked: [] as unknown[][],
  };
  const webContents = {
    on: (event: string, fn: Listener) => state.contentsHandlers.set(event, fn),
    setWindowOpenHandler: (fn: typeof state.openHandler) => (state.openHandler = fn),
  };
  return { state, webContents };
});

vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = h.webContents;
    constructor(opts: typeof h.state.windowOptions) {
      h.state.windowOptions = opts;
    }
    once() {}
    loadFile() {
      return Promise.resolve();
    }
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof h.state.permissionRequest) => (h.state.permissionRequest = fn),
      setPermissionCheckHandler: (fn: typeof h.state.permissionCheck) => (h.state.permissionCheck = fn),
    },
  },
  shell: { openExternal: (url: string) => (h.state.openExternal.push(url), Promise.resolve()) },
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => h.state.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => (h.state.invoked.push(args), Promise.resolve({ ok: true, value: null })),
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

const { createMainWindow } = await import('../../electron/main/window');

describe('the main window', () => {
  beforeEach(() => {
    h.state.contentsHandlers.clear();
    h.state.openExternal.length = 0;
    createMainWindow();
  });

  it('runs the page sandboxed, isolated, without Node', () => {
    expect(h.state.windowOptions!.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(String(h.state.windowOptions!.webPreferences.preload)).toMatch(/preload[\\/]index\.js$/);
  });

  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('%s is prevented', (event) => {
    const e = { preventDefault: vi.fn() };
    h.state.contentsHandlers.get(event)!(e, 'https://evil.example/');
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it.each([
    ['https://pinduoduo.com/help', true],
    ['http://evil.example/', false],
    ['http://192.168.1.20:4870/', true],
    ['http://10.0.0.5:4870/', true],
    ['http://warehouse-hub:4870/', true],
    ['http://hub.local:4870/', true],
    ['http://8.8.8.8/', false],
    ['http://172.32.0.1/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['proofpack-media://data/x.mp4', false],
  ])('a new window for %s is denied (https and LAN http open in the system browser: %s)', (url, external) => {
    expect(h.state.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(h.state.openExternal.includes(url)).toBe(external);
  });

  it.each([
    ['media', 'file:///app/renderer/index.html', true],
    ['media', 'https://evil.example/', false],
    ['geolocation', 'file:///app/renderer/index.html', false],
    ['notifications', 'file:///app/renderer/index.html', false],
    ['clipboard-read', 'file:///app/renderer/index.html', false],
    ['openExternal', 'file:///app/renderer/index.html', false],
  ])('permission %s requested by %s → %s', (permission, url, granted) => {
    let answer: boolean | null = null;
    h.state.permissionRequest!({ getURL: () => url }, permission, (ok) => (answer = ok));
    expect(answer).toBe(granted);
    expect(h.state.permissionCheck!(null, permission, url)).toBe(granted);
  });
});

describe('the preload', () => {
  it('exposes exactly the contract: one call and one event subscription', async () => {
    await import('../../electron/preload/index');
    expect([...h.state.exposed.keys()]).toEqual(['proofpackIpc']);
    const api = h.state.exposed.get('proofpackIpc')!;
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    await (api.call as (n: string, i: unknown) => Promise<unknown>)('app.info', {});
    expect(h.state.invoked).toEqual([['proofpack:call', 'app.info', {}]]);
  });
});
