import { breakoutApi } from './breakout';
import { FRAME_FORMATS, overlayFrame, patchFromRgba, visibleSize, yuv, type Patch } from './frame-blend';
import { layoutOverlayBox, paintOverlayBox, recordingBorderWidth, REC_COLOR, type OverlayInfo } from './overlay';

/**
 * The recorded picture made from the camera's own frames rather than from the preview
 * canvas. Why: on a PC without a usable GPU, drawing every 1080p frame on a canvas and
 * reading it back for MediaRecorder kept up with only ~12 of 30 frames a second, so
 * recordings lost most of their frames (bench: webcam-overlay-paths). Here each camera
 * frame (VideoFrame, I420 or NV12) is copied once to memory, the overlay box — rendered on
 * a small canvas only when its text changes, once a second — is blended into its pixels,
 * and the frame goes on to MediaRecorder through a MediaStreamTrackGenerator. The frames
 * are worked on in the page's one worker (frame-overlay.worker.ts) so the page's own work
 * never delays them; until it is ready, or where none can start, here on the main thread. The box and the red
 * recording frame are the ones the preview shows, drawn by the same code (overlay.ts).
 */

/** Whether this camera's frames can be overlaid in memory: looks at one of its frames. */
export async function cameraFramesUsable(camera: MediaStreamTrack): Promise<boolean> {
  const api = breakoutApi();
  if (!api) return false;
  const probe = camera.clone();
  const reader = new api.Processor({ track: probe }).readable.getReader();
  try {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 5000));
    const got = await Promise.race([reader.read(), timeout]);
    if (!got || got.done) return false;
    const ok = FRAME_FORMATS.has(got.value.format ?? '');
    got.value.close();
    return ok;
  } catch {
    return false;
  } finally {
    void reader.cancel().catch(() => undefined);
    probe.stop();
  }
}

const RED = yuv(...(REC_COLOR.match(/[0-9a-f]{2}/gi)!.map((h) => parseInt(h, 16)) as [number, number, number]));

/** Renders the overlay box as a Patch for a frame size, again only when its text changes. */
function patchRenderer(info: () => OverlayInfo) {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let last: Patch | null = null;
  return (frameW: number, frameH: number): Patch => {
    const now = info();
    // the box changes with the second, the lines or the recording's time: laid out only then
    const key = [frameW, frameH, now.lang, Math.floor(now.now.getTime() / 1000), now.elapsedText, now.recording]
      .concat(now.lines)
      .join('\n');
    if (last?.key === key) return last;
    const box = layoutOverlayBox(ctx, frameW, frameH, now);
    const w = (Math.ceil(box.pad + box.boxW) + 1) & ~1;
    const h = (Math.ceil(box.pad + box.boxH) + 1) & ~1;
    canvas.width = w; // also clears it
    canvas.height = h;
    paintOverlayBox(ctx, box);
    const border = { width: recordingBorderWidth(frameH), yuv: RED };
    last = patchFromRgba(ctx.getImageData(0, 0, w, h).data, w, h, {
      key,
      frameW,
      frameH,
      recording: !!now.recording,
      border,
    });
    return last;
  };
}

type WorkerState = 'starting' | 'ready' | 'unavailable';
interface WorkerPipe {
  /** the worker met a frame size it has no patch for */
  onSize(w: number, h: number): void;
  onEnded(): void;
}

/**
 * The page's one overlay worker, started with the preview (warmOverlayWorker) so that no
 * recording ever waits for it: a worker's start can take seconds on a busy PC, and a
 * recording that waited for it got no frames at all when it was short. Each recording is
 * one pipe in it, by id. A recording that starts before the worker is ready, or where none
 * can start, is overlaid on the page.
 */
const shared: {
  state: WorkerState | null;
  worker: Worker | null;
  pipes: Map<number, WorkerPipe>;
  told: ((s: WorkerState) => void)[];
} = {
  state: null,
  worker: null,
  pipes: new Map(),
  told: [],
};
let nextPipeId = 1;

function settle(state: 'ready' | 'unavailable') {
  shared.state = state;
  for (const tell of shared.told.splice(0)) tell(state);
}

