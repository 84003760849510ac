import { useCallback, useEffect, useRef } from 'react';
import { cameraFramesUsable, overlaidCameraTrack, warmOverlayWorker } from './frame-overlay';
import { previewFromFrames, type FramePreview, type PreviewBudget } from './frame-preview';
import { drawFrame, drawOverlay, type OverlayInfo } from './overlay';

/**
 * Draws camera frames plus the overlay onto the canvas the packer sees, and exposes the
 * canvas as the stream that is recorded.
 */
export function usePreview(stream: MediaStream | null, fps: number, overlay: () => Omit<OverlayInfo, 'now'>) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  /** the live camera stream while the preview draws it (its audio tracks go into recordings) */
  const cameraRef = useRef<MediaStream | null>(null);
  const drawRef = useRef<() => void>(() => undefined);
  /** the camera's frames can be overlaid in memory (frame-overlay.ts), found once per camera */
  const framesRef = useRef(false);
  /** the canvas's own capture track while a recording takes its picture from the canvas */
  const canvasTrackRef = useRef<MediaStreamTrack | null>(null);
  const overlayRef = useRef(overlay);
  overlayRef.current = overlay;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!stream || !canvas) return;
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    videoRef.current = video;
    let stop = false;
    const ctx = canvas.getContext('2d', { alpha: false })!;
    const info = () => ({ ...overlayRef.current(), now: new Date() });
    /** the preview from the camera's frames, once they proved usable (frame-preview.ts) */
    let fromFrames: FramePreview | null = null;
    /** a recording takes its picture from the canvas: it is drawn full size, full rate */
    const canvasRecorded = () => canvasTrackRef.current?.readyState === 'live';
    const drawVideo = () => {
      if (stop || (fromFrames && !canvasRecorded())) return;
      const { videoWidth: width, videoHeight: height } = video;
      if (width && height && (canvas.width !== width || canvas.height !== height)) {
        canvas.width = width;
        canvas.height = height;
      }
      if (video.readyState >= 2) drawFrame(ctx, video, info());
    };
    drawRef.current = () => (fromFrames && !canvasRecorded() ? fromFrames.repaint() : drawVideo());
    // a timer rather than requestAnimationFrame: the recording must not freeze when the
    // window is covered (Electron disables background throttling for this window)
    const timer = setInterval(drawVideo, Math.max(15, Math.floor(1000 / fps) - 2));
    void video.play().catch(() => undefined);
    cameraRef.current = stream;
    framesRef.current = false;
    const camTrack = stream.getVideoTracks()[0];
    if (camTrack)
      void cameraFramesUsable(camTrack).then((ok) => {
        if (stop) return;
        framesRef.current = ok;
        canvas.dataset.cameraFrames = ok ? 'usable' : 'unusable';
        if (!ok) return;
        // the overlay worker starts now, not with a recording: no recording waits for it
        canvas.dataset.overlayWorker ??= 'starting';
        warmOverlayWorker((state) => (canvas.dataset.overlayWorker = state));
        fromFrames = previewFromFrames(camTrack, canvas, {
          budget: previewBudget,
          paused: canvasRecorded,
          paint: (c) => drawOverlay(c, info()),
          unusable: () => {
            // the camera changed its frames' format: back to the video element and the canvas
            fromFrames = null;
            framesRef.current = false;
            canvas.dataset.cameraFrames = 'unusable';
          },
        });
      });
    return () => {
      stop = true;
      drawRef.current = () => undefined;
      clearInterval(timer);
      fromFrames?.stop();
      video.srcObject = null;
      cameraRef.current = null;
    };
  }, [stream, fps]);
  /** draw now, so the very first recorded frame already names the new order */
  const redraw = () => drawRef.current();
  /**
   * A fresh capture track for each recording. MediaRecorder begins with the last frame its
   * track captured, so one long-lived track made every video open on a frame from before
   * the scan ("waiting for a scan" or the previous order's overlay). A new track, taken
   * after `redraw`, has only frames that name the new order. The recording stops the video
   * track when it ends (see Recording.stop); the audio tracks are the camera's, shared.
   */
  const recordStream = () => {
    const canvas = canvasRef.current;
    const camera = cameraRef.current;
    if (!camera || !canvas) return null;
    const camTrack = camera.getVideoTracks()[0];
    // the camera's frames with the overlay blended in where that works (no canvas read-back:
    // full frame rate without a GPU), else the preview canvas itself
    const fromFrames = framesRef.current && camTrack ? camTrack : null;
    const info = () => ({ ...overlayRef.current(), now: new Date() });
    delete canvas.dataset.framesIn;
    const fresh = fromFrames
      ? new MediaStream([overlaidCameraTrack(fromFrames, info, (where) => (canvas.dataset.framesIn = where))])
      : canvas.captureStream(fps);
    if (!fromFrames) canvasTrackRef.current = fresh.getVideoTracks()[0] ?? null;
    for (const t of camera.getAudioTracks()) fresh.addTrack(t);
    // which way this recording's picture is made, for support and the tests
    canvas.dataset.recordPath = fromFrames ? 'frames' : 'canvas';
    return fresh;
  };
  /** the camera's own picture, without the overlay (idle motion looks at it) */
  const cameraVideo = useCallback(() => videoRef.current, []);
  return { canvasRef, recordStream, redraw, cameraVideo };
}

/**
 * How often, and at most how tall, the preview is drawn when recordings come from the
 * camera's frames: without a GPU each drawn frame costs the time the recording's frames
 * need. Above 720p the recording comes first (it is the evidence; the preview is only a
 * monitor). 1080p30 recordings, preview made from the frames (frame-preview.ts): 0.0–1.4 %
 * of frames dropped with 6 fps at 360 px (median 0.6 %, 11 runs), 0.3–1.5 % with 12 fps
 * at 540 px (bench camera-record-webcam, 2-core PC, no GPU).
 */
function previewBudget(cameraHeight: number): PreviewBudget {
  return cameraHeight > 720 ? { fps: 6, height: 360 } : { fps: 12, height: 540 };
}
