import { IMPORT_FIELDS, REQUIRED_FIELDS, type ColumnMapping } from '../../../shared/domain/insight/import-fields';
import type { ImportInspection, ImportOptions, ImportPreview } from '../../../shared/domain/insight/types';
import { formatDateTime, useT } from '../i18n';

const ENCODINGS = ['utf8', 'gb18030', 'utf16le', 'utf16be'] as const;
const DELIMITERS: [string, string][] = [
  [',', 'comma'],
  ['\t', 'tab'],
  [';', 'semicolon'],
  ['|', 'pipe'],
];

/** File options (encoding, delimiter, header row, sheet): detected, overridable. */
export function ImportOptionsBar({
  inspection,
  options,
  onChange,
}: {
  inspection: ImportInspection;
  options: Partial<ImportOptions>;
  onChange: (o: Partial<ImportOptions>) => void;
}) {
  const { t } = useT();
  const delimName = DELIMITERS.find(([d]) => d === inspection.delimiter)?.[1];
  return (
    <div className="ins-card">
      <p className="muted" data-testid="import-detected">
        {t('import.detected', {
          kind: inspection.kind.toUpperCase(),
          encoding: inspection.encoding ?? '—',
          delimiter: delimName ? t(`import.delimiter.${delimName}`) : '—',
          row: inspection.headerRow + 1,
        })}
      </p>
      <div className="ins-row">
        {inspection.kind === 'csv' ? (
          <>
            <label>
              {t('import.encoding')}{' '}
              <select
                value={options.encoding ?? ''}
                onChange={(e) =>
                  onChange({ ...options, encoding: (e.target.value || null) as ImportOptions['encoding'] })
                }
                data-testid="import-encoding"
              >
                <option value="">{t('import.auto')}</option>
                {ENCODINGS.map((e) => (
                  <option key={e} value={e}>
                    {e === 'gb18030' ? 'GBK / GB18030' : e.toUpperCase()}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('import.delimiter')}{' '}
              <select
                value={options.delimiter ?? ''}
                onChange={(e) =>
                  onChange({ ...options, delimiter: (e.target.value || null) as ImportOptions['delimiter'] })
                }
              >
                <option value="">{t('import.auto')}</option>
                {DELIMITERS.map(([d, n]) => (
                  <option key={n} value={d}>
                    {t(`import.delimiter.${n}`)}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <label>
            {t('import.sheet')}{' '}
            <select
              value={options.sheet ?? ''}
              onChange={(e) => onChange({ ...options, sheet: e.target.value || null })}
            >
              <option value="">{t('import.auto')}</option>
              {inspection.sheets.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('import.headerRow')}{' '}
          <select
            value={options.headerRow ?? ''}
            onChange={(e) => onChange({ ...options, headerRow: e.target.value === '' ? null : Number(e.target.value) })}
          >
            <option value="">{t('import.auto')}</option>
            {Array.from({ length: 20 }, (_, i) => (
              <option key={i} value={i}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

/** Field → column, with what the first rows hold in that column to check the choice. */
export function MappingEditor({
  inspection,
  mapping,
  sourceName,
  onChange,
}: {
  inspection: ImportInspection;
  mapping: ColumnMapping;
  sourceName: string;
  onChange: (m: ColumnMapping) => void;
}) {
  const { t } = useT();
  const sampleOf = (header: string | undefined) => {
    if (!header) return '';
    const i = inspection.headers.indexOf(header);
    return inspection.sample
      .slice(0, 3)
      .map((r) => r[i] ?? '')
      .filter(Boolean)
      .join(' · ');
  };
  return (
    <div className="ins-card" data-testid="import-mapping">
      <h3>{t('import.mapping')}</h3>
      <p className="muted">
        {inspection.mappingSource === 'saved'
          ? t('import.mappingSaved', { name: sourceName })
          : t('import.mappingGuessed')}
      </p>
      <div className="ins-mapping">
        {IMPORT_FIELDS.map((f) => (
          <div key={f} style={{ display: 'contents' }}>
            <span className={REQUIRED_FIELDS.includes(f) ? 'req' : ''}>{t(`import.field.${f}`)}</span>
            <select
              value={mapping[f] ?? ''}
              onChange={(e) => onChange({ ...mapping, [f]: e.target.value || '' })}
              data-testid={`map-${f}`}
            >
              <option value="">{t('import.notMapped')}</option>
              {inspection.headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
            <span className="muted" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {sampleOf(mapping[f])}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

export function mappingProblemText(t: (k: string, p?: Record<string, string>) => string, code: string): string {
  const [kind, ...rest] = code.split(':');
  const name = rest.join(':');
  return t(`import.mapping.${kind}`, { name: kind === 'field-not-mapped' ? t(`import.field.${name}`) : name });
}

export function rowErrorText(
  t: (k: string, p?: Record<string, string>) => string,
  e: { field: string | null; problem: string; value: string },
): string {
  return t(`import.problem.${e.problem}`, { field: e.field ? t(`import.field.${e.field}`) : '', value: e.value });
}

/** The first rows as the import will store them, or why each would be rejected. */
export function PreviewTable({ preview }: { preview: ImportPreview }) {
  const { t, lang } = useT();
  const shown = ['orderNo', 'trackingNo', 'shippedAt', 'returnSignedAt', 'item', 'amountCents'];
  const cell = (k: string, v: string | number | null | undefined) =>
    v == null
      ? ''
      : k.endsWith('At')
        ? formatDateTime(String(v), lang)
        : k === 'amountCents'
          ? (Number(v) / 100).toFixed(2)
          : String(v);
  return (
    <div className="ins-card" data-testid="import-preview">
      <h3>{t('import.preview')}</h3>
      {preview.mappingProblems.map((p) => (
        <p key={p} className="ins-problems">
          {mappingProblemText(t, p)}
        </p>
      ))}
      <div className="ins-table-wrap">
        <table className="ins-table">
          <thead>
            <tr>
              <th>{t('import.col.row')}</th>
              <th />
              {shown.map((k) => (
                <th key={k}>{t(`import.field.${k === 'amountCents' ? 'amount' : k}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.row} className={r.ok ? '' : 'bad'} data-testid="preview-row">
                <td className="num">{r.row}</td>
                <td>{r.ok ? t('import.previewOk') : t('import.previewBad')}</td>
                {r.ok ? (
                  shown.map((k) => <td key={k}>{cell(k, r.facts?.[k])}</td>)
                ) : (
                  <td colSpan={shown.length}>{r.errors.map((e) => rowErrorText(t, e)).join('；')}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
