import { X509Certificate } from 'node:crypto';
import { LOCKED_DOWN } from './web-preferences';
import { BrowserWindow, session, type WebContents } from 'electron';

/** The hub this PC is paired with, as Settings shows it (the pinned certificate's SHA-256, if any). */
export interface StaffHub {
  url: string;
  fingerprint: string | null;
}

/** Its own cookie jar: staff stay signed in to the hub between runs, apart from the station page. */
export const STAFF_PARTITION = 'persist:proofpack-staff';
/** Copying a share link is all the hub's page may ask for. */
const STAFF_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Web contents showing a hub's staff app, and the one origin each may navigate within. */
const staffOrigins = new WeakMap<WebContents, string>();

export const staffOriginOf = (contents: WebContents): string | undefined => staffOrigins.get(contents);

const originOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
};

/**
 * Whether a link opens the hub's staff app inside ProofPack: the paired hub's own address
 * (https with a self-signed certificate only works here, where its pin is known), or plain
 * http on the LAN (this PC's own hub, an office PC opening one by address).
 */
export function isStaffAppLink(url: string, hub: StaffHub | null, lanHttp: (url: string) => boolean): boolean {
  const origin = originOf(url);
  if (!origin) return false;
  return (hub !== null && origin === originOf(hub.url)) || lanHttp(url);
}

/**
 * Whether the certificate a hub presents is the one this station pinned when it paired:
 * then it is trusted for that host even though no authority signed it.
 */
export function isPinnedHubCertificate(hostname: string, certPem: string, hub: StaffHub | null): boolean {
  if (!hub?.fingerprint) return false;
  try {
    if (new URL(hub.url).hostname.replace(/^\[|\]$/g, '') !== hostname.replace(/^\[|\]$/g, '')) return false;
    return new X509Certificate(certPem).fingerprint256 === hub.fingerprint;
  } catch {
    return false;
  }
}

let configured = false;
let current: StaffHub | null = null;

function configureStaffSession(): Electron.Session {
  const s = session.fromPartition(STAFF_PARTITION);
  if (configured) return s;
  configured = true;
  s.setPermissionRequestHandler((_wc, permission, callback) => callback(STAFF_PERMISSIONS.has(permission)));
  s.setPermissionCheckHandler((_wc, permission) => STAFF_PERMISSIONS.has(permission));
  // -3: Chromium decides as usual (a certificate from an authority); 0: the pinned hub
  s.setCertificateVerifyProc((req, callback) =>
    callback(isPinnedHubCertificate(req.hostname, req.certificate.data, current) ? 0 : -3),
  );
  return s;
}

/**
 * A window on the hub's staff app (issue 12: "the desktop app can also connect to a hub as
 * a staff workstation"): the hub's page as a stranger's web page — sandboxed, no preload,
 * no Node, no access to the station's contract — kept within the hub's origin. Staff sign
 * in there with their own account; downloads go through the usual save dialog.
 */
export function openStaffWindow(url: string, hub: StaffHub | null): BrowserWindow {
  current = hub;
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 360,
    title: 'ProofPack',
    autoHideMenuBar: true,
    webPreferences: {
      session: configureStaffSession(),
      ...LOCKED_DOWN,
    },
  });
  staffOrigins.set(win.webContents, originOf(url)!);
  void win.loadURL(url);
  return win;
}
