import { createHash, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/api/result';
import { REQUIREMENT_KINDS, type RequirementId } from '../../../shared/domain/cases';
import type { CaptureMode, Evidence, EvidenceKind } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import { evidenceRelPath } from '../capture/media-layout';
import { readHead, sniffBytes } from '../checks/sniff';
import { notifyEvidenceAdded, type CoreContext } from '../context';
import { probe } from '../media/ffmpeg';
import { getOrder } from '../orders/order-repo';
import { publishFile, sha256Bytes, toPosix, writeFileAtomic } from '../storage/files';
import { findEvidenceByHash, getEvidence, insertEvidence } from './evidence-repo';
import { inTransaction } from '../db/transaction';
import type { Id } from '../../../shared/domain/types';

export type ImportSource = { path: string } | { bytes: Uint8Array };

export interface ImportInput {
  orderId: Id;
  /** the name the file had (kept for the record; never trusted for its type) */
  originalName: string;
  source: ImportSource;
  /** the checklist item it is imported into, when dropped on one */
  requirement?: RequirementId;
}

export interface ImportResult {
  evidence: Evidence;
  /** the order already had a file with these exact bytes: that one is returned */
  duplicate: boolean;
}

/** what the web adapter accepts in one request; the CLI streams files of any size */
export const MAX_IMPORT_BYTES_IN_MEMORY = 64 * 1024 * 1024;

const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  m4v: 'video/x-m4v',
  '3gp': 'video/3gpp',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  wmv: 'video/x-ms-wmv',
  flv: 'video/x-flv',
  rmvb: 'application/vnd.rn-realmedia-vbr',
  ts: 'video/mp2t',
  mpg: 'video/mpeg',
  ogv: 'video/ogg',
};

/**
 * Imports a document or media file as evidence of an order — the drag-and-drop and
 * picker path, and `proofpack add`. The type comes from the content (magic bytes,
 * then ffprobe/sharp), the file is copied into the data folder atomically (temp file,
 * fsync, rename) while being hashed, recorded with origin "imported" and an audit
 * entry, and announced so the checks run. Bad input is refused before anything is kept.
 */
export async function importEvidence(ctx: CoreContext, input: ImportInput): Promise<ImportResult> {
  const order = await getOrder(ctx.db, input.orderId);
  const size = 'bytes' in input.source ? input.source.bytes.length : await fileSize(input.source.path);
  if (size === 0)
    throw new AppError('INVALID_INPUT', `The file is empty: ${input.originalName}`, {
      name: input.originalName,
      problem: 'empty',
    });
  const head = 'bytes' in input.source ? input.source.bytes.subarray(0, 4096) : await readHead(input.source.path);
  const sniffed = sniffBytes(head);
  if (!sniffed.kind || !sniffed.format) {
    throw new AppError('MEDIA_UNREADABLE', `Not a video, photo or PDF: ${input.originalName}`, {
      name: input.originalName,
      problem: 'unrecognised',
    });
  }
  const kind: EvidenceKind = sniffed.kind;
  const spec = input.requirement ? REQUIREMENT_KINDS[input.requirement] : null;
  if (spec && !spec.accepts.includes(kind)) {
    throw new AppError('INVALID_INPUT', `A ${kind} cannot be a "${input.requirement}"`, {
      name: input.originalName,
      problem: 'wrong-kind',
      kind,
      accepts: spec.accepts,
      requirement: input.requirement,
    });
  }
  const mode: CaptureMode | null = kind === 'video' ? (spec?.importMode ?? null) : null;

  const at = new Date();
  const rel = path.posix.join('media', evidenceRelPath(order.orderNo, mode ?? 'doc', at, sniffed.format, randomUUID()));
  const final = path.join(ctx.paths.root, rel);
  let sha256: string;
  if ('bytes' in input.source) {
    sha256 = sha256Bytes(input.source.bytes);
    const dup = await findEvidenceByHash(ctx.db, order.id, sha256);
    if (dup) return { evidence: dup, duplicate: true };
    await writeFileAtomic(final, input.source.bytes);
  } else {
    sha256 = await copyIntoDataFolder(input.source.path, final);
    const dup = await findEvidenceByHash(ctx.db, order.id, sha256);
    if (dup) {
      await fsp.rm(final, { force: true });
      return { evidence: dup, duplicate: true };
    }
  }

  let meta: { durationMs: number | null; width: number | null; height: number | null };
  try {
    meta = await describe(final, kind, sniffed.format);
  } catch (e) {
    await fsp.rm(final, { force: true });
    if (e instanceof AppError)
      throw new AppError(e.code, e.message, { ...(e.details as object), name: input.originalName });
    throw e;
  }
  const settings = ctx.settings.get();
  const id = await inTransaction(ctx.db, async (trx) => {
    const evidenceId = await insertEvidence(
      trx,
      {
        orderId: order.id,
        kind,
        origin: 'imported',
        mode,
        path: toPosix(rel),
        originalName: input.originalName.slice(0, 500),
        mime: MIME[sniffed.format!] ?? 'application/octet-stream',
        sha256,
        bytes: size,
        ...meta,
        station: settings.stationName,
        operator: settings.operator,
        capturedAt: at.toISOString(),
        parentId: null,
      },
      at,
    );
    await appendAudit(
      trx,
      {
        actor: settings.operator || 'staff',
        action: 'evidence.imported',
        entity: 'evidence',
        entityId: evidenceId,
        details: {
          orderId: order.id,
          sha256,
          bytes: size,
          path: rel,
          originalName: input.originalName,
          format: sniffed.format,
          requirement: input.requirement ?? null,
        },
      },
      at,
    );
    return evidenceId;
  });
  const evidence = await getEvidence(ctx.db, id);
  await notifyEvidenceAdded(ctx, evidence);
  return { evidence, duplicate: false };
}

