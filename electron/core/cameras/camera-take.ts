import type { CaptureMode, Evidence } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import type { RecordingService } from '../capture/recording-service';
import type { CameraFeed, FeedState } from './camera-feed';
import { insertCameraPart } from './camera-parts-repo';
import { pidOf, ptsElapsedMs, ptsOf, startsKeyframe, VIDEO_PID } from './ts-stream';

/** how often buffered camera bytes are appended and fsync'd: the most a crash can lose */
export const FLUSH_EVERY_MS = 250;
/** the longest a stop waits for footage still on its way from the camera */
export const DRAIN_LIMIT_MS = 4000;

interface Part {
  recordingId: string | null;
  partNo: number;
  seq: number;
  pending: Buffer[];
  /** the part's clock: its first frame's PTS and when that frame arrived (wall clock) */
  clock: { pts: number; at: number } | null;
  /** the PTS of the latest frame written to the part */
  lastPts: number | null;
}

export interface TakeResult {
  cameraId: string;
  saved: Evidence[];
  failures: string[];
  /** footage missing between parts (camera dropped), in order */
  gapsMs: number[];
}

/**
 * One camera's recording of one scan (a "take"). The feed's packets go through the same
 * crash-safe path as the webcam's chunks (RecordingService: part file, fsync before the
 * next write, finalized by remux at stop, recovered at start after a crash), every
 * FLUSH_EVERY_MS. When the camera drops, the part so far is saved and the take waits;
 * the first keyframe after the reconnect starts the next part of the same order, and the
 * gap between them is recorded with its length.
 */
export class CameraTake {
  private part: Part | null = null;
  private partNo = 0;
  private state: 'writing' | 'waiting' | 'stopped' = 'waiting';
  /** when the footage stopped (camera lost, or not live at the scan) */
  private lostAt: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private result: TakeResult;
  /** a stop waiting for the footage up to its own time (see stop) */
  private drain: { targetMs: number; done: () => void } | null = null;
  private readonly onPackets = (packets: Buffer[], at: number) => this.packets(packets, at);
  private readonly onState = (state: FeedState) => this.feedState(state);

  constructor(
    private ctx: CoreContext,
    private recordings: RecordingService,
    readonly feed: CameraFeed,
    readonly takeId: string,
    private scan: { code: string; mode: CaptureMode },
  ) {
    this.result = { cameraId: feed.camera.id, saved: [], failures: [], gapsMs: [] };
  }

