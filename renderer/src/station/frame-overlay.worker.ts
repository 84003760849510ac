import { overlayFrame, visibleSize, type Patch } from './frame-blend';

/**
 * The recording's overlay off the main thread (frame-overlay.ts sends each recording's
 * camera frames and generator sink here as one pipe, by id). Without a GPU the page's own
 * drawing and React work took the time the frames needed; here each frame waits for
 * nothing but its own copy. Messages in: `start` {id, readable, writable}, `patch` {id,
 * patch}. Out: `ready`, `size` {id, w, h} (a frame came with no patch for its size: it is
 * dropped, never sent bare), `ended` {id}.
 */
type In =
  | { type: 'start'; id: number; readable: ReadableStream<VideoFrame>; writable: WritableStream<VideoFrame> }
  | { type: 'patch'; id: number; patch: Patch };

const scope = self as unknown as {
  postMessage(m: unknown): void;
  onmessage: ((e: MessageEvent<In>) => void) | null;
};

/** one per recording: two views recorded at once must not share a scratch buffer */
interface Pipe {
  patch: Patch | null;
  asked: string;
  scratch: { buf: Uint8Array };
}
const pipes = new Map<number, Pipe>();
/** pipes that ended: a patch the page sent meanwhile must not bring one back (ids only) */
const ended = new Set<number>();
const pipeOf = (id: number): Pipe => {
  let p = pipes.get(id);
  if (!p) pipes.set(id, (p = { patch: null, asked: '', scratch: { buf: new Uint8Array(0) } }));
  return p;
};

scope.onmessage = (e) => {
  const m = e.data;
  // the patch is sent before the pipe starts: the first frame already names the order
  if (ended.has(m.id)) return;
  if (m.type === 'patch') pipeOf(m.id).patch = m.patch;
  else if (m.type === 'start') {
    const pipe = pipeOf(m.id);
    const overlay = new TransformStream<VideoFrame, VideoFrame>({
      async transform(frame, ctl) {
        const { w, h } = visibleSize(frame);
        const patch = pipe.patch;
        if (!patch || patch.frameW !== w || patch.frameH !== h) {
          const want = `${w}x${h}`;
          if (pipe.asked !== want) scope.postMessage({ type: 'size', id: m.id, w, h });
          pipe.asked = want;
          frame.close();
          return;
        }
        ctl.enqueue(await overlayFrame(frame, patch, pipe.scratch));
      },
    });
    void m.readable
      .pipeThrough(overlay)
      .pipeTo(m.writable)
      .catch(() => undefined) // the recording stopped its track
      .finally(() => {
        pipes.delete(m.id);
        ended.add(m.id);
        scope.postMessage({ type: 'ended', id: m.id });
      });
  }
};
/**
 * Runs the pixel code on made-up frames before any recording needs it. Why: cold, the
 * first frames of a recording took 150, 43, 28, 32 ms each (V8 had not compiled the
 * loops yet) and the camera's frames that came meanwhile were lost: a 1080p30 recording
 * opened with gaps of 100 ms. Warm, a frame takes about 2 ms.
 */
async function warmUp() {
  const w = 1280;
  const h = 720;
  const patch: Patch = {
    key: 'warm-up',
    frameW: w,
    frameH: h,
    w: 64,
    h: 32,
    y: new Uint16Array(64 * 32).fill(235 * 128),
    a: new Uint8Array(64 * 32).fill(128),
    u: new Uint16Array(16 * 32).fill(128 * 128),
    v: new Uint16Array(16 * 32).fill(128 * 128),
    ca: new Uint8Array(16 * 32).fill(128),
    recording: true,
    border: { width: 8, yuv: [81, 90, 240] },
  };
  const scratch = { buf: new Uint8Array(0) };
  for (const format of ['I420', 'NV12'] as const)
    for (let i = 0; i < 8; i++) {
      const frame = new VideoFrame(new Uint8Array((w * h * 3) / 2), {
        format,
        codedWidth: w,
        codedHeight: h,
        timestamp: i,
      });
      (await overlayFrame(frame, patch, scratch)).close();
    }
}

void warmUp()
  .catch(() => undefined) // only a head start: recordings work without it
  .finally(() => scope.postMessage({ type: 'ready' }));
