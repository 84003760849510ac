import type { CheckState, Evidence } from '../../../shared/domain/types';
import type { CoreContext } from '../context';

/**
 * How an export reaches the evidence checks and fixes (issue 3) without depending on
 * their internals: core startup registers these when the checks service exists. Absent
 * hooks mean "cannot check or fix here": failing media are then reported, not fixed.
 */
export interface ComplianceHooks {
  /** run the checks on one file now; resolves with its stored check state */
  check?(evidenceId: number, signal: AbortSignal): Promise<CheckState>;
  /**
   * make a failing file compliant (as the fix jobs do): resolves with the new, linked,
   * checked evidence files (several when a too-long video is split)
   */
  fix?(
    evidenceId: number,
    opts: { signal: AbortSignal; onProgress: (ratio: number | null) => void },
  ): Promise<Evidence[]>;
}

const hooks = new WeakMap<CoreContext, ComplianceHooks>();

export function registerComplianceHooks(ctx: CoreContext, h: ComplianceHooks): void {
  hooks.set(ctx, { ...hooks.get(ctx), ...h });
}

export const complianceHooks = (ctx: CoreContext): ComplianceHooks => hooks.get(ctx) ?? {};