/** Starts the page's overlay worker once; `onState` hears 'ready' or 'unavailable' (at once when known). */
export function warmOverlayWorker(onState: (s: WorkerState) => void = () => undefined): void {
  if (shared.state === 'ready' || shared.state === 'unavailable') return onState(shared.state);
  shared.told.push(onState);
  if (shared.state === 'starting') return;
  shared.state = 'starting';
  let worker: Worker;
  try {
    worker = new Worker(new URL('./frame-overlay.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return settle('unavailable');
  }
  worker.onerror = () => {
    // it could not load, or it failed: recordings from now on are overlaid on the page
    worker.terminate();
    shared.worker = null;
    for (const pipe of shared.pipes.values()) pipe.onEnded();
    shared.pipes.clear();
    if (shared.state !== 'unavailable') settle('unavailable');
  };
  worker.onmessage = (e: MessageEvent<{ type: string; id?: number; w?: number; h?: number }>) => {
    const m = e.data;
    if (m.type === 'ready') {
      shared.worker = worker;
      return settle('ready');
    }
    const pipe = shared.pipes.get(m.id ?? 0);
    if (m.type === 'size') pipe?.onSize(m.w!, m.h!);
    else if (m.type === 'ended') pipe?.onEnded();
  };
}

/** How often the worker's patch is brought up to date: the clock in the box moves once a second. */
const PATCH_TICK_MS = 40;

/**
 * A video track of `camera`'s frames with the overlay `info()` describes. Stopping the
 * returned track (the recording does when it ends) ends the pipe and the camera clone it
 * reads.
 */
export function overlaidCameraTrack(
  camera: MediaStreamTrack,
  info: () => OverlayInfo,
  /** told where the frames are worked on */
  onRunning: (where: 'worker' | 'page') => void = () => undefined,
): MediaStreamTrack {
  const api = breakoutApi()!;
  const source = camera.clone();
  const out = new api.Generator({ kind: 'video' });
  const patchFor = patchRenderer(info);
  const id = nextPipeId++;
  let ended = false;
  /** the patch tick, set once the worker has the pipe */
  const tick: { timer?: ReturnType<typeof setInterval> } = {};
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(tick.timer);
    shared.pipes.delete(id);
    source.stop();
  };
  // a stopped generator does not always fail the pipe's next write: the recording's stop ends it all
  const stopOut = out.stop.bind(out);
  out.stop = () => {
    stopOut();
    end();
  };
  const readable = new api.Processor({ track: source }).readable;
  const worker = shared.worker;
  onRunning(worker ? 'worker' : 'page');
  if (!worker) {
    runHere(readable, out.writable, patchFor, end);
    return out;
  }
  const set = source.getSettings();
  let size = { w: set.width ?? 0, h: set.height ?? 0 };
  let sent: Patch | null = null;
  const send = () => {
    if (!size.w || !size.h) return;
    const p = patchFor(size.w, size.h);
    if (p === sent) return;
    sent = p;
    // a copy crosses: the renderer keeps its own to compare keys with
    worker.postMessage({ type: 'patch', id, patch: p });
  };
  shared.pipes.set(id, {
    onSize: (w, h) => {
      size = { w, h };
      send();
    },
    onEnded: end,
  });
  send(); // before the first frame: the recording's first frame already names the order
  tick.timer = setInterval(send, PATCH_TICK_MS);
  worker.postMessage({ type: 'start', id, readable, writable: out.writable }, [
    readable as unknown as Transferable,
    out.writable as unknown as Transferable,
  ]);
  return out;
}

/** The same work on the main thread, where no worker could start. */
function runHere(
  readable: ReadableStream<VideoFrame>,
  writable: WritableStream<VideoFrame>,
  patchFor: (w: number, h: number) => Patch,
  end: () => void,
) {
  const scratch = { buf: new Uint8Array(0) };
  const overlay = new TransformStream<VideoFrame, VideoFrame>({
    async transform(frame, ctl) {
      const { w, h } = visibleSize(frame);
      ctl.enqueue(await overlayFrame(frame, patchFor(w, h), scratch));
    },
  });
  void readable
    .pipeThrough(overlay)
    .pipeTo(writable)
    .catch(() => undefined) // the recording stopped its track: the pipe ends here
    .finally(end);
}
