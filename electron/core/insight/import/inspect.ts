import { AppError } from '../../../../shared/api/result';
import { detectDelimiter, type CsvShape } from '../../../../shared/domain/insight/csv';
import {
  guessHeaderRow,
  IMPORT_FIELDS,
  reconcileMapping,
  REQUIRED_FIELDS,
  type ColumnMapping,
} from '../../../../shared/domain/insight/import-fields';
import { parseText, rowToFacts, type Cell } from '../../../../shared/domain/insight/import-values';
import type {
  FileKind,
  ImportOptions,
  ImportPreview,
  ImportRowError,
  TextEncoding,
} from '../../../../shared/domain/insight/types';
import type { CoreContext } from '../../context';
import { decodeBytes, detectEncoding } from './encoding';
import { DEFAULT_OPTIONS, getMapping } from './mappings-repo';
import { detectFileKind, readHead, readRows, xlsxSample, type SourceRow } from './sources';

/**
 * Everything the mapping step needs about a file, from its first rows only: kind (by
 * content), encoding and delimiter (detected unless given), the header row (title lines
 * above it skipped), unique header names, sample rows, and the mapping to start from —
 * the one remembered for this source, completed by guesses from the headers.
 */
export interface FileSetup {
  kind: FileKind;
  encoding: TextEncoding | null;
  encodingFromBom: boolean;
  delimiter: string | null;
  sheets: string[];
  headerRow: number;
  /** the header's line (CSV) or sheet row (XLSX): rows up to it are titles or the header itself */
  headerLine: number;
  headers: string[];
  sampleRows: SourceRow[];
  mapping: ColumnMapping;
  mappingSource: 'saved' | 'guessed';
  options: ImportOptions;
  read: { kind: FileKind; encoding: TextEncoding; delimiter: string; sheet: string | null; shape: CsvShape | null };
}

const SAMPLE_ROWS = 40;
const MAX_HEADER_ROW = 19;

export const cellToText = (c: Cell): string => (c instanceof Date ? c.toISOString() : (parseText(c) ?? ''));

/** Blank or repeated header names get unique ones, so a mapping by header text is never ambiguous. */
export function uniqueHeaders(cells: Cell[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    let h = cellToText(c) || `#${i + 1}`;
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    if (n > 1) h = `${h} (${n})`;
    return h;
  });
}

export async function resolveFileSetup(
  ctx: CoreContext,
  file: string,
  fileName: string,
  sourceName: string | null,
  given: Partial<ImportOptions>,
): Promise<FileSetup> {
  const head = await readHead(file);
  const kind = detectFileKind(head, fileName);
  const saved = sourceName ? await getMapping(ctx.db, sourceName) : null;
  const pick = <K extends keyof ImportOptions>(k: K): ImportOptions[K] =>
    given[k] !== undefined ? given[k]! : (saved?.options[k] ?? DEFAULT_OPTIONS[k]);
  const options: ImportOptions = {
    encoding: pick('encoding'),
    delimiter: pick('delimiter'),
    headerRow: pick('headerRow'),
    sheet: pick('sheet'),
  };

  let encoding: TextEncoding | null = null;
  let encodingFromBom = false;
  let delimiter: string | null = null;
  let sheets: string[] = [];
  let rows: SourceRow[];
  let sheet: string | null = null;
  if (kind === 'csv') {
    const detected = detectEncoding(head);
    encoding = options.encoding ?? detected.encoding;
    encodingFromBom = !options.encoding && detected.fromBom;
    delimiter = options.delimiter ?? detectDelimiter(decodeBytes(head, encoding));
    rows = await csvSample(file, encoding, delimiter, null);
  } else {
    const s = await xlsxSample(file, options.sheet, SAMPLE_ROWS);
    sheets = s.sheets;
    sheet = s.sheet;
    rows = s.rows;
  }
  if (rows.length === 0) throw new AppError('INVALID_INPUT', 'The file has no rows', { problem: 'no-rows' });
  const textRows = rows.map((r) => r.cells.map(cellToText));
  const headerRow = Math.min(options.headerRow ?? guessHeaderRow(textRows), rows.length - 1, MAX_HEADER_ROW);
  const headerCells = rows[headerRow].cells;
  const headerLine = rows[headerRow].row;
  const headers = uniqueHeaders(headerCells);
  const mapping = reconcileMapping(saved?.mapping ?? null, headers);
  let shape: CsvShape | null = null;
  if (kind === 'csv') {
    shape = csvShape(
      headerCells,
      rows.filter((r) => r.row > headerLine),
    );
    // read again knowing the header's shape, so the sample shows a broken row as the import will
    rows = await csvSample(file, encoding!, delimiter!, shape);
  }
  return {
    kind,
    encoding,
    encodingFromBom,
    delimiter,
    sheets,
    headerRow,
    headerLine,
    headers,
    sampleRows: rows.filter((r) => r.row > headerLine),
    mapping,
    mappingSource: saved ? 'saved' : 'guessed',
    options,
    read: { kind, encoding: encoding ?? 'utf8', delimiter: delimiter ?? ',', sheet, shape },
  };
}