  /** Starts at the latest keyframe the camera sent, or at the first one if it is not live. */
  begin(scanAt: number): void {
    this.feed.on('packets', this.onPackets);
    this.feed.on('state', this.onState);
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS);
    const pre = this.feed.preroll();
    if (pre) this.startPart(pre.packets, pre.keyframeAt);
    else {
      this.lostAt = scanAt;
      this.notice('warn', 'camera.notLive');
    }
  }

  get recording(): boolean {
    return this.state === 'writing';
  }

  /**
   * Stops at `at` (the stop scan) on the camera's own clock: the frames shot up to that
   * moment are still on their way (RTSP, ffmpeg, the pipe; seconds on a busy machine), so
   * the part keeps taking packets until a frame whose timestamp reaches the stop time has
   * arrived, the camera drops, or DRAIN_LIMIT_MS pass. Cutting at arrival instead left
   * the clip short of the scans by the feed's delay.
   */
  async stop(at = Date.now()): Promise<TakeResult> {
    const part = this.part;
    if (this.state === 'writing' && part?.clock && !this.reached(part, at)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => finish(), DRAIN_LIMIT_MS);
        const finish = () => {
          clearTimeout(timer);
          this.drain = null;
          resolve();
        };
        this.drain = { targetMs: at - part.clock!.at, done: finish };
      });
    }
    if (this.state !== 'stopped') {
      this.state = 'stopped';
      this.feed.off('packets', this.onPackets);
      this.feed.off('state', this.onState);
      if (this.timer) clearInterval(this.timer);
      this.closePart();
    }
    await this.queue;
    return this.result;
  }

  /** the part holds footage up to wall-clock time `at` (by its frames' timestamps) */
  private reached(part: Part, at: number): boolean {
    if (!part.clock || part.lastPts == null) return false;
    return ptsElapsedMs(part.clock.pts, part.lastPts) >= at - part.clock.at;
  }

  private packets(packets: Buffer[], at: number): void {
    const part = this.part;
    if (this.state === 'writing' && part) {
      for (const p of packets) {
        part.pending.push(p);
        const pts = pidOf(p) === VIDEO_PID ? ptsOf(p) : null;
        if (pts == null) continue;
        part.lastPts = pts;
        part.clock ??= { pts, at };
        if (this.drain && ptsElapsedMs(part.clock.pts, pts) >= this.drain.targetMs) {
          this.drain.done();
          return; // the rest came after the stop
        }
      }
      return;
    }
    if (this.state !== 'waiting') return;
    const key = packets.findIndex((p) => pidOf(p) === VIDEO_PID && startsKeyframe(p));
    if (key < 0) return;
    this.startPart([...this.feed.tables(), ...packets.slice(key)], at);
  }

  private feedState(state: FeedState): void {
    if (state !== 'down' || this.state !== 'writing') return;
    this.drain?.done(); // nothing more will come
    this.lostAt = this.feed.lastDataAt;
    this.state = 'waiting';
    this.closePart();
    this.notice('warn', 'camera.lost');
  }

  private startPart(first: Buffer[], keyframeAt: number): void {
    const gapMs = this.lostAt == null ? null : Math.max(0, keyframeAt - this.lostAt);
    const lostAt = this.lostAt;
    const part: Part = { recordingId: null, partNo: ++this.partNo, seq: 0, pending: first, clock: null, lastPts: null };
    for (const p of first) {
      const pts = pidOf(p) === VIDEO_PID ? ptsOf(p) : null;
      if (pts == null) continue;
      part.clock ??= { pts, at: keyframeAt };
      part.lastPts = pts;
    }
    this.part = part;
    this.state = 'writing';
    this.lostAt = null;
    if (gapMs != null) this.result.gapsMs.push(gapMs);
    if (gapMs != null && part.partNo > 1) this.notice('info', 'camera.back', { seconds: (gapMs / 1000).toFixed(1) });
    this.enqueue(async () => {
      const session = await this.recordings.start(
        { ...this.scan, mime: 'video/mp2t' },
        { at: new Date(keyframeAt), owner: 'core' },
      );
      part.recordingId = session.id;
      const camera = this.feed.camera;
      await insertCameraPart(this.ctx.db, {
        recordingId: session.id,
        cameraId: camera.id,
        cameraName: camera.name,
        role: camera.role,
        takeId: this.takeId,
        partNo: part.partNo,
        gapMs,
        lostAt: lostAt == null ? null : new Date(lostAt).toISOString(),
      });
    });
  }

  /** append what arrived since the last flush (one fsync'd write) */
  private flush(): void {
    const part = this.part;
    if (part && part.pending.length) this.enqueue(() => this.write(part));
  }

  private async write(part: Part): Promise<void> {
    if (!part.recordingId || part.pending.length === 0) return;
    const data = Buffer.concat(part.pending);
    part.pending = [];
    await this.recordings.chunk({ recordingId: part.recordingId, seq: part.seq++, data });
  }

  /** the current part is written out and saved (finalized) in the background queue */
  private closePart(): void {
    const part = this.part;
    this.part = null;
    if (!part) return;
    this.enqueue(async () => {
      await this.write(part);
      if (!part.recordingId) return;
      this.result.saved.push(await this.recordings.stop({ recordingId: part.recordingId }));
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e: Error) => {
      this.result.failures.push(e.message);
      console.error(`[proofpack] camera ${this.feed.camera.name}: ${e.message}`);
    });
  }

  private notice(level: 'info' | 'warn', code: string, params: Record<string, string | number> = {}): void {
    this.ctx.events.emit('notice', { level, code, params: { camera: this.feed.camera.name, ...params } });
  }
}
