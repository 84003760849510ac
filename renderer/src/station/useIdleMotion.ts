import { useEffect } from 'react';
import { greyOf, hasMoved, MOTION_H, MOTION_W } from '../../../shared/domain/motion';
import { useApi } from '../api/context';

/** how often the camera's picture is looked at while recording */
const SAMPLE_MS = 2000;
/** motion is reported at most this often (the core needs one report per idle period) */
const REPORT_MS = 10_000;

/**
 * Idle auto-stop for the PC camera: while a recording runs, the camera's raw picture
 * (not the overlay, whose clock changes every second) is drawn every SAMPLE_MS onto a
 * 32×18 canvas and compared with the previous one (shared/domain/motion.ts); motion is
 * reported to the core (`capture.activity`), which stops a recording that saw neither
 * motion nor a scan for the configured minutes (cameras/idle-stop.ts).
 */
export function useIdleMotion(recordingId: string | null, cameraVideo: () => HTMLVideoElement | null) {
  const api = useApi();
  useEffect(() => {
    if (!recordingId) return;
    const canvas = document.createElement('canvas');
    canvas.width = MOTION_W;
    canvas.height = MOTION_H;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    let previous: Uint8Array | null = null;
    let reportedAt = -Infinity;
    const timer = setInterval(() => {
      const video = cameraVideo();
      if (!g || !video || !video.videoWidth) return;
      g.drawImage(video, 0, 0, MOTION_W, MOTION_H);
      const grey = greyOf(g.getImageData(0, 0, MOTION_W, MOTION_H).data);
      const moved = previous != null && hasMoved(previous, grey);
      previous = grey;
      const now = performance.now();
      if (moved && now - reportedAt >= REPORT_MS) {
        reportedAt = now;
        void api.call('capture.activity', { recordingId });
      }
    }, SAMPLE_MS);
    return () => clearInterval(timer);
  }, [api, recordingId, cameraVideo]);
}
