import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The Electron shell's security settings, with `electron` mocked (its binary cannot run
 * here): what the window is created with, and what its handlers decide.
 */
const h = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  type Contents = {
    handlers: Map<string, Listener>;
    openHandler: null | ((d: { url: string }) => { action: string });
    on(event: string, fn: Listener): void;
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void;
  };
  const makeContents = (): Contents => {
    const c: Contents = {
      handlers: new Map(),
      openHandler: null,
      on: (event, fn) => void c.handlers.set(event, fn),
      setWindowOpenHandler: (fn) => void (c.openHandler = fn),
    };
    return c;
  };
  type Win = { options: { webPreferences: Record<string, unknown> }; webContents: Contents; url: string | null };
  const state = {
    windows: [] as Win[],
    permissionRequest: null as
      null | ((wc: { getURL(): string }, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: null as null | ((wc: unknown, permission: string, origin: string) => boolean),
    partitions: new Map<
      string,
      {
        request?: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void;
        verify?: (req: { hostname: string; certificate: { data: string } }, cb: (result: number) => void) => void;
      }
    >(),
    openExternal: [] as string[],
    exposed: new Map<string, Record<string, unknown>>(),
    invoked: [] as unknown[][],
  };
  return { state, makeContents };
});

vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = h.makeContents();
    private win: { options: { webPreferences: Record<string, unknown> }; webContents: unknown; url: string | null };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      this.win = { options, webContents: this.webContents, url: null };
      h.state.windows.push(this.win as never);
    }
    once() {}
    loadFile() {
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.win.url = url;
      return Promise.resolve();
    }
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof h.state.permissionRequest) => (h.state.permissionRequest = fn),
      setPermissionCheckHandler: (fn: typeof h.state.permissionCheck) => (h.state.permissionCheck = fn),
    },
    fromPartition: (name: string) => {
      const p = h.state.partitions.get(name) ?? {};
      h.state.partitions.set(name, p);
      return {
        setPermissionRequestHandler: (fn: never) => (p.request = fn),
        setPermissionCheckHandler: () => undefined,
        setCertificateVerifyProc: (fn: never) => (p.verify = fn),
      };
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

const { createMainWindow, hardenWebContents, setPairedHubSource } = await import('../../electron/main/window');
const { isPinnedHubCertificate, STAFF_PARTITION } = await import('../../electron/main/staff-window');
const settle = () => new Promise((r) => setTimeout(r, 0));
const lastWindow = () => h.state.windows[h.state.windows.length - 1]!;

describe('the main window', () => {
  beforeEach(() => {
    h.state.windows.length = 0;
    h.state.openExternal.length = 0;
    setPairedHubSource(async () => null);
    createMainWindow();
  });
  const main = () => h.state.windows[0]!;

  it('runs the page sandboxed, isolated, without Node', () => {
    expect(main().options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(String(main().options.webPreferences.preload)).toMatch(/preload[\\/]index\.js$/);
  });

  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('%s is prevented', (event) => {
    const e = { preventDefault: vi.fn() };
    main().webContents.handlers.get(event)!(e, 'https://evil.example/');
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it.each([
    ['https://pinduoduo.com/help', 'browser'],
    ['http://evil.example/', 'nowhere'],
    ['http://192.168.1.20:4870/', 'staff window'],
    ['http://10.0.0.5:4870/', 'staff window'],
    ['http://warehouse-hub:4870/', 'staff window'],
    ['http://hub.local:4870/', 'staff window'],
    ['http://8.8.8.8/', 'nowhere'],
    ['http://172.32.0.1/', 'nowhere'],
    ['file:///etc/passwd', 'nowhere'],
    ['javascript:alert(1)', 'nowhere'],
    ['proofpack-media://data/x.mp4', 'nowhere'],
  ])('a new window for %s is denied; it opens in the %s', async (url, where) => {
    expect(main().webContents.openHandler!({ url })).toEqual({ action: 'deny' });
    await settle();
    expect(h.state.openExternal.includes(url)).toBe(where === 'browser');
    expect(h.state.windows.slice(1).map((w) => w.url)).toEqual(where === 'staff window' ? [url] : []);
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

describe('the hub staff app in an app window (a staff workstation)', () => {
  const hub = { url: 'https://hub.example.lan:4870/', fingerprint: 'AB:CD' };
  beforeEach(() => {
    h.state.windows.length = 0;
    h.state.openExternal.length = 0;
    setPairedHubSource(async () => hub);
    createMainWindow();
  });

  it('opens the paired hub (https) sandboxed, without the preload, in its own session, and keeps it on the hub', async () => {
    h.state.windows[0]!.webContents.openHandler!({ url: 'https://hub.example.lan:4870/#setup=x' });
    await settle();
    const staff = lastWindow();
    expect(staff.url).toBe('https://hub.example.lan:4870/#setup=x');
    expect(staff.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(staff.options.webPreferences.preload).toBeUndefined();
    expect(h.state.partitions.has(STAFF_PARTITION)).toBe(true);
    hardenWebContents(staff.webContents as never); // as app.on('web-contents-created') does
    for (const [url, blocked] of [
      ['https://hub.example.lan:4870/staff/v1/orders', false],
      ['https://evil.example/', true],
      ['http://hub.example.lan:4870/', true],
    ] as const) {
      const e = { preventDefault: vi.fn() };
      staff.webContents.handlers.get('will-navigate')!(e, url);
      expect(e.preventDefault).toHaveBeenCalledTimes(blocked ? 1 : 0);
    }
    // its own pages (a photo) in another signed-in window; other sites in the browser
    staff.webContents.openHandler!({ url: 'https://hub.example.lan:4870/staff/v1/media/s/e' });
    staff.webContents.openHandler!({ url: 'https://pinduoduo.com/' });
    await settle();
    expect(lastWindow().url).toBe('https://hub.example.lan:4870/staff/v1/media/s/e');
    expect(h.state.openExternal).toEqual(['https://pinduoduo.com/']);
    // the hub's page may copy a link, nothing else
    const asked: [string, boolean][] = [];
    for (const p of ['clipboard-sanitized-write', 'media', 'geolocation', 'notifications'])
      h.state.partitions.get(STAFF_PARTITION)!.request!(null, p, (ok) => asked.push([p, ok]));
    expect(asked).toEqual([
      ['clipboard-sanitized-write', true],
      ['media', false],
      ['geolocation', false],
      ['notifications', false],
    ]);
  });

  it('trusts a self-signed hub certificate only when it is the one pinned at pairing, for that host', async () => {
    const { generate } = await import('selfsigned');
    const { X509Certificate } = await import('node:crypto');
    const pem = (await generate([{ name: 'commonName', value: 'hub' }], { keySize: 2048 })).cert;
    const other = (await generate([{ name: 'commonName', value: 'hub' }], { keySize: 2048 })).cert;
    const pinned = { url: 'https://192.168.1.20:4870/', fingerprint: new X509Certificate(pem).fingerprint256 };
    expect(isPinnedHubCertificate('192.168.1.20', pem, pinned)).toBe(true);
    expect(isPinnedHubCertificate('192.168.1.20', other, pinned)).toBe(false);
    expect(isPinnedHubCertificate('192.168.1.21', pem, pinned)).toBe(false);
    expect(isPinnedHubCertificate('192.168.1.20', pem, { ...pinned, fingerprint: null })).toBe(false);
    expect(isPinnedHubCertificate('192.168.1.20', 'not a certificate', pinned)).toBe(false);
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
