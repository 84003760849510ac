import type { ReactNode } from 'react';
import type { CsvValue } from '../../../shared/domain/insight/csv-export';
import { useT } from '../i18n';
import { downloadCsv } from './csv-download';

export interface Column<R> {
  key: string;
  label: string;
  /** what the cell shows (default: the csv value) */
  render?: (row: R) => ReactNode;
  /** the value exported to CSV */
  value: (row: R) => CsvValue;
  numeric?: boolean;
}

/** A titled table with a CSV export of exactly its rows and columns. */
export function DataTable<R>({
  title,
  columns,
  rows,
  csvName,
  testId,
  empty,
  rowProps,
}: {
  title: string;
  columns: Column<R>[];
  rows: R[];
  csvName: string;
  testId?: string;
  empty?: string;
  rowProps?: (row: R) => Record<string, string | undefined>;
}) {
  const { t } = useT();
  return (
    <section className="ins-card" data-testid={testId}>
      <header className="ins-card-head">
        <h3>{title}</h3>
        <button
          onClick={() =>
            downloadCsv(
              csvName,
              columns.map((c) => c.label),
              rows.map((r) => columns.map((c) => c.value(r))),
            )
          }
          disabled={rows.length === 0}
          data-testid={testId ? `${testId}-csv` : undefined}
        >
          {t('dashboard.csv')}
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="muted">{empty ?? t('common.none')}</p>
      ) : (
        <div className="ins-table-wrap">
          <table className="ins-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} className={c.numeric ? 'num' : ''}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} {...(rowProps?.(r) ?? {})}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.numeric ? 'num' : ''}>
                      {c.render ? c.render(r) : String(c.value(r) ?? '')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
