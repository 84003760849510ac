/**
 * Network cameras of a station: what the user typed (a URL, possibly with user:password
 * in it) becomes a camera whose credentials are kept apart from the URL, so the URL can
 * be shown and logged while the password never is. NVR channel URLs of the two common
 * brands are built from channel + stream instead of being typed by hand.
 */

export type CameraRole = 'main' | 'closeup';
export type CameraKind = 'rtsp' | 'mjpeg';
export type NvrBrand = 'hikvision' | 'dahua';
export type NvrStream = 'main' | 'sub';

/** A camera as shown to the UI and the CLI: no password, only whether one is stored. */
export interface CameraInfo {
  id: string;
  name: string;
  role: CameraRole;
  kind: CameraKind;
  /** the stream URL without credentials */
  url: string;
  username: string | null;
  hasPassword: boolean;
  addedAt: string;
}

export interface ParsedCameraUrl {
  kind: CameraKind;
  /** without user:password */
  url: string;
  username: string | null;
  password: string | null;
}

export type CameraUrlProblem = 'camera-url-invalid' | 'camera-url-scheme';

/** Splits credentials off a camera URL; refuses what ffmpeg could not open as a camera. */
export function parseCameraUrl(
  text: string,
): { ok: true; value: ParsedCameraUrl } | { ok: false; problem: CameraUrlProblem } {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return { ok: false, problem: 'camera-url-invalid' };
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (!['rtsp', 'rtsps', 'http', 'https'].includes(scheme)) return { ok: false, problem: 'camera-url-scheme' };
  if (!u.hostname) return { ok: false, problem: 'camera-url-invalid' };
  const username = u.username ? decodeURIComponent(u.username) : null;
  const password = u.password ? decodeURIComponent(u.password) : null;
  u.username = '';
  u.password = '';
  return {
    ok: true,
    value: { kind: scheme.startsWith('rtsp') ? 'rtsp' : 'mjpeg', url: u.toString(), username, password },
  };
}

/**
 * The RTSP URL of one NVR channel. Hikvision numbers streams as channel×100 + 1 (main) or
 * + 2 (sub): channel 3 main is /Streaming/Channels/301. Dahua takes channel and subtype
 * (0 main, 1 sub) as query parameters.
 */
export function nvrChannelUrl(opts: {
  brand: NvrBrand;
  host: string;
  port?: number;
  channel: number;
  stream: NvrStream;
}): string {
  if (!Number.isInteger(opts.channel) || opts.channel < 1 || opts.channel > 256)
    throw new RangeError(`NVR channel out of range: ${opts.channel}`);
  const hostPort = `${opts.host}:${opts.port ?? 554}`;
  if (opts.brand === 'hikvision') {
    return `rtsp://${hostPort}/Streaming/Channels/${opts.channel * 100 + (opts.stream === 'main' ? 1 : 2)}`;
  }
  return `rtsp://${hostPort}/cam/realmonitor?channel=${opts.channel}&subtype=${opts.stream === 'main' ? 0 : 1}`;
}

/** The URL with credentials put back, for ffmpeg only (never logged, never sent to the UI). */
export function urlWithCredentials(url: string, username: string | null, password: string | null): string {
  if (!username) return url;
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  if (password) u.password = encodeURIComponent(password);
  return u.toString();
}

/** Any `user:password@` in a text (an ffmpeg error line quoting the URL) replaced before it is shown or logged. */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
