import type { CoverageByStation } from '../../../shared/domain/insight/types';
import type { Column } from './DataTable';

type T = (key: string) => string;

/** The per-station/operator evidence columns shared by the coverage and dashboard tables. */
export const stationColumns = (t: T): Column<CoverageByStation>[] => [
  { key: 'st', label: t('coverage.col.station'), value: (s) => s.station || '—' },
  { key: 'op', label: t('coverage.col.operator'), value: (s) => s.operator },
  { key: 'rec', label: t('coverage.col.recordings'), value: (s) => s.recordings, numeric: true },
  { key: 'ph', label: t('coverage.col.photos'), value: (s) => s.photos, numeric: true },
  { key: 'ok', label: t('coverage.col.ok'), value: (s) => s.ok, numeric: true },
  { key: 'warn', label: t('coverage.col.warn'), value: (s) => s.warn, numeric: true },
  { key: 'b', label: t('coverage.col.blocked'), value: (s) => s.blocked, numeric: true },
];