async function csvSample(
  file: string,
  encoding: TextEncoding,
  delimiter: string,
  shape: CsvShape | null,
): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const r of readRows(file, { kind: 'csv', encoding, delimiter, sheet: null, shape })) {
    rows.push(r);
    if (rows.length >= SAMPLE_ROWS) break;
  }
  return rows;
}

/**
 * The fields a data row may have: at most the header's width, or more when most of the
 * sample's data rows have more (an export ending every data row with a delimiter); at
 * least (right after a broken line) the header up to its last named column.
 */
export function csvShape(headerCells: Cell[], dataRows: SourceRow[]): CsvShape {
  const freq = new Map<number, number>();
  for (const r of dataRows) freq.set(r.cells.length, (freq.get(r.cells.length) ?? 0) + 1);
  const usual = [...freq.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  let named = headerCells.length;
  while (named > 0 && cellToText(headerCells[named - 1]) === '') named--;
  return { minColumns: named, maxColumns: Math.max(headerCells.length, usual) };
}

/** What stops a mapping from being used: codes, with the column where one is concerned ("code:column"). */
export function mappingProblems(mapping: ColumnMapping, headers: string[]): string[] {
  const problems: string[] = [];
  for (const f of REQUIRED_FIELDS) if (!mapping[f]) problems.push(`field-not-mapped:${f}`);
  const have = new Set(headers);
  const used = new Map<string, string>();
  for (const f of IMPORT_FIELDS) {
    const h = mapping[f];
    if (!h) continue;
    if (!have.has(h)) problems.push(`unknown-column:${h}`);
    if (used.has(h)) problems.push(`column-used-twice:${h}`);
    used.set(h, f);
  }
  return problems;
}

/** The first data rows with the mapping applied and validated, as the import will see them. */
export function previewRows(setup: FileSetup, mapping: ColumnMapping, limit: number): ImportPreview {
  const headerIndex = new Map(setup.headers.map((h, i) => [h, i] as [string, number]));
  return {
    mappingProblems: mappingProblems(mapping, setup.headers),
    rows: setup.sampleRows.slice(0, limit).map((r) => {
      if (r.problem) {
        return {
          row: r.row,
          ok: false,
          facts: null,
          errors: [lineProblemError(r, orderNoOf(r.cells, headerIndex, mapping))],
        };
      }
      const res = rowToFacts(r.cells, headerIndex, mapping);
      return res.ok
        ? { row: r.row, ok: true, facts: { ...res.facts }, errors: [] }
        : {
            row: r.row,
            ok: false,
            facts: null,
            errors: res.errors.map((e) => ({
              row: r.row,
              orderNo: null,
              field: e.field,
              problem: e.problem,
              value: e.value,
            })),
          };
    }),
  };
}

/** The order number a row names, as far as it can be read (for reports of rows that were not imported). */
export function orderNoOf(cells: Cell[], headerIndex: Map<string, number>, mapping: ColumnMapping): string | null {
  const raw = cells[headerIndex.get(mapping.orderNo ?? '') ?? -1];
  return raw == null || raw === '' ? null : Array.from(String(raw)).slice(0, 64).join('');
}

/** A CSV line that could not be read as a row, as a rejected row. */
export function lineProblemError(r: SourceRow, orderNo: string | null): ImportRowError {
  return { row: r.row, orderNo, field: null, problem: r.problem!, value: r.detail ?? '' };
}
