import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER_NAME = 'ProofPack';

/** The OS app-data folder, the same one Electron's app.getPath('userData') gives. */
export function defaultDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32')
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_FOLDER_NAME);
}

/** --data-dir wins, then PROOFPACK_DATA_DIR, then the OS default. */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  const chosen = flag || env.PROOFPACK_DATA_DIR;
  return chosen ? path.resolve(chosen) : defaultDataDir();
}
