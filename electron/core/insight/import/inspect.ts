import { AppError } from '../../../../shared/api/result';
import { detectDelimiter } from '../../../../shared/domain/insight/csv';
import {
  guessHeaderRow,
  IMPORT_FIELDS,
  reconcileMapping,
  REQUIRED_FIELDS,
  type ColumnMapping,
} from '../../../../shared/domain/insight/import-fields';
import { parseText, rowToFacts, type Cell } from '../../../../shared/domain/insight/import-values';
import type { FileKind, ImportOptions, ImportPreview, TextEncoding } from '../../../../shared/domain/insight/types';
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
  headers: string[];
  sampleRows: SourceRow[];
  mapping: ColumnMapping;
  mappingSource: 'saved' | 'guessed';
  options: ImportOptions;
  read: { kind: FileKind; encoding: TextEncoding; delimiter: string; sheet: string | null };
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
  let rows: SourceRow[] = [];
  let sheet: string | null = null;
  if (kind === 'csv') {
    const detected = detectEncoding(head);
    encoding = options.encoding ?? detected.encoding;
    encodingFromBom = !options.encoding && detected.fromBom;
    delimiter = options.delimiter ?? detectDelimiter(decodeBytes(head, encoding));
    for await (const r of readRows(file, { kind, encoding, delimiter, sheet: null })) {
      rows.push(r);
      if (rows.length >= SAMPLE_ROWS) break;
    }
  } else {
    const s = await xlsxSample(file, options.sheet, SAMPLE_ROWS);
    sheets = s.sheets;
    sheet = s.sheet;
    rows = s.rows;
  }
  if (rows.length === 0) throw new AppError('INVALID_INPUT', 'The file has no rows', { problem: 'no-rows' });
  const textRows = rows.map((r) => r.cells.map(cellToText));
  const headerRow = Math.min(options.headerRow ?? guessHeaderRow(textRows), rows.length - 1, MAX_HEADER_ROW);
  const headers = uniqueHeaders(rows[headerRow].cells);
  const mapping = reconcileMapping(saved?.mapping ?? null, headers);
  return {
    kind,
    encoding,
    encodingFromBom,
    delimiter,
    sheets,
    headerRow,
    headers,
    sampleRows: rows.slice(headerRow + 1),
    mapping,
    mappingSource: saved ? 'saved' : 'guessed',
    options,
    read: { kind, encoding: encoding ?? 'utf8', delimiter: delimiter ?? ',', sheet },
  };
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
