import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Debian `socat` makes a pseudo-terminal pair: a scale at one end, the app at the other. */
export const socatMissing = spawnSync('socat', ['-V'], { stdio: 'ignore' }).error != null;

export interface PtyPair {
  /** the scale's end: frames written here come out of `app` */
  scale: string;
  /** the port path the app opens */
  app: string;
  /** write frames as the scale would (the scale end is kept open, as a scale's line is) */
  send(text: string): void;
  /** the pty pair goes away (USB unplugged): socat ends, both links are removed */
  unplug(): Promise<void>;
}

/** Starts socat with links `scale` and `app` in `dir` and waits until both exist. */
export async function startPtyPair(dir: string): Promise<PtyPair> {
  const scale = path.join(dir, 'scale');
  const app = path.join(dir, 'app');
  const proc: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${scale}`, `pty,raw,echo=0,link=${app}`], {
    stdio: 'ignore',
  });
  for (let i = 0; !(fs.existsSync(scale) && fs.existsSync(app)); i++) {
    if (i > 100 || proc.exitCode != null) throw new Error('socat did not make the pty pair');
    await new Promise((r) => setTimeout(r, 50));
  }
  let fd: number | null = fs.openSync(scale, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
  return {
    scale,
    app,
    send: (text) => {
      if (fd != null) fs.writeSync(fd, text);
    },
    async unplug() {
      if (fd != null) fs.closeSync(fd);
      fd = null;
      if (proc.exitCode == null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Polls `fn` until it returns a truthy value, resending frames with `tick` meanwhile. */
export async function until<T>(fn: () => T | Promise<T>, tick: () => void = () => undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    tick();
    await new Promise((r) => setTimeout(r, 50));
  }
}
