import type { CaptureMode, CheckState, EvidenceKind, EvidenceOrigin, Id } from '../types';
import type { Checklist, ChecklistEvidence, ChecklistItem, RequirementId, RequirementSpec } from './types';

/** The facts of an evidence file the checklist needs (a subset of Evidence). */
export interface ChecklistInputEvidence {
  id: Id;
  kind: EvidenceKind;
  mode: CaptureMode | null;
  origin: EvidenceOrigin;
  parentId: Id | null;
  checkState: CheckState;
}

export interface CaseLink {
  requirement: RequirementId;
  evidenceId: Id;
  /** true: staff took an automatically matched file off this requirement */
  excluded: boolean;
}

const PASSES = (s: CheckState) => s === 'ok' || s === 'warn';
const RANK: Record<CheckState, number> = { ok: 0, warn: 1, pending: 2, block: 3 };
const worst = (states: CheckState[]): CheckState =>
  states.reduce<CheckState>((w, s) => (RANK[s] > RANK[w] ? s : w), 'ok');

/**
 * What a packet would use for one evidence file: the file itself unless it fails its
 * checks; then the passing outputs of its fixes (an original is never changed — a fix
 * is a new file linked by parentId), searched through fixes of fixes.
 */
export function effectiveFiles(e: ChecklistInputEvidence, all: ChecklistInputEvidence[]): ChecklistInputEvidence[] {
  if (e.checkState !== 'block') return [e];
  const byParent = new Map<Id, ChecklistInputEvidence[]>();
  for (const x of all) {
    if (x.parentId != null) byParent.set(x.parentId, [...(byParent.get(x.parentId) ?? []), x]);
  }
  const seen = new Set<Id>([e.id]);
  let level = [e];
  while (level.length) {
    const children = level.flatMap((p) => byParent.get(p.id) ?? []).filter((c) => !seen.has(c.id));
    children.forEach((c) => seen.add(c.id));
    const passing = children.filter((c) => PASSES(c.checkState));
    if (passing.length) return passing;
    const pending = children.filter((c) => c.checkState === 'pending');
    if (pending.length) return pending;
    level = children;
  }
  return [e];
}

function matchesAuto(spec: RequirementSpec, e: ChecklistInputEvidence): boolean {
  const a = spec.auto;
  if (!a || a.kind !== e.kind) return false;
  if (a.modes && (!e.mode || !a.modes.includes(e.mode))) return false;
  if (a.stationOnly && e.origin !== 'recorded' && e.origin !== 'recovered') return false;
  return true;
}

/**
 * Evaluates a case's checklist against the order's evidence: each requirement is
 * present (a passing or still-checking file), failing (files, but every one fails its
 * checks and no fix passed) or missing. Files linked by hand count only where linked;
 * station recordings fill video/photo requirements by their capture mode.
 */
export function evaluateChecklist(
  specs: RequirementSpec[],
  evidence: ChecklistInputEvidence[],
  links: CaseLink[],
): Checklist {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  // fixed outputs stand in for their originals; they are not candidates of their own
  const roots = evidence.filter((e) => e.parentId == null || !byId.has(e.parentId));
  const manual = links.filter((l) => !l.excluded && byId.has(l.evidenceId));
  const manuallyPlaced = new Set(manual.map((l) => l.evidenceId));
  const excluded = new Set(links.filter((l) => l.excluded).map((l) => `${l.requirement}:${l.evidenceId}`));

  const items: ChecklistItem[] = specs.map((spec) => {
    const chosen: ChecklistEvidence[] = [];
    for (const l of manual.filter((m) => m.requirement === spec.id)) {
      chosen.push(describe(byId.get(l.evidenceId)!, evidence, 'manual'));
    }
    for (const e of roots) {
      if (manuallyPlaced.has(e.id) || excluded.has(`${spec.id}:${e.id}`)) continue;
      if (matchesAuto(spec, e)) chosen.push(describe(e, evidence, 'auto'));
    }
    const passing = chosen.filter((c) => c.checkState !== 'block');
    const state = chosen.length === 0 ? 'missing' : passing.length ? 'present' : 'failing';
    return {
      requirement: spec.id,
      required: spec.required,
      accepts: spec.accepts,
      state,
      pending: passing.some((c) => c.checkState === 'pending'),
      evidence: chosen,
    };
  });
  const missing = items.filter((i) => i.required && i.state === 'missing').map((i) => i.requirement);
  const failing = items.filter((i) => i.required && i.state === 'failing').map((i) => i.requirement);
  return { items, complete: missing.length === 0 && failing.length === 0, missing, failing };
}

function describe(
  e: ChecklistInputEvidence,
  all: ChecklistInputEvidence[],
  linked: 'auto' | 'manual',
): ChecklistEvidence {
  const files = effectiveFiles(e, all);
  return { evidenceId: e.id, used: files.map((f) => f.id), checkState: worst(files.map((f) => f.checkState)), linked };
}
