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

/** resolves on the line, rejects if the child exits first or the line does not come in `limitMs` */
async function waitForLine(child: ChildProcess, text: string, limitMs = 30_000): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`RTSP server did not print "${text}" within ${limitMs} ms`));
    }, limitMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`RTSP server exited (${code}) before it was ready`));
    });
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

/** UDP ports the server may use for RTP: readers come and go faster than it frees them */
const RTP_PORT_COUNT = 2000;

/**
 * rtsp-streaming-server in a child process and ffmpeg cameras publishing to it: the real
 * RTSP protocol on 127.0.0.1 (RTP over UDP, as the server serves it).
 *
 * Both are supervised like real devices: a camera process that ends by itself (the server
 * refused or dropped it) is started again, and so is a server that dies, until the test
 * stops them. Without that, one refused request left the test waiting for a camera that
 * would never come back.
 */
export async function startRtspServer(): Promise<RtspTestServer> {
  const serverPort = await freePort();
  const clientPort = await freePort();
  // below Linux's ephemeral range (32768+), where ffmpeg's and other programs' sockets are
  const rtpStart = 10000 + 2 * Math.floor(Math.random() * ((32768 - 10000 - RTP_PORT_COUNT) / 2));
  let closing = false;
  let server: ChildProcess;
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('./rtsp-server.mjs', import.meta.url)),
        ...[serverPort, clientPort, rtpStart, RTP_PORT_COUNT].map(String),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await waitForLine(child, 'ready');
    child.once('exit', () => {
      if (closing || child !== server) return;
      console.warn('[rtsp-test-server] died; starting it again');
      void launch().then((c) => (server = c));
    });
    return child;
  };
  server = await launch();
  /** each camera: its current process, and whether the test still wants it */
  const cameras = new Set<{ child: ChildProcess; wanted: boolean }>();
  const kill = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  const stopCamera = async (cam: { child: ChildProcess; wanted: boolean }) => {
    cam.wanted = false;
    cameras.delete(cam);
    await kill(cam.child);
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
      const spawnCamera = () =>
        spawn(
          ffmpegPath(),
          ['-hide_banner', '-loglevel', 'error', ...args, '-f', 'rtsp', `rtsp://127.0.0.1:${serverPort}/${name}`],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        );
      const cam = { child: spawnCamera(), wanted: true };
      const watch = (child: ChildProcess) =>
        child.once('exit', () => {
          if (!cam.wanted || closing) return;
          // refused or cut off by the server: a real camera keeps trying, so does this one
          setTimeout(() => {
            if (!cam.wanted || closing) return;
            cam.child = spawnCamera();
            watch(cam.child);
          }, 300);
        });
      watch(cam.child);
      cameras.add(cam);
      return () => stopCamera(cam);
    },
    async restart() {
      for (const c of [...cameras]) await stopCamera(c);
      const old = server;
      server = null as unknown as ChildProcess; // its exit is ours, not a death to recover from
      await kill(old);
      server = await launch();
    },
    async close() {
      closing = true;
      for (const c of [...cameras]) await stopCamera(c);
      await kill(server);
    },
  };
}
