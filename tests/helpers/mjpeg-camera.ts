import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import { ffmpegPath } from '../../electron/core/media/binaries';

/** the boundary ffmpeg's mpjpeg muxer writes between pictures (its `-boundary_tag` default) */
const BOUNDARY = 'ffmpeg';

export interface MjpegCameraOptions {
  /** pictures per second (MJPEG cameras send 5–15, and say nothing about when) */
  fps?: number;
  /** HTTP basic auth the camera asks for */
  auth?: { username: string; password: string };
}

export interface MjpegTestCamera {
  /** the camera's stream URL on 127.0.0.1 (without credentials) */
  url(): string;
  /** requests answered with the stream, and refused for lacking the right Authorization */
  served: number;
  refused: number;
  /** the camera is switched off: listener closed, every viewer cut, every encoder killed */
  powerOff(): Promise<void>;
  /** back on the same port */
  powerOn(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP MJPEG camera on 127.0.0.1, as cheap IP cameras serve one: every viewer gets
 * `multipart/x-mixed-replace` with one JPEG per part, encoded live by real ffmpeg
 * (`-f mpjpeg`) from a still picture (the label). Basic auth is checked like a camera
 * does: 401 with a `WWW-Authenticate` challenge, then the stream for the right password.
 */
export async function startMjpegCamera(picture: string, opts: MjpegCameraOptions = {}): Promise<MjpegTestCamera> {
  const fps = opts.fps ?? 10;
  const expected = opts.auth
    ? `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`
    : null;
  const encoders = new Set<ChildProcess>();
  const sockets = new Set<net.Socket>();
  let port = 0;
  let server: http.Server | null = null;

  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (expected && req.headers.authorization !== expected) {
      camera.refused++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="IP Camera"' }).end();
      return;
    }
    camera.served++;
    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace;boundary=${BOUNDARY}`,
      'Cache-Control': 'no-cache',
    });
    const encoder = spawn(
      ffmpegPath(),
      [
        ...['-hide_banner', '-loglevel', 'error', '-re', '-loop', '1', '-framerate', String(fps), '-i', picture],
        ...['-vf', 'scale=640:-2', '-c:v', 'mjpeg', '-q:v', '4', '-f', 'mpjpeg', '-boundary_tag', BOUNDARY, 'pipe:1'],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    encoders.add(encoder);
    encoder.once('exit', () => {
      encoders.delete(encoder);
      res.end();
    });
    encoder.stdout.pipe(res);
    // the viewer went away: stop encoding for it
    res.once('close', () => encoder.kill('SIGKILL'));
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = http.createServer(serve);
      s.on('connection', (sock) => {
        sockets.add(sock);
        sock.once('close', () => sockets.delete(sock));
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const powerOff = async () => {
    const s = server;
    server = null;
    if (!s) return;
    const closed = new Promise((r) => s.close(r));
    for (const sock of sockets) sock.destroy();
    const exits = [...encoders].map((e) => new Promise((r) => (e.exitCode !== null ? r(null) : e.once('exit', r))));
    for (const e of encoders) e.kill('SIGKILL');
    await Promise.all([closed, ...exits]);
  };

  const camera: MjpegTestCamera = {
    url: () => `http://127.0.0.1:${port}/video.mjpg`,
    served: 0,
    refused: 0,
    powerOff,
    powerOn: listen,
    close: powerOff,
  };
  await listen();
  return camera;
}
