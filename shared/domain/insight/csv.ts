import Papa from 'papaparse';

/**
 * CSV records of an order export, tokenized by Papa Parse and streamed: decoded text is
 * pushed in pieces of any size and complete records come out with the physical line
 * they start on, so a 100k-row file never sits in memory whole. CRLF, LF and a lone CR
 * all end a line (mixed too: exports glued together from several tools have them all);
 * line breaks inside a quoted cell come out as LF.
 *
 * A damaged line never costs the lines around it. Real exports carry stray quotes (an
 * inch mark, a note starting with "), and a quote that opens a cell and never closes
 * would otherwise swallow every following line into that cell. So a record is a problem
 * record, reported with its line, when:
 * - a quote in it is malformed: it never closes (at the end of the file, or after
 *   MAX_RECORD_CHARS, which also bounds memory), or it closes in the middle of a cell. A
 *   quote opened on the record's first line may have swallowed the next lines, so only
 *   that first line is reported and the lines after it are read again as records of
 *   their own; so is a record over several lines wider than the header;
 * - it has more fields than the header's shape allows (a delimiter the export did not
 *   quote shifts every cell after it into the wrong column), or — among the lines read
 *   again after a broken one, where the rest of a multi-line cell may turn up — fewer;
 * - it is one line longer than MAX_RECORD_CHARS: reported, skipped up to its line end.
 * Every line of the file ends up in a record or in a problem record, never in silence.
 */
export const CSV_LINE_PROBLEMS = ['unclosed-quote', 'wrong-column-count', 'line-too-long'] as const;
export type CsvLineProblem = (typeof CSV_LINE_PROBLEMS)[number];

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line of the file where the record starts */
  line: number;
  problem?: CsvLineProblem;
  /** what the problem is about: the line's text (cut short), or "found/expected" columns */
  detail?: string;
}

/**
 * The fields a data row may have. At most: the header's width, or the width most data
 * rows have when the export ends every row with a delimiter. Fewer is fine (Excel leaves
 * out the delimiters of empty cells at the end of a row), except right after a broken
 * line: there a row needs `minColumns`, the header up to its last named column.
 */
export interface CsvShape {
  minColumns: number;
  maxColumns: number;
}

export const MAX_RECORD_CHARS = 250_000;
/** Text is parsed in slices of this size: reading lines again after a broken quote stays cheap. */
const SLICE_CHARS = 16 * 1024;
const MAX_DETAIL_CHARS = 120;

interface ParsedRow {
  fields: string[];
  /** offset just past the row (and its line break) in the parsed text */
  end: number;
  /** a quote in the row never closed, or closed inside a cell (not before a delimiter or line end) */
  badQuote: boolean;
}

export class CsvParser {
  /** text not yet given out, starting at a record boundary, line breaks already LF */
  private pending = '';
  /** line where `pending` starts */
  private line = 1;
  /** a CR ending the last piece: the first half of a CRLF, or a line end of its own */
  private heldCr = false;
  /** inside a line longer than MAX_RECORD_CHARS: dropping text up to its end */
  private skippingLongLine = false;
  /** the last line a broken record had swallowed: rows starting up to it need the full shape */
  private swallowedUntil = 0;
  /**
   * A record still open after the last parse (a long cell, or a quote that never closes) is
   * parsed again only once the text has doubled: a long record then costs linear time.
   */
  private parseAgainAt = 0;

