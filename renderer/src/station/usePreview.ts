import { useCallback, useEffect, useRef } from 'react';
import { drawFrame, type OverlayInfo } from './overlay';

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
    const draw = () => {
      if (stop) return;
      if (video.videoWidth && (canvas.width !== video.videoWidth || canvas.height !== video.videoHeight)) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
      }
      if (video.readyState >= 2) drawFrame(ctx, video, { ...overlayRef.current(), now: new Date() });
    };
    // a timer rather than requestAnimationFrame: the recording must not freeze when the
    // window is covered (Electron disables background throttling for this window)
    drawRef.current = draw;
    const timer = setInterval(draw, Math.max(15, Math.floor(1000 / fps) - 2));
    void video.play().catch(() => undefined);
    cameraRef.current = stream;
    return () => {
      stop = true;
      drawRef.current = () => undefined;
      clearInterval(timer);
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
    if (!cameraRef.current || !canvas) return null;
    const fresh = canvas.captureStream(fps);
    for (const t of cameraRef.current.getAudioTracks()) fresh.addTrack(t);
    return fresh;
  };
  /** the camera's own picture, without the overlay (idle motion looks at it) */
  const cameraVideo = useCallback(() => videoRef.current, []);
  return { canvasRef, recordStream, redraw, cameraVideo };
}
