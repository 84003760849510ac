import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../../electron/core/media/binaries';

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForLine(child: ChildProcess, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`RTSP server exited (${code}) before it was ready`)));
  });
}

export interface RtspTestServer {
  /** where a camera is read from (what the recorder is given) */
  cameraUrl(name: string): string;
  /** an ffmpeg "camera": a still picture (the label) encoded live and pushed to the server */
  startCamera(name: string, picture: string, opts?: CameraOptions): Promise<() => Promise<void>>;
  /** the server and every camera killed and started again on the same ports (an NVR restart) */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface CameraOptions {
  /** a moving test pattern instead of the still picture (motion) */
  moving?: boolean;
  /** \`picture\` is an H.264 video sent as it is, looped (no encoding: the benchmark's camera) */
  loopVideo?: boolean;
  fps?: number;
  /** keyframe interval in frames */
  gop?: number;
}

/**
 * rtsp-streaming-server in a child process and ffmpeg cameras publishing to it: the real
 * RTSP protocol on 127.0.0.1 (RTP over UDP, as the server serves it).
 */
export async function startRtspServer(): Promise<RtspTestServer> {
  const serverPort = await freePort();
  const clientPort = await freePort();
  const rtpStart = 20000 + 2 * Math.floor(Math.random() * 10000);
  const launch = async () => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./rtsp-server.mjs', import.meta.url)), ...[serverPort, clientPort, rtpStart].map(String)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await waitForLine(child, 'ready');
    return child;
  };
  let server = await launch();
  const cameras = new Set<ChildProcess>();
  const stop = async (child: ChildProcess) => {
    cameras.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  return {
    cameraUrl: (name) => `rtsp://127.0.0.1:${clientPort}/${name}`,
    async startCamera(name, picture, opts = {}) {
      const fps = opts.fps ?? 15;
      const input = opts.moving
        ? ['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=${fps}`]
        : ['-loop', '1', '-framerate', String(fps), '-i', picture];
      const encode = [
        ...['-vf', 'scale=640:-2,format=yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency'],
        ...['-crf', '20', '-g', String(opts.gop ?? 8)],
      ];
      const args = opts.loopVideo
        ? ['-re', '-stream_loop', '-1', '-i', picture, '-c:v', 'copy']
        : ['-re', ...input, ...encode];
      const child = spawn(
        ffmpegPath(),
        ['-hide_banner', '-loglevel', 'error', ...args, '-f', 'rtsp', `rtsp://127.0.0.1:${serverPort}/${name}`],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      cameras.add(child);
      return () => stop(child);
    },
    async restart() {
      for (const c of [...cameras]) await stop(c);
      await stop(server);
      server = await launch();
    },
    async close() {
      for (const c of [...cameras]) await stop(c);
      await stop(server);
    },
  };
}
