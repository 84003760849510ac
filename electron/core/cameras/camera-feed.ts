import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { redactCredentials, urlWithCredentials } from '../../../shared/domain/camera';
import { ffmpegPath } from '../media/binaries';
import type { StoredCamera } from './camera-store';
import { PAT_PID, PMT_PID, pidOf, startsKeyframe, TsPacketizer, VIDEO_PID } from './ts-stream';

export type FeedState = 'connecting' | 'live' | 'down' | 'stopped';

export interface FeedOptions {
  /** no byte from the camera for this long: the connection is dead even if TCP says otherwise */
  stallMs?: number;
  /** a connection that has sent nothing yet gets this long (RTSP setup + stream probing) */
  connectMs?: number;
  /** first retry after a drop; doubles up to maxRetryMs */
  retryMs?: number;
  maxRetryMs?: number;
}

/** The packets from the latest keyframe on, with the tables a file needs to start with. */
export interface Preroll {
  packets: Buffer[];
  /** when the keyframe arrived (ms since epoch): the start time of a file beginning with it */
  keyframeAt: number;
}

/** never more than this held back as pre-roll (a camera with a very long keyframe interval) */
const MAX_GOP_BYTES = 24 * 1024 * 1024;

/**
 * One network camera, connected while the station runs: ffmpeg reads the camera and
 * writes its video as MPEG-TS to a pipe, H.264/H.265 stream-copied (no decoding), MJPEG
 * encoded to H.264 (it has no other way into an MP4). Keeping the connection open is
 * what lets a scan start the recording at once, at the latest keyframe, instead of
 * after the 1–3 s an RTSP connect-and-probe takes. A drop (ffmpeg exits, or nothing
 * arrives for `stallMs`) is reported and the camera is reconnected with backoff.
 *
 * Events: 'packets' (Buffer[], arrivedAt), 'state' (FeedState, reason?).
 */
export class CameraFeed extends EventEmitter {
  state: FeedState = 'connecting';
  /** last time a byte arrived from this camera */
  lastDataAt = 0;
  /** the ffmpeg error that ended the last connection, credentials removed */
  lastError: string | null = null;
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private gop: Buffer[] = [];
  private gopBytes = 0;
  private gopAt = 0;
  private pat: Buffer | null = null;
  private pmt: Buffer | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** set when the stall check killed the connection: that, not ffmpeg's last line, is the reason */
  private stalledFor: number | null = null;
  private connectedAt = 0;
  private gotData = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private retryMs: number;
  private readonly o: Required<FeedOptions>;

  constructor(
    readonly camera: StoredCamera,
    opts: FeedOptions = {},
  ) {
    super();
    this.o = { stallMs: 5000, connectMs: 15_000, retryMs: 500, maxRetryMs: 5000, ...opts };
    this.retryMs = this.o.retryMs;
  }

  start(): this {
    if (this.state === 'stopped') return this;
    this.connect();
    this.stallTimer = setInterval(() => this.checkStall(), Math.min(1000, this.o.stallMs / 2));
    this.stallTimer.unref();
    return this;
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.stallTimer) clearInterval(this.stallTimer);
    const child = this.child;
    if (!child) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.kill('SIGKILL');
    await closed;
  }

  /** the ffmpeg reading the camera (the benchmark measures its CPU) */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** what a file starting now begins with, or null while no keyframe has arrived */
  preroll(): Preroll | null {
    if (this.state !== 'live' || !this.pat || !this.pmt || this.gop.length === 0) return null;
    return { packets: [this.pat, this.pmt, ...this.gop], keyframeAt: this.gopAt };
  }

  /** PAT + PMT to put before a keyframe that starts a file */
  tables(): Buffer[] {
    return this.pat && this.pmt ? [this.pat, this.pmt] : [];
  }

  private connect(): void {
    const input = urlWithCredentials(this.camera.url, this.camera.username, this.camera.password);
    const child = spawn(ffmpegPath(), feedArgs(this.camera.kind, input), {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    this.setState('connecting');
    this.gop = [];
    this.gopBytes = 0;
    this.connectedAt = Date.now();
    this.gotData = false;
    const packetizer = new TsPacketizer();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2000);
    });
    child.stdout.on('data', (d: Buffer) => {
      const at = Date.now();
      this.lastDataAt = at;
      this.gotData = true;
      const packets = packetizer.push(d);
      if (packets.length) this.take(packets, at);
    });
    child.on('error', (e) => {
      stderr += e.message;
    });
    child.on('close', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.state === 'stopped') return;
      const last = stderr.trim().split(/\r?\n/).pop() ?? '';
      this.lastError =
        this.stalledFor != null
          ? `no data from the camera for ${this.stalledFor} ms`
          : redactCredentials(last || `ffmpeg ended (${code ?? signal})`);
      this.stalledFor = null;
      this.setState('down', this.lastError);
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryTimer.unref();
      this.retryMs = Math.min(this.retryMs * 2, this.o.maxRetryMs);
    });
  }

  private take(packets: Buffer[], at: number): void {
    for (const p of packets) {
      const pid = pidOf(p);
      if (pid === PAT_PID) this.pat = Buffer.from(p);
      else if (pid === PMT_PID) this.pmt = Buffer.from(p);
      else if (pid === VIDEO_PID && startsKeyframe(p)) {
        this.gop = [];
        this.gopBytes = 0;
        this.gopAt = at;
        if (this.state !== 'live') {
          this.retryMs = this.o.retryMs;
          this.setState('live');
        }
      }
      if (this.state === 'live' && this.gopBytes < MAX_GOP_BYTES && pid !== PAT_PID && pid !== PMT_PID) {
        this.gop.push(p);
        this.gopBytes += p.length;
      }
    }
    this.emit('packets', packets, at);
  }

  private checkStall(): void {
    if (!this.child || this.state === 'stopped') return;
    const limit = this.gotData ? this.o.stallMs : this.o.connectMs;
    if (Date.now() - (this.gotData ? this.lastDataAt : this.connectedAt) >= limit) {
      this.stalledFor = limit;
      this.child.kill('SIGKILL'); // 'close' reports the drop and reconnects
    }
  }

  private setState(state: FeedState, reason?: string): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state, reason);
  }
}

/**
 * ffmpeg reading one camera into MPEG-TS on stdout. Video only: camera audio is often
 * G.711, which MP4 cannot hold, and the evidence is the picture. Fixed PIDs let
 * ts-stream.ts find the tables and keyframes; every packet is flushed at once so a
 * crash of the app loses only what is in the pipe.
 */
export function feedArgs(kind: StoredCamera['kind'], input: string): string[] {
  const encode =
    kind === 'mjpeg'
      ? [
          ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '15'],
          // the encoder on the MPEG-TS clock: on the guessed 25 fps grid, frames of a faster
          // camera that fell on the same tick were dropped
          ...['-enc_time_base', '1:90000'],
        ]
      : ['-c:v', 'copy'];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    ...(kind === 'rtsp' ? ['-stimeout', '5000000'] : []),
    // multipart JPEG has no timestamps: ffmpeg numbered the frames as 25 fps, so a 10 fps
    // camera's minute became 24 s of video. A frame's time is when it arrived.
    ...(kind === 'mjpeg' ? ['-use_wallclock_as_timestamps', '1'] : []),
    '-i',
    input,
    '-map',
    '0:v:0',
    ...encode,
    '-an',
    '-f',
    'mpegts',
    '-mpegts_pmt_start_pid',
    String(PMT_PID),
    '-mpegts_start_pid',
    String(VIDEO_PID),
    '-flush_packets',
    '1',
    'pipe:1',
  ];
}
