import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/api/result';
import { parseCameraUrl, type CameraInfo, type CameraRole } from '../../../shared/domain/camera';
import { publishFile } from '../storage/files';

/**
 * The station's network cameras and their recording options, in `cameras.json` in the
 * data folder (mode 0600: it holds camera passwords). A file rather than database rows:
 * the cameras belong to this station's data folder, are read on every start of a
 * recording, and keep the credentials out of the database, its backups and the packets.
 */

const storedCamera = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(64),
  role: z.enum(['main', 'closeup']),
  kind: z.enum(['rtsp', 'mjpeg']),
  url: z.string().min(1),
  username: z.string().nullable(),
  password: z.string().nullable(),
  addedAt: z.string(),
});
export type StoredCamera = z.infer<typeof storedCamera>;

const stationCameras = z.object({
  version: z.literal(1),
  cameras: z.array(storedCamera).max(8),
  /** a recording with no motion and no scan for this long is saved and stopped */
  idleStopMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(5),
});
export type StationCameras = z.infer<typeof stationCameras>;

/** At most two views are recorded per scan: one overhead (main), one close to the label. */
export const MAX_CAMERAS = 2;

export const camerasFile = (root: string) => path.join(root, 'cameras.json');

export function readStationCameras(root: string): StationCameras {
  let text: string;
  try {
    text = fs.readFileSync(camerasFile(root), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, cameras: [], idleStopMinutes: 5 };
    throw e;
  }
  const parsed = stationCameras.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', `${camerasFile(root)} is not a valid camera list`, {
      problem: 'cameras-file-invalid',
    });
  return parsed.data;
}

export async function writeStationCameras(root: string, value: StationCameras): Promise<void> {
  const final = camerasFile(root);
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fsp.writeFile(tmp, JSON.stringify(stationCameras.parse(value), null, 2), { mode: 0o600 });
    await fsp.chmod(tmp, 0o600); // the umask may have widened it
    await publishFile(tmp, final);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

export const cameraInfo = (c: StoredCamera): CameraInfo => ({
  id: c.id,
  name: c.name,
  role: c.role,
  kind: c.kind,
  url: c.url,
  username: c.username,
  hasPassword: !!c.password,
  addedAt: c.addedAt,
});

export async function addCamera(
  root: string,
  input: { url: string; name?: string; role?: CameraRole },
  now = new Date(),
): Promise<CameraInfo> {
  const parsed = parseCameraUrl(input.url);
  if (!parsed.ok)
    throw new AppError('INVALID_INPUT', 'Not a camera URL (rtsp:// or http://)', { problem: parsed.problem });
  const current = readStationCameras(root);
  if (current.cameras.length >= MAX_CAMERAS)
    throw new AppError('CONFLICT', `A station records at most ${MAX_CAMERAS} cameras`, {
      problem: 'cameras-full',
      max: MAX_CAMERAS,
    });
  const role = input.role ?? (current.cameras.some((c) => c.role === 'main') ? 'closeup' : 'main');
  if (current.cameras.some((c) => c.role === role))
    throw new AppError('CONFLICT', `The station already has a ${role} camera`, { problem: 'camera-role-taken', role });
  const camera: StoredCamera = {
    id: randomUUID(),
    name: input.name?.trim() || new URL(parsed.value.url).host,
    role,
    kind: parsed.value.kind,
    url: parsed.value.url,
    username: parsed.value.username,
    password: parsed.value.password,
    addedAt: now.toISOString(),
  };
  await writeStationCameras(root, { ...current, cameras: [...current.cameras, camera] });
  return cameraInfo(camera);
}

export async function removeCamera(root: string, id: string): Promise<void> {
  const current = readStationCameras(root);
  if (!current.cameras.some((c) => c.id === id))
    throw new AppError('NOT_FOUND', 'No such camera', { problem: 'no-such-camera' });
  await writeStationCameras(root, { ...current, cameras: current.cameras.filter((c) => c.id !== id) });
}

export async function setIdleStopMinutes(root: string, minutes: number): Promise<void> {
  const current = readStationCameras(root);
  await writeStationCameras(root, { ...current, idleStopMinutes: minutes });
}