  constructor(
    private readonly delimiter: string,
    private readonly shape: CsvShape | null = null,
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`Unusable delimiter ${JSON.stringify(delimiter)}`);
    }
  }

  push(text: string): CsvRecord[] {
    if (this.heldCr) text = `\r${text}`;
    this.heldCr = text.endsWith('\r');
    if (this.heldCr) text = text.slice(0, -1);
    text = text.replace(/\r\n?/g, '\n');
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i += SLICE_CHARS) {
      this.pending += text.slice(i, i + SLICE_CHARS);
      this.drain(false, out);
    }
    return out;
  }

  /** The last records; a quote still open here is reported and the lines after it read again. */
  end(): CsvRecord[] {
    if (this.heldCr) this.pending += '\n';
    this.heldCr = false;
    const out: CsvRecord[] = [];
    this.drain(true, out);
    return out;
  }

  private drain(final: boolean, out: CsvRecord[]) {
    for (;;) {
      if (this.skippingLongLine && !this.skipLongLine()) return;
      if (this.pending === '' || (!final && this.pending.length < this.parseAgainAt)) return;
      const text = this.pending;
      const rows = this.parse(text);
      // before the end, the last row may still grow: it is parsed again with the next text
      const complete = final ? rows.length : rows.length - 1;
      let start = 0;
      let line = this.line;
      let broken = false;
      for (let i = 0; i < complete; i++) {
        const row = rows[i];
        const breaks = countLineBreaks(text, start, row.end);
        const ownLines = text[row.end - 1] === '\n' ? breaks : breaks + 1;
        if (row.badQuote || (ownLines > 1 && this.shape && row.fields.length > this.shape.maxColumns)) {
          this.dropFirstLine(text, start, line, line + ownLines - 1, out);
          broken = true;
          break;
        }
        if (!(row.fields.length === 1 && row.fields[0] === '')) out.push(this.record(row.fields, line));
        line += breaks;
        start = row.end;
      }
      if (broken) continue;
      this.pending = text.slice(start);
      this.line = line;
      this.parseAgainAt = start === 0 ? 2 * this.pending.length : 0;
      if (final || this.pending.length <= this.maxRecordChars) return;
      if (this.pending.includes('\n')) {
        // a quote swallowing line after line: report where it opened, read on from the next line
        this.dropFirstLine(this.pending, 0, this.line, this.line + countLineBreaks(this.pending, 0), out);
        continue;
      }
      out.push({ fields: [], line: this.line, problem: 'line-too-long', detail: shortText(this.pending) });
      this.pending = '';
      this.skippingLongLine = true;
    }
  }

  private parse(text: string): ParsedRow[] {
    const rows: ParsedRow[] = [];
    // Papa drops a leading U+FEFF (a BOM where two exports were glued together): count it back
    const skipped = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    Papa.parse<string[]>(text, {
      delimiter: this.delimiter,
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
      // with the delimiter given, Papa's only errors are quote errors
      step: (r) => rows.push({ fields: r.data, end: r.meta.cursor + skipped, badQuote: r.errors.length > 0 }),
    });
    return rows;
  }

  /**
   * The line at `start`, where a broken record begins, as a problem record. Reading goes
   * on from the next line; the lines up to `lastLine` were inside the broken record.
   */
  private dropFirstLine(text: string, start: number, line: number, lastLine: number, out: CsvRecord[]) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    out.push(unclosedQuoteLine(text.slice(start, end), line, this.delimiter));
    this.pending = text.slice(end + 1);
    this.line = line + 1;
    this.swallowedUntil = Math.max(this.swallowedUntil, lastLine);
    this.parseAgainAt = 0;
  }

  /** Drops the rest of an over-long line; true once its line end is found. */
  private skipLongLine(): boolean {
    const nl = this.pending.indexOf('\n');
    if (nl === -1) {
      this.pending = '';
      return false;
    }
    this.pending = this.pending.slice(nl + 1);
    this.line++;
    this.skippingLongLine = false;
    return true;
  }

  private record(fields: string[], line: number): CsvRecord {
    const s = this.shape;
    if (!s) return { fields, line };
    if (fields.length > s.maxColumns) {
      return { fields, line, problem: 'wrong-column-count', detail: `${fields.length}/${s.maxColumns}` };
    }
    if (line <= this.swallowedUntil && fields.length < s.minColumns) {
      return { fields, line, problem: 'wrong-column-count', detail: `${fields.length}/${s.minColumns}` };
    }
    return { fields, line };
  }
}

function countLineBreaks(text: string, start: number, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const shortText = (s: string) =>
  Array.from(s.slice(0, MAX_DETAIL_CHARS * 2))
    .slice(0, MAX_DETAIL_CHARS)
    .join('');

/**
 * The line where a quote opened and never closed, as a problem record. Its fields are
 * read with the quote closed at the line end, only so the report can name the order.
 */
function unclosedQuoteLine(text: string, line: number, delimiter: string): CsvRecord {
  const fields = Papa.parse<string[]>(`${text}"`, { delimiter, newline: '\n', preview: 1 }).data[0] ?? [];
  return { fields, line, problem: 'unclosed-quote', detail: shortText(text) };
}

export const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The delimiter of a sample: the candidate that splits the first records into the same
 * number (> 1) of fields most consistently. Ties go to the comma.
 */
export function detectDelimiter(sample: string): string {
  // only whole lines: the sample may end in the middle of a record
  const cut = Math.max(sample.lastIndexOf('\n'), 0);
  const text = cut > 0 ? sample.slice(0, cut) : sample;
  let best: string = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const p = new CsvParser(d);
    const records = p
      .push(text)
      .concat(p.end())
      .filter((r) => !r.problem)
      .slice(0, 50);
    const counts = records.map((r) => r.fields.length).filter((n) => n > 1);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const n of counts) freq.set(n, (freq.get(n) ?? 0) + 1);
    const [width, agree] = [...freq.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
    const score = agree * 1000 + width;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
