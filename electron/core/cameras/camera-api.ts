import { AppError } from '../../../shared/api/result';
import type { CameraTest } from '../../../shared/api/calls/cameras';
import type { Handlers } from '../../../shared/api/contract';
import { nvrChannelUrl, redactCredentials, urlWithCredentials } from '../../../shared/domain/camera';
import type { CoreContext } from '../context';
import type { RecordingService } from '../capture/recording-service';
import { spawn } from 'node:child_process';
import { ffmpegPath } from '../media/binaries';
import type { FeedOptions } from './camera-feed';
import { CameraHub } from './camera-hub';
import { cameraPartsOfOrder } from './camera-parts-repo';
import {
  addCamera,
  cameraInfo,
  readStationCameras,
  removeCamera,
  setIdleStopMinutes,
  type StoredCamera,
} from './camera-store';
import { IdleStopper } from './idle-stop';
import { decodeFirstFrame } from './keyframe-decode';
import { discoverOnvif } from './onvif-discovery';

type CameraHandlers = Pick<
  Handlers,
  | 'cameras.list'
  | 'cameras.add'
  | 'cameras.remove'
  | 'cameras.test'
  | 'cameras.snapshot'
  | 'cameras.setIdleStop'
  | 'cameras.parts'
  | 'cameras.discover'
>;

export interface CameraApiOptions {
  feed?: FeedOptions;
  /** how often idle recordings are looked for (tests shorten it) */
  idleTickMs?: number;
}

/** Settings → Cameras, the scan hooks that record the cameras with the webcam, auto-stop. */
export function createCameraApi(ctx: CoreContext, recordings: RecordingService, opts: CameraApiOptions = {}) {
  const hub = new CameraHub(ctx, recordings, opts.feed);
  const idle = new IdleStopper(ctx, recordings, hub, { tickMs: opts.idleTickMs });
  const root = ctx.paths.root;

  const handlers: CameraHandlers = {
    'cameras.list': () => {
      const station = readStationCameras(root);
      return { cameras: station.cameras.map(cameraInfo), live: hub.status(), idleStopMinutes: station.idleStopMinutes };
    },
    'cameras.add': async (i) => {
      const url = sourceUrl(i);
      const info = await addCamera(root, { url, name: i.name, role: i.role });
      await hub.reload();
      return info;
    },
    'cameras.remove': async (i) => {
      await removeCamera(root, i.id);
      await hub.reload();
      return { removed: true as const };
    },
    'cameras.test': (i) => testCamera('id' in i ? storedUrl(root, i.id) : sourceUrl(i)),
    'cameras.snapshot': async (i) => {
      const feed = hub.feed(i.id);
      const pre = feed?.preroll();
      if (!pre)
        throw new AppError('CONFLICT', 'The camera is not sending a picture', {
          problem: 'camera-not-live',
          reason: feed?.lastError ?? '',
        });
      return {
        dataUrl: `data:image/jpeg;base64,${(await keyframeJpeg(pre.packets)).toString('base64')}`,
        at: new Date().toISOString(),
      };
    },
    'cameras.setIdleStop': async (i) => {
      await setIdleStopMinutes(root, i.minutes);
      return { idleStopMinutes: i.minutes };
    },
    'cameras.parts': (i) => cameraPartsOfOrder(ctx.db, i.orderId),
    'cameras.discover': (i) => discoverOnvif(i.timeoutMs),
  };

  return {
    hub,
    handlers,
    /** connect the cameras and watch for idle recordings (the app; not one-shot CLI commands) */
    async start() {
      await hub.start();
      idle.start();
    },
    /** the webcam's recording started for a scan: every camera records it too */
    afterCaptureStart(recordingId: string, scan: { code: string; mode: 'outbound' | 'return' }, scanAt: number) {
      hub.startTakes(recordingId, scan, scanAt);
      idle.watch(recordingId);
    },
    stopTakes: (recordingId: string) => hub.stopTakes(recordingId),
    /** a scan during the recording (checklist step): not idle */
    activity: (recordingId: string) => idle.activity(recordingId),
    idle,
    async close() {
      idle.stop();
      await hub.close();
    },
  };
}
export type CameraApi = ReturnType<typeof createCameraApi>;

function sourceUrl(i: {
  url?: string;
  nvr?: Parameters<typeof nvrChannelUrl>[0];
  username?: string;
  password?: string;
}) {
  const base = i.nvr ? nvrChannelUrl(i.nvr) : i.url;
  if (!base)
    throw new AppError('INVALID_INPUT', 'A camera needs a URL or an NVR channel', { problem: 'camera-url-invalid' });
  if (!i.username) return base;
  try {
    return urlWithCredentials(base, i.username, i.password ?? null);
  } catch {
    throw new AppError('INVALID_INPUT', 'Not a camera URL', { problem: 'camera-url-invalid' });
  }
}

function storedUrl(root: string, id: string): string {
  const c: StoredCamera | undefined = readStationCameras(root).cameras.find((x) => x.id === id);
  if (!c) throw new AppError('NOT_FOUND', 'No such camera', { problem: 'no-such-camera' });
  return urlWithCredentials(c.url, c.username, c.password);
}

/**
 * Opens the stream once with ffmpeg (the bundled ffprobe cannot be trusted on live
 * streams) and reads what it carries from ffmpeg's input banner; one frame is read so a
 * camera that connects but sends nothing fails. The error never holds the password.
 */
async function testCamera(url: string): Promise<CameraTest> {
  const fail = (error: string): CameraTest => ({
    ok: false,
    codec: null,
    width: null,
    height: null,
    streamCopy: false,
    error: redactCredentials(error),
  });
  const rtsp = url.startsWith('rtsp') ? ['-stimeout', '5000000'] : [];
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(
      ffmpegPath(),
      [
        '-hide_banner',
        '-nostdin',
        '-v',
        'info',
        ...rtsp,
        '-i',
        url,
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        '-f',
        'null',
        '-',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-8000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', (e) => (stderr += e.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
  const video = /Stream #0:\d+.*?: Video: (\w+)[^\n]*?, (\d{2,5})x(\d{2,5})/.exec(r.stderr);
  if (r.code !== 0 || !video) {
    const lines = r.stderr.trim().split(/\r?\n/);
    return fail(lines[lines.length - 1] || 'no video stream');
  }
  const codec = video[1];
  return {
    ok: true,
    codec,
    width: Number(video[2]),
    height: Number(video[3]),
    streamCopy: codec === 'h264' || codec === 'hevc',
    error: null,
  };
}

/** the camera's latest keyframe as a preview JPEG, 640 px wide */
const keyframeJpeg = (packets: Buffer[]) =>
  decodeFirstFrame(packets, ['-vf', 'scale=640:-2', '-f', 'image2', '-c:v', 'mjpeg']);
