import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';
import type { FixId } from '../../../shared/rules/findings';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import { inspectFile, type Inspection } from '../checks/inspect';
import { publishFile } from '../storage/files';
import { runPhotoPlan } from './photo-fix';
import { planFix, SIZE_MARGIN, type FixRequest, type NoFix, type VideoPlan } from './plan';
import { runVideoPlan } from './video-fix';

/**
 * Make one file compliant: plan, run, verify every output against the limits (tighten
 * and redo if an encoder overshot), publish the outputs durably. The source is only
 * ever read. Shared by `proofpack fix` and the app's fix jobs.
 */
/** Where a video can be cut (keyframes and the bytes before each), when the probe found them. */
export function splitIndexOf({ facts, index }: Inspection) {
  return index && facts.video?.durationSec != null
    ? {
        keyframes: index.keyframes,
        bytesBefore: index.bytesBefore,
        totalBytes: facts.bytes,
        durationSec: facts.video.durationSec,
      }
    : null;
}

export interface FixOutput {
  file: string;
  part: number;
  parts: number;
  /** which stretch of the source this output holds (videos) */
  sourceStartSec: number | null;
  sourceEndSec: number | null;
}

export type FixResult =
  | { status: 'done'; applied: FixId[]; outputs: FixOutput[] }
  | { status: 'nothing' }
  | { status: 'unfixable'; reason: Extract<NoFix, { kind: 'unfixable' }>['reason']; params: Record<string, number> };

export interface FixFileOptions {
  /** absolute output path for part `part` of `parts` with extension `ext` */
  outputPath: (part: number, parts: number, ext: string) => string;
  /** scratch folder on the same disk as the outputs (atomic rename) */
  workDir: string;
  signal?: AbortSignal;
  onProgress?: (ratio: number) => void;
  inspection?: Inspection;
}

const MAX_ATTEMPTS = 3;

export async function fixFile(
  src: string,
  profile: RuleProfile,
  req: FixRequest,
  opts: FixFileOptions,
): Promise<FixResult> {
  const inspection = opts.inspection ?? (await inspectFile(src, { label: false, signal: opts.signal }));
  const { facts } = inspection;
  const splitIndex = splitIndexOf(inspection);
  let plan = planFix(facts, profile, splitIndex, req);
  if (plan.kind === 'nothing') return { status: 'nothing' };
  if (plan.kind === 'unfixable') return { status: 'unfixable', reason: plan.reason, params: plan.params };

  await fsp.mkdir(opts.workDir, { recursive: true });
  const stem = path.join(opts.workDir, `.fix-${randomUUID()}`); // hidden while it is being written
  const cleanup = async () => {
    const base = path.basename(stem);
    for (const f of await fsp.readdir(opts.workDir).catch(() => [] as string[])) {
      if (f.startsWith(base)) await fsp.rm(path.join(opts.workDir, f), { force: true });
    }
  };
  try {
    if (plan.kind === 'photo') {
      const ext = plan.format;
      const tmp = `${stem}.${ext}`;
      await runPhotoPlan(src, plan, tmp, opts.signal);
      opts.onProgress?.(1);
      const final = opts.outputPath(1, 1, ext);
      await publishFile(tmp, final);
      return {
        status: 'done',
        applied: plan.steps,
        outputs: [{ file: final, part: 1, parts: 1, sourceStartSec: null, sourceEndSec: null }],
      };
    }

    let maxrate = plan.maxrateKbps;
    for (let attempt = 1; ; attempt++) {
      const files = await runVideoPlan(src, plan, stem, {
        signal: opts.signal,
        maxrateKbps: maxrate,
        onProgress: (r) => opts.onProgress?.(Math.min(0.99, r)),
      });
      const sizes = await Promise.all(files.map(async (f) => (await fsp.stat(f)).size));
      const biggest = Math.max(...sizes);
      if (biggest <= plan.maxBytes)
        return {
          status: 'done',
          applied: plan.steps,
          outputs: await publish(files, plan, facts.video?.durationSec ?? null, opts),
        };
      await cleanup();
      if (attempt >= MAX_ATTEMPTS)
        throw new AppError('MEDIA_FAILED', `Output still over the size limit after ${attempt} attempts`);
      if (plan.video === 'h264' && maxrate) {
        // the encoder overshot: aim lower by the overshoot and a little more
        maxrate = Math.floor(maxrate * ((plan.maxBytes * (1 - SIZE_MARGIN)) / biggest) * 0.95);
      } else {
        // a copy split misjudged a part's bytes: plan again with a tighter budget
        const tighter = {
          ...profile,
          video: {
            ...profile.video,
            maxBytes: { ...profile.video.maxBytes, value: Math.floor(profile.video.maxBytes.value * 0.9 ** attempt) },
          },
        };
        const again = planFix(facts, tighter, splitIndex, req);
        if (again.kind !== 'video') throw new AppError('MEDIA_FAILED', 'No plan fits the size limit');
        plan = { ...again, maxBytes: profile.video.maxBytes.value };
        maxrate = plan.maxrateKbps;
      }
    }
  } finally {
    await cleanup();
  }
}

async function publish(
  files: string[],
  plan: VideoPlan,
  durationSec: number | null,
  opts: FixFileOptions,
): Promise<FixOutput[]> {
  const bounds = [0, ...plan.cuts, plan.range ? plan.range.endSec - plan.range.startSec : (durationSec ?? 0)];
  const offset = plan.range?.startSec ?? 0;
  const outputs: FixOutput[] = [];
  for (let i = 0; i < files.length; i++) {
    const final = opts.outputPath(i + 1, files.length, 'mp4');
    await publishFile(files[i], final);
    outputs.push({
      file: final,
      part: i + 1,
      parts: files.length,
      sourceStartSec: round(offset + (bounds[i] ?? 0)),
      sourceEndSec: round(offset + (bounds[i + 1] ?? bounds[bounds.length - 1])),
    });
  }
  opts.onProgress?.(1);
  return outputs;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
