import fs from 'node:fs';
import path from 'node:path';
import { addDays, isDay, today } from '../../shared/domain/insight/days';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT } from './cli-support';
import { withCore } from './open-core';
import { coverageReport } from '../core/insight/coverage/coverage-repo';
import { coverageCsv } from '../core/insight/insight-api';

export const coverageCommand: Command = {
  summary: 'Coverage gaps: shipped without packing video, returns without unboxing video …',
  usage: `Usage: proofpack coverage --data-dir DIR [--from DATE --to DATE] [--json] [--csv FILE]

Lists, per local day, orders shipped with no outbound packing video, returns signed for
with no unboxing video, evidence with blocking findings and orders flagged "swapped
item", with totals per station and operator. DATE is YYYY-MM-DD (local days, both
included); the default is the last 7 days. --csv also writes the gaps as CSV.
Exit 0 when there is no gap, 1 when there is any, 2 on a usage error.`,
  async run(argv) {
    const { values } = parse(argv, {
      'data-dir': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'string' },
    });
    const t0 = cliT(cliLang());
    for (const k of ['from', 'to'] as const) {
      const v = values[k];
      if (v !== undefined && !isDay(v))
        throw new UsageError(t0('cli.coverage.badDate', { option: `--${k}`, value: v }));
    }
    const toDay = values.to ?? today();
    const fromDay = values.from ?? (values.to ? values.to : addDays(toDay, -6));
    if (fromDay > toDay) throw new UsageError(t0('cli.coverage.badRange', { from: fromDay, to: toDay }));

    return withCore(values['data-dir'], async (core) => {
      const lang = cliLang(core.ctx.settings.get().language);
      const t = cliT(lang);
      const report = await coverageReport(core.ctx.db, { fromDay, toDay, limit: null });
      if (values.csv) fs.writeFileSync(path.resolve(values.csv), coverageCsv(report, lang));
      const gapCount = report.gaps.length;
      if (values.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        console.log(t('cli.coverage.header', { from: fromDay, to: toDay }));
        for (const d of report.days) {
          if (!d.shipped && !d.returnsSigned && !d.recordings && !d.blocked) continue;
          console.log(`  ${t('cli.coverage.day', { ...d })}`);
        }
        const s = report.totals;
        console.log(t('cli.coverage.totals', { ...s }));
        for (const g of report.gaps) {
          console.log(
            `  ${g.day}  ${t(`coverage.kind.${g.kind}`)}  ${g.orderNo}${g.trackingNo && g.trackingNo !== g.orderNo ? ` (${g.trackingNo})` : ''}${g.station ? `  ${g.station}` : ''}${g.operator ? `/${g.operator}` : ''}`,
          );
        }
        for (const st of report.byStation) {
          console.log(
            `  ${t('cli.coverage.station', { station: st.station || '—', operator: st.operator || '—', recordings: st.recordings, photos: st.photos, ok: st.ok, warn: st.warn, blocked: st.blocked, pending: st.pending })}`,
          );
        }
      }
      return gapCount === 0 ? 0 : 1;
    });
  },
};
