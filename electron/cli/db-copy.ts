import { isAppError } from '../../shared/api/result';
import { describeError } from '../../shared/i18n/describe-error';
import { copyDatabase, type CopyReport } from '../core/db/copy/copy-database';
import { parseDbTarget, type DbTarget } from '../core/db/target';
import { parse, UsageError } from './args';
import { cliLang, cliT, positiveInt, required } from './cli-support';
import type { Command } from './commands';

export const dbCopyCommand: Command = {
  summary: 'Copy the whole database into a new, empty one (SQLite ⇄ PostgreSQL)',
  usage: `Usage: proofpack db copy --from URL --to URL [--json] [--batch N]

Copies every row of a ProofPack database into an empty one: SQLite to PostgreSQL,
PostgreSQL to SQLite, or within one engine. Then checks, on the copy, the row count of
every table against the source and the hash chain of the audit log.

URL is one of:
  postgres://user:password@host:5432/name   (postgresql:// too; the database must exist)
  /path/to/proofpack.db or ./proofpack.db   a SQLite file (created when missing)
  sqlite:PATH, sqlite:///absolute/path.db, file:///absolute/path.db

Both databases are first brought to this version's schema (as opening them in the app
would). A target that already holds any row is refused. The source is read as one
consistent snapshot and the target written in one transaction: a failed copy leaves the
target empty. Only the database is copied: media files stay in the data folder.
Tables are copied --batch rows at a time (default 500), never all in memory.

Exit 0 when the copy verified, 1 when it did not, 2 on a usage error.`,
  async run(argv) {
    const { values } = parse(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      batch: { type: 'string' },
    });
    const lang = cliLang();
    const t = cliT(lang);
    const from = target(required(values, 'from', lang), t);
    const to = target(required(values, 'to', lang), t);
    const batchRows = values.batch ? Math.min(positiveInt(values.batch, '--batch', lang), 10_000) : undefined;
    let report: CopyReport;
    try {
      report = await copyDatabase(from, to, { batchRows });
    } catch (e) {
      if (!isAppError(e)) throw e;
      // refusals (target not empty, same database, unreachable server) in the user's language
      throw new Error(t('cli.db.copy.failedToStart', { reason: describeError(t, e) }), { cause: e });
    }
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report, t);
    return report.ok ? 0 : 1;
  },
};

function target(value: string, t: ReturnType<typeof cliT>): DbTarget {
  try {
    return parseDbTarget(value);
  } catch (e) {
    if (isAppError(e)) throw new UsageError(describeError(t, e));
    throw e;
  }
}

function printReport(r: CopyReport, t: ReturnType<typeof cliT>): void {
  console.log(t('cli.db.copy.title', { from: r.from, to: r.to }));
  const width = Math.max(...r.tables.map((x) => x.table.length));
  for (const x of r.tables) {
    console.log(
      t('cli.db.copy.table', {
        table: x.table.padEnd(width),
        source: x.source,
        target: x.target,
        mark: x.ok ? '✓' : '✗',
      }),
    );
  }
  console.log(t('cli.db.copy.rows', { rows: r.rows }));
  if (r.audit.ok) console.log(t('cli.db.copy.auditOk', { count: r.audit.entries }));
  else {
    console.log(
      t('cli.db.copy.auditBroken', {
        id: r.audit.brokenAt ?? '?',
        reason: t(`cli.audit.reason.${r.audit.reason}`),
      }),
    );
    if (r.audit.sourceBrokenToo) console.log(t('cli.db.copy.auditBrokenInSource'));
  }
  console.log(t(r.ok ? 'cli.db.copy.ok' : 'cli.db.copy.failed'));
}
