import path from 'node:path';
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { LOCKED_DOWN } from './web-preferences';
import { isStaffAppLink, openStaffWindow, staffOriginOf, type StaffHub } from './staff-window';

/** Camera (and microphone, when audio recording is on) is all the page may ask for. */
const ALLOWED_PERMISSIONS = new Set(['media']);

const isOwnPage = (url: string) => url.startsWith('file://');

/**
 * Plain http to this LAN (the warehouse hub's staff app, Settings → Warehouse hub): a
 * private or loopback IPv4 address, localhost, a one-word host name or a .local/.lan name.
 */
export function isLanHttp(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:') return false;
  const h = u.hostname.toLowerCase();
  const ip = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (ip) {
    const [a, b] = [Number(ip[1]), Number(ip[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  return h === 'localhost' || !h.includes('.') || h.endsWith('.local') || h.endsWith('.lan');
}

let pairedHub: () => Promise<StaffHub | null> = async () => null;
/** How the shell learns which hub this station is paired with (read from the core when a link is opened). */
export function setPairedHubSource(source: () => Promise<StaffHub | null>): void {
  pairedHub = source;
}

const sameOrigin = (url: string, origin: string | undefined) => {
  try {
    return origin !== undefined && new URL(url).origin === origin;
  } catch {
    return false;
  }
};

/**
 * Everything a web page could use to leave the app is refused: navigating the window
 * elsewhere (links, redirects, drag-and-drop of a URL), opening windows, attaching
 * <webview>s. The hub's staff app (the paired hub, or plain http on the LAN) opens in its
 * own window (staff-window.ts), which may move within the hub's origin only; other https
 * links open in the system browser, never inside the app.
 */
export function hardenWebContents(contents: WebContents): void {
  const guard = (e: Electron.Event, url: string) => {
    if (!sameOrigin(url, staffOriginOf(contents))) e.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const staffOrigin = staffOriginOf(contents);
    void pairedHub()
      .catch(() => null)
      .then((hub) => {
        // from the staff app: its own pages (a photo, a share link) in another of its windows,
        // signed in; from the station: the hub's staff app; anything else in the browser
        const inApp = staffOrigin ? sameOrigin(url, staffOrigin) : isStaffAppLink(url, hub, isLanHttp);
        if (inApp) openStaffWindow(url, hub);
        else if (/^https:\/\//.test(url) || isLanHttp(url)) void shell.openExternal(url);
      });
    return { action: 'deny' };
  });
}

/**
 * The app window: sandboxed renderer with context isolation and no Node; it cannot
 * navigate away or open windows, and only our own page gets the camera.
 */
export function createMainWindow(): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isOwnPage(wc.getURL()));
  });
  session.defaultSession.setPermissionCheckHandler(
    (_wc, permission, requestingOrigin) =>
      ALLOWED_PERMISSIONS.has(permission) && (requestingOrigin === '' || isOwnPage(requestingOrigin)),
  );

  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    title: 'ProofPack',
    backgroundColor: '#0f172a',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      ...LOCKED_DOWN,
      spellcheck: false,
      // the station draws and records frames on a timer: it must not slow down when covered
      backgroundThrottling: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  hardenWebContents(win.webContents);
  void win.loadFile(path.join(__dirname, '../renderer/index.html'));
  return win;
}
