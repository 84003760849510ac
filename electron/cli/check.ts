import path from 'node:path';
import { checkFile } from '../core/checks/check-file';
import { parse } from './args';
import { assertFilesExist, checkOptions, printReport, reportJson, withCheckEnv } from './check-support';
import type { Command } from './commands';

export const checkCommand: Command = {
  summary: 'Check files against a platform rule profile',
  usage: `Usage: proofpack check FILE... [--profile pdd|shopee|PATH] [--tracking NO] [--json] [--lang en|zh-CN] [--data-dir DIR] [--db URL]

Inspects each file by its content (ffprobe, magic bytes, image headers, barcodes) and
judges it against the rule profile (default: pdd; with --data-dir or --db, that database's
settings language and stored profiles count too). --tracking compares the barcodes read
on the label with the order's tracking number. --json prints an array of
{file, kind, ok, probe, findings: [{code, severity, message, fix?}]}.
Exit code: 0 every file ok (no "block" finding), 1 any file not ok, 2 usage error.`,
  async run(argv) {
    const { values, positionals } = parse(argv, checkOptions);
    return withCheckEnv(values, async ({ lang, profile }) => {
      assertFilesExist(positionals, lang);
      const reports = [];
      for (const file of positionals) {
        const r = await checkFile(path.resolve(file), profile, { lang, expected: values.tracking ?? null });
        const shown = { ...r, file };
        if (!values.json) printReport(shown, lang);
        reports.push(reportJson(shown));
      }
      if (values.json) console.log(JSON.stringify(reports, null, 2));
      return reports.every((r) => r.ok) ? 0 : 1;
    });
  },
};
