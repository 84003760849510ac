import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../shared/api/result';
import { CsvParser, type CsvLineProblem, type CsvRecord, type CsvShape } from '../../../../shared/domain/insight/csv';
import type { Cell } from '../../../../shared/domain/insight/import-values';
import type { FileKind, TextEncoding } from '../../../../shared/domain/insight/types';
import { textDecoder } from './encoding';
import { readXlsx } from './xlsx/index';

export { xlsxSample } from './xlsx/index';

/**
 * Rows of an exported order file, streamed: CSV through an incremental decoder and the
 * streaming CSV parser, XLSX through ./xlsx (random access + streaming XML). Neither holds the file
 * in memory, so a 100k-row export imports in bounded memory.
 */
export interface SourceRow {
  /** 1-based line (CSV) or sheet row (XLSX) */
  row: number;
  cells: Cell[];
  /** CSV: a line that could not be read as a row (its cells, if any, only name the order) */
  problem?: CsvLineProblem;
  detail?: string;
}

export interface ReadOptions {
  kind: FileKind;
  encoding: TextEncoding;
  delimiter: string;
  sheet: string | null;
  /** CSV: the columns a data row should have (from the header); null while the header is unknown */
  shape?: CsvShape | null;
  signal?: AbortSignal;
  /** bytes of the file consumed so far */
  onBytes?: (bytesRead: number) => void;
}

/** What a file is by its first bytes, never by its name. */
export function detectFileKind(head: Uint8Array, fileName: string): FileKind {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new AppError('INVALID_INPUT', 'Old Excel .xls files cannot be read: save the file as .xlsx or .csv', {
      problem: 'xls-legacy',
      fileName,
    });
  }
  if (head.length === 0) throw new AppError('INVALID_INPUT', 'The file is empty', { problem: 'empty-file', fileName });
  // text files carry no NUL bytes except in UTF-16, which detectEncoding handles
  const n = Math.min(head.length, 4096);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) controls++;
  }
  const utf16 =
    (head[0] === 0xff && head[1] === 0xfe) ||
    (head[0] === 0xfe && head[1] === 0xff) ||
    head.subarray(0, n).filter((b) => b === 0).length > n / 4;
  if (!utf16 && controls > n / 20) {
    throw new AppError('INVALID_INPUT', `${path.basename(fileName)} is neither a CSV nor an XLSX file`, {
      problem: 'not-a-table',
      fileName,
    });
  }
  return 'csv';
}

export async function readHead(file: string, bytes = 64 * 1024): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const cancelled = () => new AppError('CANCELLED', 'Cancelled');

export function readRows(file: string, opts: ReadOptions): AsyncGenerator<SourceRow> {
  return opts.kind === 'xlsx' ? readXlsx(file, opts) : readCsv(file, opts);
}

async function* readCsv(file: string, opts: ReadOptions): AsyncGenerator<SourceRow> {
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoder = textDecoder(opts.encoding);
  const parser = new CsvParser(opts.delimiter, opts.shape ?? null);
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw cancelled();
      bytes += chunk.length;
      opts.onBytes?.(bytes);
      yield* parser.push(decoder.write(chunk)).map(toSourceRow);
    }
    yield* [...parser.push(decoder.end()), ...parser.end()].map(toSourceRow);
  } finally {
    stream.destroy();
  }
}

const toSourceRow = (r: CsvRecord): SourceRow =>
  r.problem ? { row: r.line, cells: r.fields, problem: r.problem, detail: r.detail } : { row: r.line, cells: r.fields };
