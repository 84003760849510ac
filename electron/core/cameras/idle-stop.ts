import type { CoreContext } from '../context';
import type { RecordingService } from '../capture/recording-service';
import type { CameraFeed } from './camera-feed';
import type { CameraHub } from './camera-hub';
import { readStationCameras } from './camera-store';
import { decodeFirstFrame } from './keyframe-decode';

/** motion probe picture: 32×18 grey, small enough that sensor noise and compression average out */
const W = 32;
const H = 18;
/** a pixel "moved" when its grey level changed by more than this (0–255) */
const PIXEL_DELTA = 24;
/** the picture moved when more than this share of its pixels did */
const MOVED_SHARE = 0.02;

interface Watched {
  lastActivity: number;
  /** the latest probe picture per camera and the keyframe it came from */
  frames: Map<string, { keyframeAt: number; pixels: Buffer }>;
}

/** share of pixels whose grey level changed by more than PIXEL_DELTA */
export function movedShare(a: Buffer, b: Buffer): number {
  if (a.length !== b.length || a.length === 0) return 1;
  let moved = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > PIXEL_DELTA) moved++;
  return moved / a.length;
}

/**
 * Idle auto-stop: a recording with no motion on its cameras and no scan for N minutes
 * (cameras.json, default 5) is saved and stopped, so a forgotten recording does not fill
 * the disk. Motion is a difference of two tiny grey pictures decoded from the camera's
 * latest keyframe (one keyframe decode per camera per tick, nothing else decoded).
 */
export class IdleStopper {
  private watched = new Map<string, Watched>();
  /** pictures compared so far (tests wait on it) */
  comparisons = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly tickMs: number;

  constructor(
    private ctx: CoreContext,
    private recordings: RecordingService,
    private hub: CameraHub,
    opts: { tickMs?: number } = {},
  ) {
    this.tickMs = opts.tickMs ?? 5000;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  watch(takeId: string, at = Date.now()): void {
    this.watched.set(takeId, { lastActivity: at, frames: new Map() });
  }

  /** a scan during the recording (a checklist step, a serial number) is activity */
  activity(takeId: string, at = Date.now()): void {
    const w = this.watched.get(takeId);
    if (w) w.lastActivity = Math.max(w.lastActivity, at);
  }

  async tick(now = Date.now()): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const idleMs = readStationCameras(this.ctx.paths.root).idleStopMinutes * 60_000;
      for (const [takeId, w] of this.watched) {
        const takes = this.hub.takesOf(takeId);
        const webcamOpen = this.recordings.openIds().includes(takeId);
        if (takes.length === 0 && !webcamOpen) {
          this.watched.delete(takeId); // stopped by the station
          continue;
        }
        if (!webcamOpen && (await this.recordings.exists(takeId))) {
          // the page's recording was saved by the watchdog (page gone): the cameras stop with it
          this.watched.delete(takeId);
          await this.hub.stopTakes(takeId);
          continue;
        }
        if (
          await this.moved(
            takes.map((t) => t.feed),
            w,
          )
        )
          w.lastActivity = now;
        if (now - w.lastActivity >= idleMs) await this.autoStop(takeId, webcamOpen, idleMs);
      }
    } finally {
      this.busy = false;
    }
  }

  private async moved(feeds: CameraFeed[], w: Watched): Promise<boolean> {
    let moved = false;
    for (const feed of feeds) {
      const pre = feed.preroll();
      if (!pre) continue;
      const prev = w.frames.get(feed.camera.id);
      if (prev && prev.keyframeAt === pre.keyframeAt) continue; // no new keyframe since the last look
      const pixels = await decodeFirstFrame(pre.packets, [
        '-vf',
        `scale=${W}:${H},format=gray`,
        '-f',
        'rawvideo',
      ]).catch(() => null);
      if (!pixels) continue;
      if (prev) {
        this.comparisons++;
        if (movedShare(prev.pixels, pixels) > MOVED_SHARE) moved = true;
      }
      w.frames.set(feed.camera.id, { keyframeAt: pre.keyframeAt, pixels });
    }
    return moved;
  }

  private async autoStop(takeId: string, webcamOpen: boolean, idleMs: number): Promise<void> {
    this.watched.delete(takeId);
    const results = await Promise.allSettled([
      webcamOpen ? this.recordings.stop({ recordingId: takeId }) : Promise.resolve(null),
      this.hub.stopTakes(takeId),
    ]);
    for (const r of results) if (r.status === 'rejected') console.error('[proofpack] auto-stop:', r.reason);
    this.ctx.events.emit('notice', {
      level: 'info',
      code: 'recording.autoStopped',
      params: { recordingId: takeId, minutes: Math.round((idleMs / 60_000) * 10) / 10 },
    });
  }
}
