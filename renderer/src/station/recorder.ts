import type { ApiClient } from '../../../shared/api/contract';
import type { ApiError } from '../../../shared/api/result';
import type { CaptureMode, Evidence, RecordingSession } from '../../../shared/domain/types';

/** H.264 first (MP4 needs no re-encode); WebM/VP8 only where nothing else exists. */
const PREFERRED_MIMES = [
  'video/mp4;codecs=avc1',
  'video/x-matroska;codecs=avc1',
  'video/webm;codecs=h264',
  'video/webm;codecs=vp8',
  'video/webm',
];

/**
 * Chunk period. With keyframes every 500 ms, Chromium's MP4 muxer hands out a fragment
 * only once the next keyframe arrived, so a crash loses the timeslice in flight plus up to
 * one keyframe interval. Measured with kill -9 at random moments (tests/e2e/crash-recovery):
 * 1000 ms slices lost 0.6–1.5 s, 250 ms slices 0–0.55 s — inside the 1 s promise.
 */
export const TIMESLICE_MS = 250;
export const KEYFRAME_INTERVAL_MS = 500;

export const pickMime = () => PREFERRED_MIMES.find((m) => MediaRecorder.isTypeSupported(m)) ?? '';

export class RecorderError extends Error {
  constructor(readonly error: ApiError | { code: string; message: string; details?: unknown }) {
    super(error.message);
  }
}

export interface LiveStats {
  elapsedMs: number;
  bytes: number;
}

/**
 * One recording: MediaRecorder on the composited canvas stream, short timeslices sent in
 * order through the contract as they are produced (never held in memory), frequent
 * keyframes so a crash loses at most about a second.
 */
export class Recording {
  session: RecordingSession | null = null;
  readonly startedAt = performance.now();
  bytes = 0;
  /** free space of the data folder's disk, from the last chunk acknowledgement */
  freeBytes: number | null = null;
  /** set when a chunk could not be stored (disk full …): the UI stops and says so */
  failure: ApiError | null = null;
  private recorder: MediaRecorder;
  private seq = 0;
  private pending: Blob[] = [];
  private queue: Promise<void> = Promise.resolve();
  private stopped: Promise<void>;
  private sessionPromise: Promise<RecordingSession>;

  constructor(
    private api: ApiClient,
    stream: MediaStream,
    readonly code: string,
    readonly mode: CaptureMode,
    private onFailure: (r: Recording) => void,
    bitsPerSecond: number,
  ) {
    const mimeType = pickMime();
    const options = {
      mimeType,
      videoBitsPerSecond: bitsPerSecond,
      videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
    } as MediaRecorderOptions;
    this.recorder = new MediaRecorder(stream, options);
    this.stopped = new Promise((resolve) =>
      this.recorder.addEventListener(
        'stop',
        () => {
          performance.mark('proofpack:recorder-stopped', { detail: code });
          // the video track was made for this recording alone (usePreview.recordStream)
          stream.getVideoTracks().forEach((t) => t.stop());
          resolve();
        },
        { once: true },
      ),
    );
    this.recorder.ondataavailable = (e) => {
      if (e.data.size === 0) return;
      if (this.session) this.enqueue(e.data);
      else this.pending.push(e.data);
    };
    // performance marks let the benchmark measure scan → recording without test hooks
    this.recorder.addEventListener('start', () => performance.mark('proofpack:recorder-started', { detail: code }), {
      once: true,
    });
    // 'start' fires asynchronously, late on a busy machine: the mark before start() bounds
    // the recording's beginning from the other side
    performance.mark('proofpack:recorder-starting', { detail: code });
    this.recorder.start(TIMESLICE_MS);
    this.sessionPromise = api.call('capture.start', { code, mode, mime: mimeType || 'video/webm' }).then((r) => {
      if (!r.ok) throw new RecorderError(r.error);
      this.session = r.value;
      performance.mark('proofpack:session-ready', { detail: code });
      for (const blob of this.pending.splice(0)) this.enqueue(blob);
      return r.value;
    });
    this.sessionPromise.catch(() => this.recorder.state !== 'inactive' && this.recorder.stop());
  }

  /** resolves once the server has created the recording (rejects on a bad scan, low disk …) */
  ready(): Promise<RecordingSession> {
    return this.sessionPromise;
  }

  stats(): LiveStats {
    return { elapsedMs: performance.now() - this.startedAt, bytes: this.bytes };
  }

  private enqueue(blob: Blob) {
    const seq = this.seq++;
    this.queue = this.queue.then(async () => {
      if (this.failure || !this.session) return;
      const data = new Uint8Array(await blob.arrayBuffer());
      const r = await this.api.call('capture.chunk', { recordingId: this.session.id, seq, data });
      if (r.ok) {
        this.bytes = r.value.bytesOnDisk;
        this.freeBytes = r.value.freeBytes;
      } else {
        this.failure = r.error;
        this.onFailure(this);
      }
    });
  }

  mark(step: string) {
    const atMs = Math.round(performance.now() - this.startedAt);
    return this.sessionPromise.then((s) => this.api.call('capture.mark', { recordingId: s.id, step, atMs }));
  }

  /** Stop, let the last chunks land, then have the server make the playable hashed file. */
  async stop(): Promise<Evidence> {
    const session = await this.sessionPromise;
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    await this.stopped;
    await this.queue;
    const r = await this.api.call('capture.stop', {
      recordingId: session.id,
      durationMs: Math.round(performance.now() - this.startedAt),
    });
    if (!r.ok) throw new RecorderError(r.error);
    return r.value;
  }
}
