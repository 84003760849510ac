import type { Cell } from '../../../../../shared/domain/insight/import-values';
import type { WorkbookInfo } from './workbook';
import { parseXmlChunks } from './xml';
import type { XlsxPackage } from './zip';

export interface SheetRow {
  /** 1-based sheet row */
  row: number;
  /** column A first; cells without a value are null; no trailing nulls */
  cells: Cell[];
}

/** XFD: the last column Excel allows; a reference beyond it is a corrupt file. */
const MAX_COLUMNS = 16384;

/** `BC12` → 54 (0-based column); NaN when there is no column part. */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case letters
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return i === 0 ? NaN : n - 1;
}

/** Excel's day count → a Date whose UTC fields hold the wall-clock time shown in Excel. */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  const days = date1904 ? serial + 1462 : serial;
  return new Date(Math.round((days - 25569) * 86_400_000));
}

/** An ISO `t="d"` value; without a zone it is wall-clock time like the serial dates. */
const isoCellDate = (v: string) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !v.includes('T') ? v : `${v}Z`);

interface CellState {
  col: number;
  type: string;
  style: number;
  text: string;
  inValue: boolean;
}

/**
 * The rows of one worksheet part, streamed: only a chunk's worth of rows is ever held.
 * Types: shared string, inline string (all runs), formula string, boolean, error (null),
 * ISO date, and numbers, which become Dates when their style shows a date.
 */
export async function* sheetRows(
  pkg: XlsxPackage,
  wb: WorkbookInfo,
  part: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<SheetRow> {
  const stream = await pkg.stream(part);
  if (!stream) return;
  const ready: SheetRow[] = [];
  let rowNo = 0;
  let cells: Cell[] = [];
  let cell: CellState | null = null;
  let inInline = false;
  let phonetic = 0;

  const value = (c: CellState): Cell => {
    const t = c.text;
    switch (c.type) {
      case 's': {
        const s = wb.sharedStrings[Number(t)];
        return s === undefined ? null : s;
      }
      case 'str':
      case 'inlineStr':
        return t;
      case 'b':
        return t === '1' || t.toLowerCase() === 'true';
      case 'e':
        return null;
      case 'd': {
        const d = isoCellDate(t.trim());
        return Number.isNaN(d.getTime()) ? t : d;
      }
      default: {
        if (t.trim() === '') return null;
        const n = Number(t);
        if (!Number.isFinite(n)) return t;
        return wb.dateStyles[c.style] ? excelSerialToDate(n, wb.date1904) : n;
      }
    }
  };

  const handlers = {
    open(name: string, a: Record<string, string>) {
      if (name === 'row') {
        const r = Number(a.r);
        rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
        cells = [];
      } else if (name === 'c') {
        const at = a.r ? columnIndex(a.r) : NaN;
        const col = Number.isNaN(at) ? cells.length : at;
        if (col >= MAX_COLUMNS) throw new Error(`cell ${a.r} is beyond the last Excel column`);
        cell = { col, type: a.t ?? 'n', style: Number(a.s ?? 0), text: '', inValue: false };
      } else if (cell && (name === 'v' || (name === 't' && inInline && phonetic === 0))) {
        cell.inValue = true;
      } else if (name === 'is') {
        inInline = true;
      } else if (name === 'rPh') {
        phonetic++;
      }
    },
    close(name: string) {
      if (name === 'v' || name === 't') {
        if (cell) cell.inValue = false;
      } else if (name === 'is') {
        inInline = false;
      } else if (name === 'rPh') {
        phonetic--;
      } else if (name === 'c' && cell) {
        const v = value(cell);
        if (v !== null) {
          while (cells.length < cell.col) cells.push(null);
          cells[cell.col] = v;
        }
        cell = null;
      } else if (name === 'row') {
        ready.push({ row: rowNo, cells });
      }
    },
    text(t: string) {
      if (cell?.inValue) cell.text += t;
    },
  };

  for await (const _ of parseXmlChunks(stream, handlers, onBytes)) {
    void _;
    for (const r of ready.splice(0)) yield r;
  }
}
