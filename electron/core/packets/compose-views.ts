import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { ExportProblem } from '../../../shared/domain/cases';
import type { CoreContext } from '../context';
import { sha256File } from '../storage/files';
import type { ManifestFile } from './manifest';
import { manifestEntry, type PlannedFile } from './packet-contents';
import { renderSideBySide } from './side-by-side';
import { evidenceSource } from '../evidence/evidence-sources';

export interface Composite {
  file: { sha256: string; bytes: number; durationMs: number | null };
  manifest: ManifestFile;
}

/**
 * The views of one scan side by side (side-by-side.ts) at `out`, for a profile that takes
 * one video: each view must still be the file that was recorded (its SHA-256), else it
 * is reported like any damaged file and no composite is made.
 */
export async function composeViews(
  ctx: CoreContext,
  p: PlannedFile,
  out: string,
  problems: ExportProblem[],
  signal: AbortSignal,
): Promise<Composite | null> {
  // on a hub, a view from an S3 store is fetched beside the composite and removed after it
  const scratch = `${out}.sources`;
  try {
    const inputs = [];
    for (const view of p.views!) {
      const file = (await evidenceSource(ctx, view.evidence, scratch, signal))?.file;
      const sha = file && fs.existsSync(file) ? await sha256File(file) : null;
      if (sha !== view.evidence.sha256) {
        problems.push({
          evidenceId: view.evidence.id,
          requirement: p.requirement,
          reason: sha ? 'tampered' : 'missing-file',
          ...(sha ? { detail: `expected ${view.evidence.sha256}, found ${sha}` } : {}),
        });
        return null;
      }
      inputs.push({ file: file!, view });
    }
    return await composite(p, inputs, out, signal);
  } finally {
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

async function composite(
  p: PlannedFile,
  inputs: { file: string; view: NonNullable<PlannedFile['views']>[number] }[],
  out: string,
  signal: AbortSignal,
): Promise<Composite> {
  const made = await renderSideBySide(inputs, out, signal);
  const [sha256, { size: bytes }] = await Promise.all([sha256File(out), fsp.stat(out)]);
  return {
    file: { sha256, bytes, durationMs: made.durationMs },
    manifest: {
      ...manifestEntry(p, { sha256, bytes }),
      evidenceId: null,
      sourceEvidenceId: null,
      sourceSha256: null,
      origin: 'side-by-side',
      checkState: null,
      durationMs: made.durationMs,
      width: made.width,
      height: made.height,
      chapters: [],
      views: p.views!.map((v) => ({
        evidenceId: v.evidence.id,
        sha256: v.evidence.sha256,
        capturedAt: v.evidence.capturedAt,
      })),
    },
  };
}
