import { evidenceFont } from './evidence-font';

/**
 * A full-resolution still from the live camera track (ImageCapture where the camera
 * supports it, else the current frame at the track's native size), with a strip at the
 * bottom naming the order and the time so the photo proves what and when on its own.
 */
export async function takeStill(stream: MediaStream, caption: string): Promise<Uint8Array> {
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no camera track');
  let bitmap: ImageBitmap;
  try {
    const ImageCaptureCtor = (
      window as unknown as {
        ImageCapture?: new (t: MediaStreamTrack) => { takePhoto(): Promise<Blob>; grabFrame(): Promise<ImageBitmap> };
      }
    ).ImageCapture;
    if (!ImageCaptureCtor) throw new Error('no ImageCapture');
    const ic = new ImageCaptureCtor(track);
    bitmap = await ic.takePhoto().then(
      (b) => createImageBitmap(b),
      () => ic.grabFrame(),
    );
  } catch {
    const video = document.createElement('video');
    video.srcObject = stream;
    video.muted = true;
    await video.play();
    bitmap = await createImageBitmap(video);
    video.srcObject = null;
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const size = Math.max(16, Math.round(canvas.height / 40));
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.fillRect(0, canvas.height - size * 1.8, canvas.width, size * 1.8);
  ctx.fillStyle = '#fff';
  ctx.font = evidenceFont(600, size);
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, size * 0.6, canvas.height - size * 0.9, canvas.width - size * 1.2);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.92));
  if (!blob) throw new Error('could not encode the photo');
  return new Uint8Array(await blob.arrayBuffer());
}
