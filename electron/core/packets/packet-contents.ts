import { createHash } from 'node:crypto';
import {
  formatAmount,
  statusAfterExport,
  type CaseDetail,
  type ExportProblem,
  type PacketFile,
  type RequirementId,
} from '../../../shared/domain/cases';
import type { Evidence, Id } from '../../../shared/domain/types';
import type { Lang } from '../../../shared/i18n';
import type { CoreContext } from '../context';
import type { ManifestFile, PacketManifest } from './manifest';
import { mediaFileName } from './naming';
import { mergeViews, type View } from './side-by-side';
import { imageThumb, videoKeyFrames, type Thumb } from './thumbnails';

/** What goes into a packet and how it is described: pure decisions, no file writes. */
export interface PlannedFile {
  name: string;
  requirement: RequirementId;
  evidence: Evidence;
  source: Evidence;
  /** the views of one scan to be composed side by side into this one file (see side-by-side.ts) */
  views?: View[];
}

/** a profile that takes at most `limit` videos per set: the views of one scan are composed */
export interface ViewMerge {
  limit: number | undefined;
  views: Map<Id, { takeId: string; leadMs: number }>;
}

/**
 * The media of a packet in checklist order: for each item, the passing (or still
 * unchecked) files — a fixed copy in place of a failing original — named for the clerk;
 * files that fail and could not be fixed are reported instead.
 */
export function planFiles(
  detail: CaseDetail,
  lang: Lang,
  merge?: ViewMerge,
): { planned: PlannedFile[]; problems: ExportProblem[] } {
  const byId = new Map(detail.evidence.map((e) => [e.id, e]));
  const problems: ExportProblem[] = [];
  const planned: PlannedFile[] = [];
  let position = 0;
  for (const item of detail.checklist.items) {
    const files: { evidence: Evidence; source: Evidence }[] = [];
    for (const entry of item.evidence) {
      if (entry.checkState === 'block') {
        problems.push({ evidenceId: entry.evidenceId, requirement: item.requirement, reason: 'failing' });
        continue;
      }
      for (const id of entry.used) files.push({ evidence: byId.get(id)!, source: byId.get(entry.evidenceId)! });
    }
    if (!files.length) continue;
    position++;
    const merged: ((typeof files)[number] & { views?: View[] })[] = merge
      ? mergeViews(files, merge.views, merge.limit)
      : files;
    merged.forEach((f, i) =>
      planned.push({
        // a composite is encoded to H.264 MP4 whatever its views are
        name: mediaFileName(
          lang,
          position,
          item.requirement,
          i + 1,
          merged.length,
          f.views ? 'x.mp4' : f.evidence.path,
        ),
        requirement: item.requirement,
        ...f,
      }),
    );
  }
  return { planned, problems };
}

/** SHA-256 over everything a packet is built from: the same inputs give the same packet. */
export function fingerprintOf(
  detail: CaseDetail,
  lang: Lang,
  planned: PlannedFile[],
  problems: ExportProblem[],
): string {
  const c = detail.case;
  const facts = [
    c.appealType,
    c.scenario,
    c.signForAt,
    c.refundAt,
    c.proofBeforeRefusal,
    c.fastRefund,
    c.freeShipping,
    c.freightKind,
    c.amountClaimedCents,
    c.orderAmountCents,
    c.notes,
    c.evidenceDueAt,
    c.appealDueAt,
  ];
  const data = JSON.stringify({
    v: 1,
    lang,
    facts,
    order: [detail.order.orderNo, detail.order.trackingNo],
    profile: [c.profileId, c.profileVersion],
    statement: detail.statement,
    checklist: detail.checklist.items.map((i) => [i.requirement, i.state]),
    files: planned.map((p) => {
      const file = [p.name, p.evidence.id, p.evidence.sha256];
      return p.views ? [...file, p.views.map((v) => v.evidence.sha256)] : file;
    }),
    problems: problems.map((p) => [p.evidenceId, p.reason]),
  });
  return createHash('sha256').update(data).digest('hex');
}

export async function thumbsFor(ctx: CoreContext, p: PlannedFile, src: string, signal: AbortSignal): Promise<Thumb[]> {
  if (p.evidence.kind === 'video') {
    const chapters = p.evidence.id === p.source.id ? p.evidence.chapters : [];
    return videoKeyFrames(src, p.evidence.durationMs, chapters, ctx.paths.tmp, signal);
  }
  const th = await imageThumb(src);
  return th ? [th] : [];
}

export function manifestEntry(p: PlannedFile, copied: { sha256: string; bytes: number }): ManifestFile {
  const e = p.evidence;
  const fixedFrom = e.id !== p.source.id ? p.source : null;
  return {
    name: p.name,
    kind: e.kind,
    requirement: p.requirement,
    sha256: copied.sha256,
    bytes: copied.bytes,
    durationMs: e.durationMs,
    evidenceId: e.id,
    sourceEvidenceId: fixedFrom?.id ?? null,
    sourceSha256: fixedFrom?.sha256 ?? null,
    origin: e.origin,
    mode: e.mode,
    checkState: e.checkState,
    capturedAt: e.capturedAt,
    station: e.station || null,
    operator: e.operator || null,
    width: e.width,
    height: e.height,
    chapters: (fixedFrom ?? e).chapters,
  };
}

export function buildManifest(
  ctx: CoreContext,
  detail: CaseDetail,
  lang: Lang,
  fingerprint: string,
  createdAt: string,
  files: PacketFile[],
  media: ManifestFile[],
  problems: ExportProblem[],
): PacketManifest {
  const c = detail.case;
  const generated: ManifestFile[] = files
    .filter((f) => f.kind === 'summary' || f.kind === 'statement')
    .map((f) => ({
      name: f.name,
      kind: f.kind,
      requirement: null,
      sha256: f.sha256,
      bytes: f.bytes,
      durationMs: null,
      evidenceId: null,
      sourceEvidenceId: null,
      sourceSha256: null,
      origin: 'generated',
      mode: null,
      checkState: null,
      capturedAt: createdAt,
      station: null,
      operator: null,
      width: null,
      height: null,
      chapters: [],
    }));
  return {
    format: 'proofpack-packet',
    formatVersion: 1,
    createdAt,
    app: { name: 'ProofPack', version: ctx.version },
    language: lang,
    fingerprint,
    profile: { id: detail.profile.id, version: detail.profile.version, name: detail.profile.name[lang] },
    order: { id: detail.order.id, orderNo: detail.order.orderNo, trackingNo: detail.order.trackingNo },
    case: {
      id: c.id,
      appealType: c.appealType,
      scenario: c.scenario,
      status: statusAfterExport(c.status),
      signForAt: c.signForAt,
      refundAt: c.refundAt,
      proofBeforeRefusal: c.proofBeforeRefusal,
      fastRefund: c.fastRefund,
      freeShipping: c.freeShipping,
      freightKind: c.freightKind,
      amountClaimedCents: c.amountClaimedCents,
      amountClaimed: c.amountClaimedCents != null ? formatAmount(c.amountClaimedCents) : null,
      evidenceDueAt: c.evidenceDueAt,
      appealDueAt: c.appealDueAt,
      notes: c.notes,
      createdAt: c.createdAt,
    },
    checklist: detail.checklist.items.map((i) => ({
      requirement: i.requirement,
      required: i.required,
      state: i.state,
      files: media.filter((m) => m.requirement === i.requirement).map((m) => m.name),
    })),
    files: [...media, ...generated],
    problems,
  };
}
