import { spawn } from 'node:child_process';
import { AppError } from '../../../shared/api/result';
import { ffmpegPath } from '../media/binaries';
import { pidOf, VIDEO_PID } from './ts-stream';

/** PAT, PMT and the packets of the first video frame (up to the next frame's first packet) */
export function firstFramePackets(packets: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let seenVideo = false;
  for (const p of packets) {
    if (pidOf(p) === VIDEO_PID) {
      const unitStart = (p[1] & 0x40) !== 0;
      if (unitStart && seenVideo) break;
      seenVideo = true;
    }
    out.push(p);
  }
  return out;
}

/**
 * Decodes the first frame of a TS run given on stdin (a preview JPEG, or a tiny grey
 * picture for motion detection). Only that one frame is decoded: the cost is one
 * keyframe, whatever the camera's resolution.
 */
export function decodeFirstFrame(packets: Buffer[], output: string[], timeoutMs = 15_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ffmpegPath(),
      ['-v', 'error', '-f', 'mpegts', '-i', 'pipe:0', '-frames:v', '1', ...output, 'pipe:1'],
      { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true },
    );
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-1000)));
    child.stdin.on('error', () => undefined); // ffmpeg may stop reading once it has its frame
    child.on('error', (e) => reject(new AppError('MEDIA_FAILED', e.message)));
    child.on('close', (code) => {
      clearTimeout(timer);
      const out = Buffer.concat(chunks);
      if (code === 0 && out.length > 0) resolve(out);
      else reject(new AppError('MEDIA_UNREADABLE', stderr.trim() || `ffmpeg exit ${code}`));
    });
    child.stdin.end(Buffer.concat(firstFramePackets(packets)));
  });
}
