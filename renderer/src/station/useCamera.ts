import { useEffect, useRef, useState } from 'react';

export type CameraState =
  { status: 'opening' } | { status: 'live'; stream: MediaStream } | { status: 'error'; name: string; message: string };

/**
 * Opens the first (or the chosen) camera at start and keeps it live while the station
 * exists. Reopens when the device or resolution setting changes, or the camera is
 * unplugged and plugged back. Stays 'opening' while `enabled` is false (the station waits
 * for the overlay's font, so no frame is ever drawn without it).
 */
export function useCamera(opts: {
  deviceId: string;
  width: number;
  height: number;
  fps: number;
  audio: boolean;
  enabled: boolean;
}) {
  const [state, setState] = useState<CameraState>({ status: 'opening' });
  const [attempt, setAttempt] = useState(0);
  const streamRef = useRef<MediaStream | null>(null);
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'opening' });
    if (!opts.enabled) return;
    const video: MediaTrackConstraints = {
      width: { ideal: opts.width },
      height: { ideal: opts.height },
      ...(opts.deviceId ? { deviceId: { exact: opts.deviceId } } : {}),
    };
    navigator.mediaDevices
      .getUserMedia({ video, audio: opts.audio })
      .then(async (stream) => {
        await capFrameRate(stream.getVideoTracks()[0], opts.fps);
        if (cancelled) return stream.getTracks().forEach((t) => t.stop());
        streamRef.current = stream;
        stream.getVideoTracks()[0]?.addEventListener('ended', () => setAttempt((a) => a + 1));
        setState({ status: 'live', stream });
      })
      .catch((e: DOMException) => !cancelled && setState({ status: 'error', name: e.name, message: e.message }));
    return () => {
      cancelled = true;
      streamRef.current?.getTracks().forEach((t) => t.stop());
      streamRef.current = null;
    };
  }, [opts.deviceId, opts.width, opts.height, opts.fps, opts.audio, opts.enabled, attempt]);
  useEffect(() => {
    const onChange = () => state.status === 'error' && setAttempt((a) => a + 1);
    navigator.mediaDevices?.addEventListener('devicechange', onChange);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', onChange);
  }, [state.status]);
  return { state, retry: () => setAttempt((a) => a + 1) };
}

/**
 * Asks for the station's frame rate only where the camera sends more. Why not in
 * getUserMedia: a frame-rate constraint makes Chromium thin the camera's frames to that
 * rate, and it judges by the frames' arrival times; on a busy PC a 30 fps camera's frames
 * arrive unevenly, and a 1080p30 recording lost 1–5 of every 600 frames that way (track
 * stats discardedFrames; none without the constraint). Chromium chooses a 30 fps mode by
 * itself.
 */
async function capFrameRate(track: MediaStreamTrack | undefined, fps: number) {
  const rate = track?.getSettings().frameRate;
  if (!track || !rate || rate <= fps + 0.5) return;
  await track.applyConstraints({ ...track.getConstraints(), frameRate: { ideal: fps } }).catch(() => undefined);
}
