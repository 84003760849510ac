import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../shared/api/result';
import type { ImportResult } from '../../shared/domain/insight/types';
import { parse, UsageError } from './args';
import type { Command } from './commands';
import { cliLang, cliT } from './cli-support';
import { withCore } from './open-core';
import { getMapping, listMappings } from '../core/insight/import/mappings-repo';
import { runImport } from '../core/insight/import/run-import';
import { resolveFileSetup } from '../core/insight/import/inspect';

export const ordersImportCommand: Command = {
  summary: 'Import orders from a CSV/XLSX export (order, tracking numbers, ship times …)',
  usage: `Usage: proofpack orders import FILE --data-dir DIR [--mapping NAME] [--json]

Imports the orders of a back-office or ERP export (CSV in UTF-8/GBK, or XLSX). Columns
are mapped by the mapping remembered under NAME in the app (Import screen), else
guessed from the headers (订单号, 快递单号/运单号, 发货时间 …). Re-importing a file
updates orders and never duplicates them; a tracking number that a packer scanned
before links those recordings to the imported order.
Prints rows imported / updated / unchanged / rejected (with reasons).
Exit 0 when every row was imported, 1 when any row was rejected or the file could not
be read, 2 on a usage error.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      'data-dir': { type: 'string' },
      mapping: { type: 'string' },
      json: { type: 'boolean' },
    });
    const lang0 = cliLang();
    const t0 = cliT(lang0);
    if (positionals.length !== 1) throw new UsageError(t0('cli.import.oneFile'));
    const file = path.resolve(positionals[0]);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(t0('cli.import.noFile', { file }));

    return withCore(values['data-dir'], async (core) => {
      const ctx = core.ctx;
      const t = cliT(cliLang(ctx.settings.get().language));
      const mappingName = values.mapping ?? null;
      if (mappingName && !(await getMapping(ctx.db, mappingName))) {
        const known = (await listMappings(ctx.db)).map((m) => m.name);
        throw new UsageError(
          t('cli.import.noMapping', { name: mappingName, known: known.length ? known.join(', ') : '—' }),
        );
      }
      const sourceName = mappingName ?? 'cli';
      let result: ImportResult;
      let mapping;
      try {
        const setup = await resolveFileSetup(ctx, file, path.basename(file), mappingName, {});
        mapping = setup.mapping;
        const showProgress = !values.json && process.stderr.isTTY;
        result = await runImport(ctx, {
          file,
          fileName: path.basename(file),
          sourceName,
          mapping,
          options: {},
          actor: ctx.settings.get().operator || 'cli',
          progress: showProgress ? (r) => process.stderr.write(`\r${Math.round(r * 100)}%`) : undefined,
        });
        if (showProgress) process.stderr.write('\r     \r');
      } catch (e) {
        if (!isAppError(e)) throw e;
        const details = (e.details ?? {}) as Record<string, unknown>;
        if (values.json)
          console.log(
            JSON.stringify({ file, ok: false, error: { code: e.code, message: e.message, details } }, null, 2),
          );
        else console.error(t('cli.import.failed', { file: path.basename(file), detail: e.message }));
        return 1;
      }
      const errors = result.errors.map((e) => ({
        ...e,
        message: t(`import.problem.${e.problem}`, {
          field: e.field ? t(`import.field.${e.field}`) : '',
          value: e.value,
        }),
      }));
      if (values.json) {
        console.log(
          JSON.stringify(
            {
              file,
              ok: result.rejected === 0,
              source: sourceName,
              mapping,
              runId: result.runId,
              rows: result.rowsRead,
              imported: result.imported,
              updated: result.updated,
              unchanged: result.unchanged,
              rejected: result.rejected,
              linked: result.linked,
              errors,
              errorsListed: errors.length,
            },
            null,
            2,
          ),
        );
      } else {
        console.log(
          t('cli.import.summary', {
            file: path.basename(file),
            rows: result.rowsRead,
            imported: result.imported,
            updated: result.updated,
            unchanged: result.unchanged,
            rejected: result.rejected,
            linked: result.linked,
          }),
        );
        for (const e of errors)
          console.log(`  ${t('cli.import.row', { row: e.row })}${e.orderNo ? ` ${e.orderNo}` : ''}: ${e.message}`);
        if (result.rejected > errors.length) console.log(`  … ${result.rejected - errors.length}`);
      }
      return result.rejected === 0 ? 0 : 1;
    });
  },
};
