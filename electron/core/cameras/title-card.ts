import fsp from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { translate, type Lang } from '../../../shared/i18n';
import { ffprobePackets, probe, runFfmpeg, type ProbeStream } from '../media/ffmpeg';
import { cjkFontPath } from '../packets/pdf-font';

/** length of each title card (start and end of a camera clip) */
export const TITLE_CARD_MS = 1500;

/** what a card says: the order, where and who, and the clip's own start and end */
export interface TitleCardText {
  orderNo: string;
  trackingNo: string | null;
  station: string | null;
  operator: string | null;
  cameraName: string;
  startedAt: Date;
  lang: Lang;
}

/** the camera stream's parameters a card must be encoded with to be joined by a stream copy */
export interface CardEncoding {
  width: number;
  height: number;
  pixFmt: 'yuv420p' | 'yuvj420p';
  profile: 'baseline' | 'main' | 'high';
  /** e.g. "3.1"; null when the stream does not say */
  level: string | null;
  fps: string;
}

/** card background: a colour no warehouse picture is likely to be filled with (tests look for it) */
export const CARD_RGB = { r: 0x12, g: 0x2b, b: 0x6e };

const PROFILES: Record<string, CardEncoding['profile']> = {
  Baseline: 'baseline',
  'Constrained Baseline': 'baseline',
  Main: 'main',
  High: 'high',
};

/**
 * What the card has to match, or null when libx264 cannot produce a stream that joins the
 * camera's (H.265, 10-bit or 4:2:2 H.264, unknown size): those clips keep no card.
 */
export function cardEncodingOf(v: ProbeStream | undefined): CardEncoding | null {
  if (!v || v.codec_name !== 'h264' || !v.width || !v.height) return null;
  const profile = v.profile ? PROFILES[v.profile] : undefined;
  if (!profile || (v.pix_fmt !== 'yuv420p' && v.pix_fmt !== 'yuvj420p')) return null;
  const level = v.level && v.level > 0 ? (v.level / 10).toFixed(1) : null;
  return { width: v.width, height: v.height, pixFmt: v.pix_fmt, profile, level, fps: frameRate(v) };
}

function frameRate(v: ProbeStream): string {
  for (const r of [v.avg_frame_rate, v.r_frame_rate]) {
    const [n, d] = (r ?? '').split('/').map(Number);
    if (n > 0 && d > 0 && n / d >= 1 && n / d <= 120) return `${n}/${d}`;
  }
  return '25/1';
}

