import fs from 'node:fs';
import path from 'node:path';
import { translate, type Lang } from '../../shared/i18n';
import { formatDuration } from '../../shared/rules/describe';
import { checkFile } from '../core/checks/check-file';
import { inspectFile } from '../core/checks/inspect';
import { fixFile } from '../core/fixes/fix-file';
import { parse, UsageError } from './args';
import { assertFilesExist, checkOptions, printReport, reportJson, withCheckEnv } from './check-support';
import type { Command } from './commands';

/** `12-70`, `12.5-72`, `0:12-1:10`, `00:00:12.5-00:01:10` → seconds */
export function parseTrim(text: string): { startSec: number; endSec: number } | null {
  const m = /^\s*([\d:.]+)\s*-\s*([\d:.]+)\s*$/.exec(text);
  if (!m) return null;
  const sec = (t: string): number | null => {
    const parts = t.split(':');
    if (parts.length > 3 || !parts.every((p, i) => (i === parts.length - 1 ? /^\d+(\.\d+)?$/ : /^\d+$/).test(p)))
      return null;
    return parts.reduce((acc, p) => acc * 60 + Number(p), 0);
  };
  const startSec = sec(m[1]);
  const endSec = sec(m[2]);
  if (startSec == null || endSec == null || !(endSec > startSec)) return null;
  return { startSec, endSec };
}

/** `<stem>.fixed.mp4` or `<stem>.part01.mp4`, never an existing file and never the source. */
function outputNamer(src: string, outDir: string) {
  const stem = path.basename(src).replace(/\.[^.]+$/, '');
  return (part: number, parts: number, ext: string) => {
    const base = parts > 1 ? `${stem}.part${String(part).padStart(2, '0')}` : `${stem}.fixed`;
    for (let n = 0; ; n++) {
      const candidate = path.join(outDir, `${base}${n ? `-${n}` : ''}.${ext}`);
      if (!fs.existsSync(candidate) && path.resolve(candidate) !== path.resolve(src)) return candidate;
    }
  };
}

function progressPrinter(lang: Lang, enabled: boolean) {
  const t0 = Date.now();
  let last = -1;
  return (ratio: number) => {
    const pct = Math.floor(ratio * 100);
    if (!enabled || pct === last) return;
    last = pct;
    process.stderr.write(
      `\r${translate(lang, 'cli.fix.progress', { percent: pct, seconds: Math.round((Date.now() - t0) / 1000) })}   `,
    );
  };
}

export const fixCommand: Command = {
  summary: 'Make a file compliant (new files; the original is never changed)',
  usage: `Usage: proofpack fix FILE --out DIR [--profile pdd|shopee|PATH] [--trim START-END] [--split] [--tracking NO] [--json] [--lang en|zh-CN]

Writes compliant copies into DIR: remuxed or transcoded to MP4 (H.264 + AAC, fast start),
compressed to fit the size limit, split at keyframes into numbered parts that each meet
every limit, or trimmed to one clip (--trim 12-70, or 0:12-1:10). Photos are re-encoded,
resized and turned upright. Prints each output with its own check result.
Exit code: 0 every output ok (or nothing needed fixing), 1 not fixable or an output not ok, 2 usage error.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      ...checkOptions,
      out: { type: 'string' },
      trim: { type: 'string' },
      split: { type: 'boolean' },
    });
    return withCheckEnv(values, async ({ lang, profile }) => {
      assertFilesExist(positionals, lang);
      if (positionals.length !== 1) throw new UsageError('fix takes exactly one FILE');
      if (!values.out) throw new UsageError(translate(lang, 'cli.opt.missing', { option: '--out' }));
      const trim = values.trim !== undefined ? parseTrim(values.trim) : undefined;
      if (trim === null) throw new UsageError(translate(lang, 'cli.trim.invalid'));
      const src = path.resolve(positionals[0]);
      const outDir = path.resolve(values.out);
      fs.mkdirSync(outDir, { recursive: true });

      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const showProgress = !values.json && !!process.stderr.isTTY;
      try {
        const inspection = await inspectFile(src, { label: false });
        const result = await fixFile(
          src,
          profile,
          { trim, forceSplit: values.split },
          {
            outputPath: outputNamer(src, outDir),
            workDir: outDir,
            signal: abort.signal,
            inspection,
            onProgress: progressPrinter(lang, showProgress),
          },
        );
        if (showProgress) process.stderr.write('\n');
        if (result.status !== 'done') {
          const reason = result.status === 'nothing' ? null : result.reason;
          const message = reason
            ? translate(lang, 'fix.cannot', {
                reason: translate(lang, `fix.cannot.${reason}`, {
                  limit:
                    result.status === 'unfixable' && result.params.limitSec != null
                      ? formatDuration(result.params.limitSec)
                      : formatDuration(profile.video.maxDurationSec.value),
                  duration:
                    result.status === 'unfixable' && result.params.durationSec != null
                      ? formatDuration(result.params.durationSec)
                      : '',
                }),
              })
            : translate(lang, 'cli.fix.nothing', { file: positionals[0] });
          // "nothing to fix" is fine only when the file itself passes
          const own = await checkFile(src, profile, { lang, expected: values.tracking ?? null });
          const ok = result.status === 'nothing' && own.ok;
          if (values.json) {
            console.log(
              JSON.stringify(
                {
                  file: positionals[0],
                  status: result.status,
                  reason,
                  message,
                  applied: [],
                  outputs: [],
                  source: reportJson({ ...own, file: positionals[0] }),
                },
                null,
                2,
              ),
            );
          } else {
            console.log(message);
            printReport({ ...own, file: positionals[0] }, lang, '  ');
          }
          return ok ? 0 : 1;
        }
        const outputs = [];
        for (const o of result.outputs) {
          const r = await checkFile(o.file, profile, { lang, expected: values.tracking ?? null });
          if (!values.json) {
            console.log(
              translate(lang, 'cli.fix.wrote', { file: o.file }) +
                (o.parts > 1 ? `  (${translate(lang, 'fix.part', { part: o.part, parts: o.parts })})` : ''),
            );
            printReport(r, lang, '  ');
          }
          outputs.push({
            ...reportJson(r),
            part: o.part,
            parts: o.parts,
            sourceStartSec: o.sourceStartSec,
            sourceEndSec: o.sourceEndSec,
          });
        }
        if (values.json)
          console.log(
            JSON.stringify({ file: positionals[0], status: 'done', applied: result.applied, outputs }, null, 2),
          );
        return outputs.every((o) => o.ok) ? 0 : 1;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
  },
};
