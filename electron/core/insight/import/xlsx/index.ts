import { AppError } from '../../../../../shared/api/result';
import type { ReadOptions, SourceRow } from '../sources';
import { sheetRows } from './sheet-rows';
import { NotAWorkbookError, readWorkbook, type SheetRef, type WorkbookInfo } from './workbook';
import { XlsxPackage } from './zip';

/**
 * XLSX order exports, read with random access (yauzl) and a streaming XML parser:
 * whatever order the writer stored the parts in, the shared strings and date styles are
 * known before the first row, a preview reads only the first rows, and nothing is spooled
 * to a temp file. (exceljs' streaming reader did both of those wrong on real exports: it
 * spooled sheets stored before the shared strings to temp files it could delete under an
 * open stream, and it lost the workbook part when that came last in the zip.)
 */

const cancelled = () => new AppError('CANCELLED', 'Cancelled');

function unreadable(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof NotAWorkbookError) {
    return e.message === 'xlsb'
      ? new AppError('INVALID_INPUT', 'Binary Excel .xlsb files cannot be read: save the file as .xlsx or .csv', {
          problem: 'xlsb',
        })
      : new AppError('INVALID_INPUT', 'The file is a zip archive but not an Excel workbook', {
          problem: 'not-a-table',
        });
  }
  return new AppError('INVALID_INPUT', `The XLSX file cannot be read: ${(e as Error).message}`, {
    problem: 'xlsx-unreadable',
  });
}

const noSuchSheet = (sheet: string) =>
  new AppError('INVALID_INPUT', `No worksheet named ${sheet}`, { problem: 'no-such-sheet', sheet });

/** The named sheet, else the first visible one (exports often hide a config sheet first). */
function pickSheet(wb: WorkbookInfo, name: string | null): SheetRef | null {
  if (name) {
    const s = wb.sheets.find((x) => x.name === name);
    if (!s) throw noSuchSheet(name);
    return s;
  }
  return wb.sheets.find((s) => !s.hidden) ?? wb.sheets[0] ?? null;
}

async function withWorkbook<T>(file: string, fn: (pkg: XlsxPackage, wb: WorkbookInfo) => Promise<T>): Promise<T> {
  let pkg: XlsxPackage | null = null;
  try {
    pkg = await XlsxPackage.open(file);
    return await fn(pkg, await readWorkbook(pkg));
  } catch (e) {
    throw unreadable(e);
  } finally {
    pkg?.close();
  }
}

const isBlank = (cells: SourceRow['cells']) => cells.every((c) => c == null || c === '');

/** The rows of one worksheet (the named one, else the first visible), blank rows skipped. */
export async function* readXlsx(file: string, opts: ReadOptions): AsyncGenerator<SourceRow> {
  let pkg: XlsxPackage | null = null;
  try {
    pkg = await XlsxPackage.open(file);
    const wb = await readWorkbook(pkg);
    const sheet = pickSheet(wb, opts.sheet);
    if (!sheet) return;
    const total = Math.max(1, pkg.uncompressedSize(sheet.part));
    const size = pkg.fileSize;
    const onBytes = opts.onBytes && ((b: number) => opts.onBytes!(Math.round((Math.min(b, total) / total) * size)));
    for await (const r of sheetRows(pkg, wb, sheet.part, onBytes)) {
      if (opts.signal?.aborted) throw cancelled();
      if (!isBlank(r.cells)) yield r;
    }
  } catch (e) {
    throw unreadable(e);
  } finally {
    pkg?.close();
  }
}

/** The first rows of a worksheet and the names of all worksheets; only those rows are read. */
export function xlsxSample(
  file: string,
  sheetName: string | null,
  maxRows: number,
): Promise<{ sheets: string[]; sheet: string | null; rows: SourceRow[] }> {
  return withWorkbook(file, async (pkg, wb) => {
    const sheet = pickSheet(wb, sheetName);
    const rows: SourceRow[] = [];
    if (sheet) {
      for await (const r of sheetRows(pkg, wb, sheet.part)) {
        if (!isBlank(r.cells)) rows.push(r);
        if (rows.length >= maxRows) break;
      }
    }
    return { sheets: wb.sheets.map((s) => s.name), sheet: sheet?.name ?? null, rows };
  });
}
