/**
 * Chromium's "breakout box" (MediaStreamTrackProcessor / MediaStreamTrackGenerator): a
 * camera track as a stream of VideoFrames, and frames back into a track. Not in the DOM
 * typings yet; null where the browser has none (then the preview canvas is recorded).
 */
export type Processor = new (o: { track: MediaStreamTrack; maxBufferSize?: number }) => {
  readable: ReadableStream<VideoFrame>;
};
export type Generator = new (o: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> };

export function breakoutApi(): { Processor: Processor; Generator: Generator } | null {
  const w = window as unknown as { MediaStreamTrackProcessor?: Processor; MediaStreamTrackGenerator?: Generator };
  return w.MediaStreamTrackProcessor && w.MediaStreamTrackGenerator
    ? { Processor: w.MediaStreamTrackProcessor, Generator: w.MediaStreamTrackGenerator }
    : null;
}
