import fsp from 'node:fs/promises';
import path from 'node:path';
import { isAppError } from '../../../shared/api/result';
import type { ProbeFacts, UnreadableReason } from '../../../shared/rules/facts';
import { probe, type ProbeResult } from '../media/ffmpeg';
import { scanPhotoLabel, scanVideoLabel } from './label-scan';
import { MAX_DECODE_PIXELS, probePhoto } from './probe-photo';
import { probeVideo, type VideoIndex } from './probe-video';
import { declaredByHeader } from './declared-size';
import { formatFromContainer, readHead, sniffBytes } from './sniff';

/**
 * Everything ProofPack learns about one file, by content: magic bytes, then sharp's
 * header reader for images or ffprobe for media. Never throws for a bad file (a bad
 * file is a finding); throws only when the file does not exist or on cancel.
 */
export interface InspectOptions {
  /** the order's tracking number, when known: decoded codes must match it */
  expected?: string | null;
  /** barcode check: zxing formats, per kind; false skips it */
  label?: { formats: string[]; photos: boolean; videos: boolean } | false;
  /** media times (s) the packer marked as showing the label: read first */
  labelHintsSec?: number[];
  signal?: AbortSignal;
  /** background checks run niced so a live recording keeps its CPU */
  lowPriority?: boolean;
  maxDecodePixels?: number;
}

export interface Inspection {
  facts: ProbeFacts;
  /** keyframe index for the fixer (videos only) */
  index: VideoIndex | null;
}

/** ffprobe "formats" that mean "some bytes ffprobe guessed at", not a media container */
const NOT_MEDIA = new Set(['tty', 'image2', 'png_pipe', 'jpeg_pipe', 'bmp_pipe', 'webp_pipe', 'gif', 'data', 'bin']);

export async function inspectFile(file: string, opts: InspectOptions = {}): Promise<Inspection> {
  const name = path.basename(file);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : null;
  const facts: ProbeFacts = {
    name,
    bytes: 0,
    ext,
    kind: 'unknown',
    format: null,
    container: null,
    unreadable: null,
    detail: null,
    video: null,
    photo: null,
    label: null,
    checkError: null,
  };
  const unreadable = (reason: UnreadableReason, detail: string | null = null): Inspection => {
    facts.unreadable = reason;
    facts.detail = detail;
    return { facts, index: null };
  };

  const stat = await fsp.stat(file); // ENOENT propagates: a missing file is a usage error
  facts.bytes = stat.size;
  if (!stat.isFile()) return unreadable('not-a-file');
  if (stat.size === 0) return unreadable('empty');
  const head = await readHead(file);
  const sniffed = sniffBytes(head);
  facts.format = sniffed.format;
  const label = opts.label === false ? null : opts.label;
  const maxPixels = opts.maxDecodePixels ?? MAX_DECODE_PIXELS;

  if (sniffed.kind === 'photo') {
    facts.kind = 'photo';
    const p = await probePhoto(file, { maxPixels, signal: opts.signal });
    if (!p.ok) return unreadable(p.reason, p.detail);
    facts.format = p.format ?? sniffed.format;
    facts.photo = p.facts;
    if (label?.photos && !p.facts.decodeRefused && p.facts.width && p.facts.height) {
      facts.label = await step(facts, () =>
        scanPhotoLabel(
          file,
          { width: p.facts.width!, height: p.facts.height! },
          {
            formats: label.formats,
            expected: opts.expected ?? null,
            maxPixels,
            signal: opts.signal,
            image: p.image,
          },
        ),
      );
    }
    return { facts, index: null };
  }
  if (sniffed.kind === 'document') {
    facts.kind = 'document';
    return { facts, index: null };
  }

  let header: ProbeResult;
  try {
    header = await probe(file, { timeoutMs: 30_000, signal: opts.signal });
  } catch (e) {
    if (isAppError(e) && e.code === 'CANCELLED') throw e;
    if (isAppError(e) && e.code === 'TIMEOUT') return unreadable('timeout', e.message);
    return unreadable(sniffed.kind ? 'damaged' : 'unrecognised', (e as Error).message);
  }
  const container = header.format.format_name ?? '';
  facts.container = container;
  const score = Number((header.format as { probe_score?: number | string }).probe_score ?? 100);
  const media = header.streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio');
  if (NOT_MEDIA.has(container.split(',')[0]) || media.length === 0 || (!sniffed.kind && score < 50)) {
    return unreadable(
      sniffed.kind ? 'damaged' : 'unrecognised',
      `ffprobe: ${container || 'no streams'} (score ${score})`,
    );
  }
  facts.kind = 'video';
  facts.format = formatFromContainer(container, sniffed.format);

  const vp = await probeVideo(file, { signal: opts.signal, lowPriority: opts.lowPriority, header });
  facts.video = vp.facts;
  if (vp.facts.hasVideo && vp.facts.frames === 0) return { ...unreadable('damaged', 'no video frames'), facts };
  // AVI and WMV: ffprobe times only what is present, their headers say what should be
  const declared = declaredByHeader(head, facts.format);
  if (vp.facts.hasVideo && !vp.facts.truncated && declared && facts.bytes < declared.bytes) {
    const present = vp.facts.durationSec ?? 0;
    vp.facts.truncated = { declaredSec: round3(declared.durationSec ?? present), presentSec: round3(present) };
  }
  const v = vp.facts;
  if (label?.videos && v.hasVideo && v.width && v.height && v.durationSec) {
    facts.label = await step(facts, () =>
      scanVideoLabel(
        file,
        {
          width: v.width!,
          height: v.height!,
          durationSec: v.durationSec!,
          maxKeyframeIntervalSec: v.maxKeyframeIntervalSec,
        },
        vp.index,
        {
          formats: label.formats,
          expected: opts.expected ?? null,
          hintsSec: opts.labelHintsSec,
          signal: opts.signal,
          lowPriority: opts.lowPriority,
        },
      ),
    );
  }
  return { facts, index: vp.index };
}

/** A failing optional step is recorded (CHECK_FAILED) instead of losing every other fact. */
async function step<T>(facts: ProbeFacts, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (isAppError(e) && e.code === 'CANCELLED') throw e;
    facts.checkError = (e as Error).message;
    return null;
  }
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
