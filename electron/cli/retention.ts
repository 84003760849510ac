import { translate, type Lang } from '../../shared/i18n';
import { runRetention } from '../core/storage/retention';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { withCore } from './open-core';

const mb = (n: number) => (n / 1024 ** 2).toFixed(1);

export const retentionCommand: Command = {
  summary: 'Delete footage no case needs once it is older than the retention days',
  usage: `Usage: proofpack retention [--data-dir DIR] [--dry-run] [--json] [--lang en|zh-CN]

Deletes station footage (videos and photos) older than the retention days of its mode
(settings: storage.retentionDays.outbound / .return, default 60), except footage of an
order with an open case or a case closed less than its appeal window ago, and files
something still refers to. Every deletion is in the audit log. --dry-run lists what
would be deleted and how much space returns, deleting nothing.
--json prints {dryRun, deletedCount, deletedBytes, pinnedCount, skipped, items: [...]}.
Exit code: 0 done, 1 some file could not be removed, 2 usage error.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
    });
    const lang = (values.lang ?? 'zh-CN') as Lang;
    if (lang !== 'en' && lang !== 'zh-CN') throw new UsageError(`--lang must be en or zh-CN, not ${values.lang}`);
    return withCore(values['data-dir'], async (core) => {
      const report = await runRetention(core.ctx, { dryRun: values['dry-run'] === true, actor: 'cli' });
      if (values.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        for (const i of report.items)
          console.log(`${i.capturedAt.slice(0, 10)}  ${i.orderNo}  ${i.kind}  ${mb(i.bytes)} MB  ${i.path}`);
        const key = !report.enabled
          ? 'storage.cli.disabled'
          : report.dryRun
            ? 'storage.cli.dryRun'
            : 'storage.cli.done';
        console.log(
          translate(lang, key, {
            count: report.deletedCount,
            mb: mb(report.deletedBytes),
            pinned: report.pinnedCount,
            skipped: report.skipped.length,
          }),
        );
        for (const f of report.fileErrors) console.error(`${f.path}: ${f.message}`);
      }
      return report.fileErrors.length ? 1 : 0;
    });
  },
};
