import type { CoreContext } from '../context';
import type { RecordingService } from '../capture/recording-service';
import type { CameraFeed } from './camera-feed';
import type { CameraHub } from './camera-hub';
import { readStationCameras } from './camera-store';
import { decodeFirstFrame } from './keyframe-decode';
import { hasMoved, MOTION_H as H, MOTION_W as W, movedShare } from '../../../shared/domain/motion';

export { movedShare };

/**
 * The page is asked again while its recording stays open this long after the notice: a
 * notice sent while its event socket was reconnecting, or while it was still waiting for
 * the recording's id, would otherwise leave the recording running forever.
 */
const ASK_AGAIN_MS = 10_000;

interface Watched {
  lastActivity: number;
  /** the latest probe picture per camera and the keyframe it came from */
  frames: Map<string, { keyframeAt: number; pixels: Uint8Array }>;
  /** when the page was asked to stop its recording (auto-stop notice sent) */
  askedAt?: number;
}

/**
 * Idle auto-stop: a recording with no motion on its views and no scan for N minutes
 * (cameras.json, default 5) is saved and stopped, so a forgotten recording does not fill
 * the disk. Motion is a difference of two tiny grey pictures (shared/domain/motion.ts):
 * for a network camera decoded from its latest keyframe (one keyframe decode per camera
 * per tick, nothing else decoded); for the PC camera the page compares its own pictures
 * and reports motion (`capture.activity`), like a scan. The page's recording is stopped
 * by the page (it owns the recorder): the core stops the cameras' takes and tells it
 * with the `recording.autoStopped` notice naming the recording.
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
        if (now - w.lastActivity >= idleMs) await this.autoStop(takeId, webcamOpen, idleMs, now);
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
        if (hasMoved(prev.pixels, pixels)) moved = true;
      }
      w.frames.set(feed.camera.id, { keyframeAt: pre.keyframeAt, pixels });
    }
    return moved;
  }

  private async autoStop(takeId: string, webcamOpen: boolean, idleMs: number, now: number): Promise<void> {
    // the page's recording stays watched until the page has stopped it (its recorder
    // still sends chunks); stopping it here would cut those off
    const w = this.watched.get(takeId);
    if (webcamOpen && w?.askedAt != null && now - w.askedAt < ASK_AGAIN_MS) return;
    if (webcamOpen && w) w.askedAt = now;
    else this.watched.delete(takeId);
    try {
      await this.hub.stopTakes(takeId);
    } catch (e) {
      console.error('[proofpack] auto-stop:', e);
    }
    this.ctx.events.emit('notice', {
      level: 'info',
      code: 'recording.autoStopped',
      params: { recordingId: takeId, minutes: Math.round((idleMs / 60_000) * 10) / 10 },
    });
  }
}
