import { breakoutApi } from './breakout';
import { FRAME_FORMATS, visibleSize } from './frame-blend';
import { matrixOf, scaleToRgba } from './frame-scale';

export interface PreviewBudget {
  fps: number;
  /** at most this many pixels tall */
  height: number;
}

export interface FramePreview {
  /** paints the last picture again with the overlay as it is now (a scan changed it) */
  repaint(): void;
  stop(): void;
}

/**
 * The preview the packer sees, drawn from the camera's own frames: a clone of the camera
 * is read, and `budget.fps` times a second its newest frame is copied (cheap: mapped
 * memory), scaled down in integer code (frame-scale.ts) and put on the canvas, with the
 * overlay painted on top by `paint`. The recording never comes from this canvas on this
 * path (frame-overlay.ts makes it from the frames), so the preview may be small and slow;
 * frames it has no use for are closed at once. Calls `unusable` and ends when the camera
 * starts sending frames it cannot read.
 */
export function previewFromFrames(
  camera: MediaStreamTrack,
  canvas: HTMLCanvasElement,
  opts: {
    budget: (cameraHeight: number) => PreviewBudget;
    /** the canvas is drawn by someone else meanwhile (a recording takes its picture from it) */
    paused: () => boolean;
    /** the overlay, over the picture */
    paint: (ctx: CanvasRenderingContext2D) => void;
    unusable: () => void;
  },
): FramePreview {
  const api = breakoutApi()!;
  const source = camera.clone();
  const reader = new api.Processor({ track: source }).readable.getReader();
  const ctx = canvas.getContext('2d', { alpha: false })!;
  let image: ImageData | null = null;
  let scratch = new Uint8Array(0);
  let lastAt = -Infinity;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    void reader.cancel().catch(() => undefined);
    source.stop();
  };
  const repaint = () => {
    if (!image || stopped || opts.paused()) return;
    ctx.putImageData(image, 0, 0);
    opts.paint(ctx);
  };
  const show = async (frame: VideoFrame) => {
    const { w, h } = visibleSize(frame);
    const budget = opts.budget(h);
    const now = performance.now();
    if (opts.paused()) return;
    // a frame is due a little early rather than late: timers and frames both jitter
    if (now - lastAt < 1000 / budget.fps - 5) return;
    lastAt = now;
    const th = Math.min(h, budget.height) & ~1;
    const tw = Math.round((w * th) / h) & ~1;
    if (!image || image.width !== tw || image.height !== th) {
      canvas.width = tw;
      canvas.height = th;
      image = new ImageData(tw, th);
    }
    const size = frame.allocationSize();
    if (scratch.length !== size) scratch = new Uint8Array(size);
    const layout = await frame.copyTo(scratch);
    if (stopped) return;
    const picture = { buf: scratch, layout, nv12: frame.format === 'NV12', w, h };
    scaleToRgba(picture, image.data, tw, th, matrixOf(frame.colorSpace));
    repaint();
  };
  void (async () => {
    while (!stopped) {
      const { value: frame, done } = await reader.read();
      if (done) break;
      try {
        if (!FRAME_FORMATS.has(frame.format ?? '')) {
          opts.unusable();
          break;
        }
        await show(frame);
      } finally {
        frame.close();
      }
    }
  })()
    .catch(() => undefined) // the camera went away: the station opens it again
    .finally(() => stop());
  return { repaint, stop };
}
