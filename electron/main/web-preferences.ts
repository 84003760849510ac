/**
 * What every ProofPack window runs its page with: sandboxed, isolated, no Node anywhere,
 * no <webview>, web security on. A window adds only what it needs (a preload, a session).
 */
export const LOCKED_DOWN = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
} as const;
