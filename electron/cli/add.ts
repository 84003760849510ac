import path from 'node:path';
import { isAppError } from '../../shared/api/result';
import { isRequirementId, type RequirementId } from '../../shared/domain/cases';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT, required } from './cli-support';
import { withCore } from './open-core';
import { findOrCreateOrderByNumber } from '../core/cases/order-lookup';
import { CaseService } from '../core/cases/case-service';
import { importEvidence } from '../core/evidence/import-service';
import { complianceHooks } from '../core/packets/compliance';
import { getEvidence } from '../core/evidence/evidence-repo';

export const addCommand: Command = {
  summary: 'Import files as evidence of an order (checked, hashed, copied in)',
  usage: `Usage: proofpack add --data-dir DIR --order NO [--tracking NO] [--case ID --requirement R] [--json] FILE...

Imports each FILE as evidence of the order (created when unknown): its type is read from
its content, it is copied into the data folder while hashed (SHA-256), recorded, and
checked against the rule profile. A file already imported for the order is not copied
twice. With --case and --requirement the files are linked to that checklist item.
Exit 0 when every file was imported, 1 when any was refused, 2 on a usage error.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      'data-dir': { type: 'string' },
      order: { type: 'string' },
      tracking: { type: 'string' },
      case: { type: 'string' },
      requirement: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const orderNo = required(values, 'order', lang0);
    if (positionals.length === 0) throw new UsageError(cliT(lang0)('cli.add.noFiles'));
    const caseId = values.case?.trim() || null;
    const rawRequirement = values.requirement ?? null;
    if (rawRequirement && !isRequirementId(rawRequirement))
      throw new UsageError(cliT(lang0)('cli.opt.badChoice', { option: '--requirement', value: rawRequirement }));
    const requirement = rawRequirement as RequirementId | null;
    if ((caseId == null) !== (requirement == null)) throw new UsageError(cliT(lang0)('cli.add.caseAndRequirement'));

    return withCore(values['data-dir'], async (core) => {
      const ctx = core.ctx;
      const lang = cliLang(ctx.settings.get().language);
      const t = cliT(lang);
      let order;
      try {
        order = await findOrCreateOrderByNumber(ctx.db, orderNo, values.tracking ?? null);
      } catch (e) {
        if (isAppError(e)) throw new UsageError(e.message);
        throw e;
      }
      const cases = new CaseService(ctx);
      const hooks = complianceHooks(ctx);
      const results = [];
      for (const file of positionals) {
        const abs = path.resolve(file);
        try {
          const { evidence, duplicate } = await importEvidence(ctx, {
            orderId: order.id,
            originalName: path.basename(abs),
            source: { path: abs },
            requirement: requirement ?? undefined,
          });
          // "checked": the CLI waits for the checks instead of leaving them to a background job
          if (hooks.check && evidence.checkState === 'pending')
            await hooks.check(evidence.id, new AbortController().signal);
          if (caseId != null && requirement) await cases.link({ caseId, requirement, evidenceId: evidence.id });
          const e = await getEvidence(ctx.db, evidence.id);
          results.push({
            file: abs,
            ok: true,
            duplicate,
            evidence: {
              id: e.id,
              kind: e.kind,
              path: path.join(ctx.paths.root, e.path),
              sha256: e.sha256,
              bytes: e.bytes,
              durationMs: e.durationMs,
              width: e.width,
              height: e.height,
              check: e.checkState,
            },
          });
        } catch (err) {
          const problem = isAppError(err) ? (err.details as { problem?: string } | undefined)?.problem : undefined;
          const message = problem
            ? t(`import.problem.${problem}`, { name: path.basename(abs) })
            : (err as Error).message;
          results.push({
            file: abs,
            ok: false,
            error: { code: isAppError(err) ? err.code : 'INTERNAL', problem: problem ?? null, message },
          });
        }
      }
      const out = { order: { id: order.id, orderNo: order.orderNo, trackingNo: order.trackingNo }, files: results };
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else {
        console.log(t('cli.add.order', { order: order.orderNo, tracking: order.trackingNo ?? '—' }));
        for (const r of results) {
          if (r.ok && r.evidence) {
            console.log(
              `  ✓ ${r.file}\n    → ${t(`kind.${r.evidence.kind}`)} ${r.evidence.sha256.slice(0, 16)} ${t(`check.${r.evidence.check}`)}${r.duplicate ? ` (${t('cli.add.duplicate')})` : ''}`,
            );
          } else console.log(`  ✗ ${r.file}: ${r.error?.message}`);
        }
      }
      return results.every((r) => r.ok) ? 0 : 1;
    });
  },
};
