import type { Evidence, Id } from '../../../shared/domain/types';
import { cameraPartsOfOrder } from '../cameras/camera-parts-repo';
import type { Db } from '../db/db';
import { probe, runFfmpeg } from '../media/ffmpeg';

/** one view of a scan in a side-by-side composite, and its title card length */
export interface View {
  evidence: Evidence;
  /** seconds of title card before the footage (network cameras' clips) */
  leadMs: number;
}

/**
 * The views recorded together by one scan (PC camera + network cameras), by evidence id:
 * each video of the order that is one view of a take maps to the take and its card lead.
 * Takes where a camera dropped (several parts) are left out: their parts are separate
 * files with a gap between them, not one view.
 */
export async function viewsByEvidence(db: Db, orderId: Id): Promise<Map<Id, { takeId: string; leadMs: number }>> {
  const parts = await cameraPartsOfOrder(db, orderId);
  const out = new Map<Id, { takeId: string; leadMs: number }>();
  const split = new Set(parts.filter((p) => p.partNo > 1).map((p) => p.takeId));
  for (const p of parts) {
    if (split.has(p.takeId)) continue;
    if (p.evidenceId) out.set(p.evidenceId, { takeId: p.takeId, leadMs: p.cardMs ?? 0 });
    if (p.takeEvidenceId) out.set(p.takeEvidenceId, { takeId: p.takeId, leadMs: 0 });
  }
  return out;
}

/**
 * Files of one checklist item when the profile takes at most `limit` videos: the views
 * of each scan become one entry (`views`) to be composed side by side, in the order the
 * files came; anything else stays as it is. Nothing changes within the limit: then
 * every view is carried as its own file.
 */
export function mergeViews<T extends { evidence: Evidence }>(
  files: T[],
  views: Map<Id, { takeId: string; leadMs: number }>,
  limit: number | undefined,
): (T & { views?: View[] })[] {
  const videos = files.filter((f) => f.evidence.kind === 'video');
  if (limit == null || videos.length <= limit) return files;
  const byTake = new Map<string, T[]>();
  for (const f of videos) {
    const v = views.get(f.evidence.id);
    if (v) byTake.set(v.takeId, [...(byTake.get(v.takeId) ?? []), f]);
  }
  const out: (T & { views?: View[] })[] = [];
  const done = new Set<string>();
  for (const f of files) {
    const take = views.get(f.evidence.id)?.takeId;
    const group = take ? byTake.get(take) : undefined;
    if (!take || !group || group.length < 2) {
      out.push(f);
      continue;
    }
    if (done.has(take)) continue;
    done.add(take);
    out.push({
      ...group[0],
      views: group.map((g) => ({ evidence: g.evidence, leadMs: views.get(g.evidence.id)!.leadMs })),
    });
  }
  return out;
}

/**
 * The views side by side in one H.264 MP4 (ffmpeg `hstack`): each scaled to the smallest
 * height, placed on the shared clock by its capture start (a view that began later
 * holds its first picture until then; one that ended sooner holds its last), encoded
 * with libx264. Used only where the platform takes one video: the originals stay as
 * they are in the data folder.
 */
export async function renderSideBySide(
  inputs: { file: string; view: View }[],
  output: string,
  signal?: AbortSignal,
): Promise<{ durationMs: number | null; width: number | null; height: number | null }> {
  const starts = inputs.map((i) => Date.parse(i.view.evidence.capturedAt) - i.view.leadMs);
  const t0 = Math.min(...starts);
  const heights = inputs.map((i) => i.view.evidence.height ?? 720);
  const h = Math.max(2, Math.floor(Math.min(...heights) / 2) * 2);
  const legs = inputs.map((_, k) => {
    const pad = (starts[k] - t0) / 1000;
    const tpad = pad > 0 ? `tpad=start_duration=${pad.toFixed(3)}:start_mode=clone,` : '';
    return `[${k}:v]${tpad}scale=-2:${h},setsar=1,fps=30[v${k}]`;
  });
  const stack = `${inputs.map((_, k) => `[v${k}]`).join('')}hstack=inputs=${inputs.length},format=yuv420p[out]`;
  await runFfmpeg({
    inputs: inputs.map((i) => ({ file: i.file })),
    output,
    outputOptions: [
      ...['-filter_complex', [...legs, stack].join(';'), '-map', '[out]', '-an'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-movflags', '+faststart', '-f', 'mp4'],
    ],
    timeoutMs: 30 * 60_000,
    signal,
  });
  const p = await probe(output, { timeoutMs: 30_000 });
  const v = p.streams.find((s) => s.codec_type === 'video');
  const seconds = Number(p.format.duration);
  return {
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
    width: v?.width ?? null,
    height: v?.height ?? null,
  };
}
