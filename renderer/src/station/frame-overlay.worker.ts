import { overlayFrame, visibleSize, type Patch } from './frame-blend';

/**
 * The recording's overlay off the main thread (frame-overlay.ts sends the camera's frames
 * and the generator's sink here). Without a GPU the page's own drawing and React work
 * took the time the frames needed; here each frame waits for nothing but its own copy.
 * Messages in: `start` {readable, writable}, `patch` {patch}. Out: `ready`, `size`
 * {w, h} (a frame came with no patch for its size: it is dropped, never sent bare), `ended`.
 */
type In =
  | { type: 'start'; readable: ReadableStream<VideoFrame>; writable: WritableStream<VideoFrame> }
  | { type: 'patch'; patch: Patch };

const scope = self as unknown as {
  postMessage(m: unknown): void;
  onmessage: ((e: MessageEvent<In>) => void) | null;
};

let patch: Patch | null = null;
let asked = '';
const scratch = { buf: new Uint8Array(0) };

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'patch') patch = m.patch;
  else if (m.type === 'start') {
    const overlay = new TransformStream<VideoFrame, VideoFrame>({
      async transform(frame, ctl) {
        const { w, h } = visibleSize(frame);
        if (!patch || patch.frameW !== w || patch.frameH !== h) {
          const want = `${w}x${h}`;
          if (asked !== want) scope.postMessage({ type: 'size', w, h });
          asked = want;
          frame.close();
          return;
        }
        ctl.enqueue(await overlayFrame(frame, patch, scratch));
      },
    });
    void m.readable
      .pipeThrough(overlay)
      .pipeTo(m.writable)
      .catch(() => undefined) // the recording stopped its track
      .finally(() => scope.postMessage({ type: 'ended' }));
  }
};
scope.postMessage({ type: 'ready' });