async function fileSize(file: string): Promise<number> {
  const st = await fsp.stat(file).catch(() => null);
  if (!st) throw new AppError('NOT_FOUND', `No such file: ${file}`, { name: file, problem: 'missing' });
  if (!st.isFile()) throw new AppError('INVALID_INPUT', `Not a file: ${file}`, { name: file, problem: 'not-a-file' });
  return st.size;
}

/** Streamed copy (never the whole file in memory), hashed on the way, published atomically. */
async function copyIntoDataFolder(src: string, final: string): Promise<string> {
  await fsp.mkdir(path.dirname(final), { recursive: true });
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
  const hash = createHash('sha256');
  const input = await fsp.open(src, 'r');
  try {
    const output = await fsp.open(tmp, 'wx');
    try {
      const buf = Buffer.allocUnsafe(4 << 20);
      for (;;) {
        const { bytesRead } = await input.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        await output.write(buf, 0, bytesRead);
      }
    } finally {
      await output.close();
    }
    await publishFile(tmp, final);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  } finally {
    await input.close();
  }
  return hash.digest('hex');
}

/** Confirms the content really is what the magic bytes said, and reads its size/length. */
async function describe(file: string, kind: EvidenceKind, format: string) {
  if (kind === 'video') {
    const p = await probe(file, { timeoutMs: 60_000 }).catch(() => null);
    const v = p?.streams.find((s) => s.codec_type === 'video');
    if (!p || !v)
      throw new AppError('MEDIA_UNREADABLE', 'The video cannot be read (damaged, or it holds no video)', {
        problem: 'damaged',
      });
    const d = Number(p.format.duration ?? v.duration);
    return {
      durationMs: Number.isFinite(d) ? Math.round(d * 1000) : null,
      width: v.width ?? null,
      height: v.height ?? null,
    };
  }
  if (kind === 'photo') {
    // header only: dimensions without decoding, so a decompression bomb costs nothing here
    const m = await sharp(file, { limitInputPixels: false })
      .metadata()
      .catch(() => null);
    // HEIC needs a decoder sharp's prebuilt build may lack: keep it; the checks judge it
    if (!m && format === 'heic') return { durationMs: null, width: null, height: null };
    if (!m) throw new AppError('MEDIA_UNREADABLE', 'The photo cannot be read (damaged?)', { problem: 'damaged' });
    const swap = (m.orientation ?? 1) >= 5;
    return {
      durationMs: null,
      width: (swap ? m.height : m.width) ?? null,
      height: (swap ? m.width : m.height) ?? null,
    };
  }
  return { durationMs: null, width: null, height: null };
}
