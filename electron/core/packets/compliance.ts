import { AppError } from '../../../shared/api/result';
import type { CheckState, Evidence, Id } from '../../../shared/domain/types';
import type { CaseService } from '../cases/case-service';
import type { CoreContext } from '../context';

/**
 * How an export reaches the evidence checks and fixes (issue 3) without depending on
 * their internals: core startup registers these when the checks service exists. Absent
 * hooks mean "cannot check or fix here": failing media are then reported, not fixed.
 */
export interface ComplianceHooks {
  /** run the checks on one file now; resolves with its stored check state */
  check?(evidenceId: Id, signal: AbortSignal): Promise<CheckState>;
  /**
   * make a failing file compliant (as the fix jobs do): resolves with the new, linked,
   * checked evidence files (several when a too-long video is split)
   */
  fix?(evidenceId: Id, opts: { signal: AbortSignal; onProgress: (ratio: number | null) => void }): Promise<Evidence[]>;
}

const hooks = new WeakMap<CoreContext, ComplianceHooks>();

export function registerComplianceHooks(ctx: CoreContext, h: ComplianceHooks): void {
  hooks.set(ctx, { ...hooks.get(ctx), ...h });
}

export const complianceHooks = (ctx: CoreContext): ComplianceHooks => hooks.get(ctx) ?? {};

/**
 * Before export: run pending checks, and fix failing files where the checks can. A file
 * is fixed only when no passing fixed copy exists yet (a re-export never re-fixes).
 */
export async function makeCompliant(
  ctx: CoreContext,
  cases: CaseService,
  caseId: Id,
  job: { signal: AbortSignal; progress(ratio: number | null): void },
): Promise<Id[]> {
  const hooks = complianceHooks(ctx);
  const fixed: Id[] = [];
  const detail = await cases.detail(caseId);
  const entries = detail.checklist.items.flatMap((i) => i.evidence);
  if (hooks.check) {
    for (const id of new Set(entries.filter((e) => e.checkState === 'pending').flatMap((e) => e.used))) {
      await hooks.check(id, job.signal);
    }
  }
  if (hooks.fix) {
    const again = (await cases.detail(caseId)).checklist.items.flatMap((i) => i.evidence);
    for (const id of new Set(again.filter((e) => e.checkState === 'block').map((e) => e.evidenceId))) {
      if (job.signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      try {
        const outputs = await hooks.fix(id, { signal: job.signal, onProgress: () => job.progress(null) });
        fixed.push(...outputs.map((o) => o.id));
      } catch (e) {
        if (job.signal.aborted) throw e;
        // not fixable: it stays failing and is reported by the export
      }
    }
  }
  await cases.syncOrder(detail.case.orderId);
  return fixed;
}
