import { useEffect, useRef } from 'react';
import { drawFrame, type OverlayInfo } from './overlay';

/**
 * Draws camera frames plus the overlay onto the canvas the packer sees, and exposes the
 * canvas as the stream that is recorded.
 */
export function usePreview(stream: MediaStream | null, fps: number, overlay: () => Omit<OverlayInfo, 'now'>) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const outRef = useRef<MediaStream | null>(null);
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
    const out = canvas.captureStream(fps);
    for (const t of stream.getAudioTracks()) out.addTrack(t);
    outRef.current = out;
    return () => {
      stop = true;
      drawRef.current = () => undefined;
      clearInterval(timer);
      out.getVideoTracks().forEach((t) => t.stop());
      video.srcObject = null;
      outRef.current = null;
    };
  }, [stream, fps]);
  /** draw now (e.g. so the very first recorded frame already names the new order) */
  const redraw = () => drawRef.current();
  return { canvasRef, recordStream: () => outRef.current, redraw };
}