const two = (n: number) => String(n).padStart(2, '0');
/** local date-time with seconds, as the station's overlay writes it */
export function cardDateTime(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function cardLines(text: TitleCardText, endedAt: Date, which: 'start' | 'end'): string[] {
  const t = (key: string, params?: Record<string, string>) => translate(text.lang, key, params);
  return [
    t(which === 'start' ? 'cameras.card.start' : 'cameras.card.end', { camera: text.cameraName }),
    t('cameras.card.order', { order: text.orderNo }),
    ...(text.trackingNo ? [t('cameras.card.tracking', { tracking: text.trackingNo })] : []),
    t('cameras.card.station', { station: text.station ?? '—', operator: text.operator ?? '—' }),
    t('cameras.card.time', { start: cardDateTime(text.startedAt), end: cardDateTime(endedAt) }),
  ];
}

/** a Code128 of the order number, at most `maxW` wide, bars whole pixels */
async function barcodePng(code: string, maxW: number, height: number): Promise<{ png: Buffer; width: number }> {
  const { default: bwipjs } = await import('bwip-js/node'); // loaded with the first title card
  const raw = await bwipjs.toBuffer({ bcid: 'code128', text: code, scale: 1, height: 10, paddingwidth: 8 });
  const meta = await sharp(raw).metadata();
  const mod = Math.max(1, Math.floor(maxW / meta.width!));
  const width = meta.width! * mod;
  const png = await sharp(raw).resize(width, height, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
  return { png, width };
}

/** filter option values are quoted; a quote inside is closed, escaped and reopened */
const quote = (s: string) => `'${s.replace(/\\/g, '/').replace(/'/g, `'\\''`)}'`;

/**
 * One card as MPEG-TS: a plain background, the order number as a Code128 and the lines
 * in the bundled CJK font, encoded by libx264 with the camera's size, pixel format,
 * profile, level and frame rate, so the concat demuxer can put it before and after the
 * copied camera stream without re-encoding the camera.
 */
async function renderCard(lines: string[], orderNo: string, enc: CardEncoding, dir: string, name: string) {
  const { width: W, height: H } = enc;
  const bar = await barcodePng(orderNo, Math.round(W * 0.6), Math.round(H * 0.22));
  const barFile = path.join(dir, `${name}-barcode.png`);
  const textFile = path.join(dir, `${name}.txt`);
  await fsp.writeFile(barFile, bar.png);
  await fsp.writeFile(textFile, lines.join('\n'), 'utf8');
  const out = path.join(dir, `${name}.ts`);
  const size = Math.max(12, Math.round(H / 20));
  const bg = `0x${[CARD_RGB.r, CARD_RGB.g, CARD_RGB.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  const graph = [
    `[1:v]format=rgba[bar]`,
    `[0:v][bar]overlay=x=(W-w)/2:y=H*0.08[withbar]`,
    `[withbar]drawtext=fontfile=${quote(cjkFontPath())}:textfile=${quote(textFile)}:fontcolor=white:fontsize=${size}` +
      `:line_spacing=${Math.round(size / 2)}:x=(w-text_w)/2:y=h*0.38,format=${enc.pixFmt}[out]`,
  ].join(';');
  await runFfmpeg({
    inputs: [
      { file: `color=c=${bg}:s=${W}x${H}:r=${enc.fps}:d=${TITLE_CARD_MS / 1000}`, options: ['-f', 'lavfi'] },
      { file: barFile },
    ],
    output: out,
    outputOptions: [
      ...['-filter_complex', graph, '-map', '[out]', '-an'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', enc.profile],
      ...(enc.level ? ['-level:v', enc.level] : []),
      ...['-pix_fmt', enc.pixFmt, '-r', enc.fps, '-g', '1000', '-bf', '0', '-f', 'mpegts'],
    ],
    timeoutMs: 120_000,
  });
  return out;
}

/**
 * The exact length of a file's video: from its first frame's timestamp to the end of its
 * last frame, read packet by packet. The container's own duration is an estimate (for
 * MPEG-TS guessed from the timestamps near the file's end, or from the bit rate when those
 * are missing) and the concat demuxer would place the next piece by it.
 */
export async function videoSpanSec(file: string): Promise<{ startSec: number; seconds: number; frames: number }> {
  let first = Infinity;
  let end = -Infinity;
  let frames = 0;
  let lastStep = 0;
  let prev: number | null = null;
  await ffprobePackets(
    file,
    (p) => {
      if (p.pts == null) return;
      frames++;
      if (prev != null && p.pts > prev) lastStep = p.pts - prev;
      prev = p.pts;
      first = Math.min(first, p.pts);
      // a packet without a duration lasts as long as the step between the last two frames
      end = Math.max(end, p.pts + (p.duration ?? lastStep));
    },
    { select: 'v:0', timeoutMs: 120_000 },
  );
  if (frames === 0) return { startSec: 0, seconds: 0, frames };
  return { startSec: first, seconds: end - first, frames };
}

/**
 * The camera part with a title card before and after it, joined by a stream copy (the
 * concat demuxer) into one MPEG-TS next to the part; null when the stream cannot take a
 * card (see cardEncodingOf). Each piece's length is given to the demuxer exactly
 * (`duration`, measured from its frames), so the camera's footage is placed end to end
 * with the cards whatever the containers estimate. The caller remuxes the result like
 * any part and removes it.
 */
export async function withTitleCards(partPath: string, text: TitleCardText): Promise<string | null> {
  const source = await probe(partPath, { timeoutMs: 30_000 });
  const enc = cardEncodingOf(source.streams.find((s) => s.codec_type === 'video'));
  if (!enc) return null;
  const footage = await videoSpanSec(partPath);
  if (footage.frames === 0) return null;
  const endedAt = new Date(text.startedAt.getTime() + Math.round(footage.seconds * 1000));
  const dir = await fsp.mkdtemp(`${partPath}.card-`);
  try {
    const start = await renderCard(cardLines(text, endedAt, 'start'), text.orderNo, enc, dir, 'start');
    const end = await renderCard(cardLines(text, endedAt, 'end'), text.orderNo, enc, dir, 'end');
    const [startSpan, endSpan] = await Promise.all([videoSpanSec(start), videoSpanSec(end)]);
    const list = path.join(dir, 'list.txt');
    // `inpoint` at the first frame: the file's own start may be an earlier audio packet
    const entry = (f: string, span: { startSec: number; seconds: number }) =>
      `file ${quote(path.resolve(f))}\ninpoint ${span.startSec.toFixed(6)}\nduration ${span.seconds.toFixed(6)}`;
    const pieces = [entry(start, startSpan), entry(partPath, footage), entry(end, endSpan)];
    await fsp.writeFile(list, pieces.join('\n') + '\n');
    const joined = `${partPath}.carded.ts`;
    await runFfmpeg({
      inputs: [{ file: list, options: ['-f', 'concat', '-safe', '0'] }],
      output: joined,
      outputOptions: ['-map', '0:v:0', '-c', 'copy', '-f', 'mpegts'],
      timeoutMs: 10 * 60_000,
    });
    return joined;
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
