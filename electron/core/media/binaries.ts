import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

/**
 * Where ffmpeg and ffprobe live. They ship inside npm packages so users never install
 * ffmpeg; FFMPEG_PATH / FFPROBE_PATH override. In a packaged app the binaries are
 * unpacked next to app.asar because an executable cannot run from inside the archive.
 */
const unpacked = (p: string) => p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

export const ffmpegPath = (): string => process.env.FFMPEG_PATH || unpacked(ffmpegInstaller.path);
export const ffprobePath = (): string => process.env.FFPROBE_PATH || unpacked(ffprobeInstaller.path);
