import type { CaptureMode } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import type { RecordingService } from '../capture/recording-service';
import { CameraFeed, type FeedOptions, type FeedState } from './camera-feed';
import { readStationCameras, type StoredCamera } from './camera-store';
import { CameraTake, type TakeResult } from './camera-take';

export interface CameraStatus {
  cameraId: string;
  state: FeedState;
  lastError: string | null;
  recording: boolean;
}

/**
 * The station's network cameras while the app runs: one connected feed per camera
 * (cameras.json), and the takes of the scans being recorded. A scan starts a take on
 * every camera at once and a stop ends them together (the webcam's recording is started
 * and stopped in the same call, see core.ts).
 */
export class CameraHub {
  private feeds = new Map<string, CameraFeed>();
  private takes = new Map<string, CameraTake[]>();
  private running = false;

  constructor(
    private ctx: CoreContext,
    private recordings: RecordingService,
    private feedOptions: FeedOptions = {},
  ) {}

  /** connect every configured camera (and reconnect whenever the list changes: `reload`) */
  async start(): Promise<void> {
    this.running = true;
    await this.reload();
  }

  /** cameras added or removed: feeds follow the file; an edited camera is reconnected */
  async reload(): Promise<void> {
    if (!this.running) return;
    const cameras = readStationCameras(this.ctx.paths.root).cameras;
    const wanted = new Map(cameras.map((c) => [c.id, c]));
    for (const [id, feed] of this.feeds) {
      const c = wanted.get(id);
      if (!c || JSON.stringify(c) !== JSON.stringify(feed.camera)) {
        this.feeds.delete(id);
        await feed.stop();
      }
    }
    for (const c of cameras) if (!this.feeds.has(c.id)) this.feeds.set(c.id, this.connect(c));
  }

  feed(cameraId: string): CameraFeed | undefined {
    return this.feeds.get(cameraId);
  }

  status(): CameraStatus[] {
    const recordingIds = new Set(
      [...this.takes.values()]
        .flat()
        .filter((t) => t.recording)
        .map((t) => t.feed.camera.id),
    );
    return [...this.feeds.values()].map((f) => ({
      cameraId: f.camera.id,
      state: f.state,
      lastError: f.lastError,
      recording: recordingIds.has(f.camera.id),
    }));
  }

  /** one scan: every camera starts recording now (takeId links the views of the scan) */
  startTakes(takeId: string, scan: { code: string; mode: CaptureMode }, scanAt = Date.now()): CameraTake[] {
    if (this.takes.has(takeId)) return this.takes.get(takeId)!;
    const takes = [...this.feeds.values()].map((f) => new CameraTake(this.ctx, this.recordings, f, takeId, scan));
    for (const t of takes) t.begin(scanAt);
    if (takes.length) this.takes.set(takeId, takes);
    return takes;
  }

  /** ends every camera's take of the scan together; resolves when their files are saved */
  async stopTakes(takeId: string): Promise<TakeResult[]> {
    const takes = this.takes.get(takeId) ?? [];
    this.takes.delete(takeId);
    return Promise.all(takes.map((t) => t.stop()));
  }

  takesOf(takeId: string): CameraTake[] {
    return this.takes.get(takeId) ?? [];
  }

  activeTakeIds(): string[] {
    return [...this.takes.keys()];
  }

  async close(): Promise<void> {
    this.running = false;
    for (const id of this.activeTakeIds()) await this.stopTakes(id);
    await Promise.all([...this.feeds.values()].map((f) => f.stop()));
    this.feeds.clear();
  }

  private connect(camera: StoredCamera): CameraFeed {
    const feed = new CameraFeed(camera, this.feedOptions);
    feed.on('state', (state: FeedState, reason?: string) => {
      // the name only: the URL could carry credentials
      if (state === 'down') console.warn(`[proofpack] camera "${camera.name}" lost: ${reason ?? ''}`);
    });
    return feed.start();
  }
}
