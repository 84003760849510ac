import type { Lang } from '../../../shared/i18n';
import { describeFinding } from '../../../shared/rules/describe';
import { evaluate } from '../../../shared/rules/evaluate';
import type { ContentKind, ProbeFacts } from '../../../shared/rules/facts';
import { stateOf, type CheckState, type Finding } from '../../../shared/rules/findings';
import type { RuleProfile } from '../../../shared/rules/profile-schema';
import { inspectFile, type Inspection, type InspectOptions } from './inspect';

/** One finding as the CLI prints it and the UI shows it. */
export interface ReportedFinding extends Finding {
  message: string;
}

/** `proofpack check --json` prints an array of these (public contract). */
export interface CheckReport {
  file: string;
  kind: ContentKind;
  ok: boolean;
  state: CheckState;
  profile: { id: string; version: number };
  probe: ProbeFacts;
  findings: ReportedFinding[];
}

export function labelOptions(profile: RuleProfile): InspectOptions['label'] {
  return {
    formats: profile.label.barcodeFormats,
    photos: profile.label.checkPhotos,
    videos: profile.label.checkVideos,
  };
}

export function report(
  file: string,
  facts: ProbeFacts,
  profile: RuleProfile,
  lang: Lang,
  opts: { expectDocument?: boolean } = {},
): CheckReport {
  const findings = evaluate(facts, profile, opts).map((f) => ({ ...f, message: describeFinding(lang, f) }));
  const state = stateOf(findings);
  return {
    file,
    kind: facts.kind,
    ok: state !== 'block',
    state,
    profile: { id: profile.id, version: profile.version },
    probe: facts,
    findings,
  };
}

/** Inspect and judge one file: the CLI `check`, the app's automatic checks and the fixer's re-check. */
export async function checkFile(
  file: string,
  profile: RuleProfile,
  opts: Omit<InspectOptions, 'label'> & { lang: Lang; expectDocument?: boolean },
): Promise<CheckReport & { inspection: Inspection }> {
  const inspection = await inspectFile(file, { ...opts, label: labelOptions(profile) });
  return { ...report(file, inspection.facts, profile, opts.lang, opts), inspection };
}
