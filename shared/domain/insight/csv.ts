/**
 * A streaming CSV parser (RFC 4180 plus what real exports do: CRLF, LF or lone CR line
 * ends, quoted fields spanning lines, a stray quote inside an unquoted field). Text is
 * pushed in pieces of any size and complete records come out, so a 100k-row file never
 * sits in memory whole. A field or a record that grows without bound (an unclosed quote
 * swallowing the rest of the file) is stopped with a clear error instead of eating memory.
 */
export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts */
  line: number;
}

export class CsvError extends Error {
  constructor(
    readonly problem: 'field-too-long' | 'too-many-columns' | 'unclosed-quote',
    readonly line: number,
  ) {
    super(`CSV ${problem} at line ${line}`);
    this.name = 'CsvError';
  }
}

export const MAX_FIELD_CHARS = 256 * 1024;
export const MAX_COLUMNS = 2000;

export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** the current field began with a quote (and the quote was closed) */
  private quoted = false;
  private afterCr = false;
  private line = 1;
  private recordLine = 1;
  private pendingQuote = false;

  constructor(private readonly delimiter: string) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`Unusable delimiter ${JSON.stringify(delimiter)}`);
    }
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const d = this.delimiter;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.afterCr) {
        this.afterCr = false;
        if (ch === '\n') continue;
      }
      if (this.inQuotes) {
        if (this.pendingQuote) {
          this.pendingQuote = false;
          if (ch === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
          this.quoted = true;
          // fall through: ch is handled as outside quotes
        } else if (ch === '"') {
          this.pendingQuote = true;
          continue;
        } else {
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) this.line++;
          this.field += ch;
          if (this.field.length > MAX_FIELD_CHARS) throw new CsvError('field-too-long', this.recordLine);
          continue;
        }
      }
      if (ch === d) {
        this.endField();
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r') this.afterCr = true;
        this.endField();
        const rec = this.endRecord();
        if (rec) out.push(rec);
        this.line++;
        this.recordLine = this.line;
      } else if (ch === '"' && this.field.length === 0 && !this.quoted) {
        this.inQuotes = true;
      } else {
        // text after a closing quote, or a quote inside an unquoted field: keep it literally
        this.field += ch;
        if (this.field.length > MAX_FIELD_CHARS) throw new CsvError('field-too-long', this.recordLine);
      }
    }
    return out;
  }

  /** Flush the last record; an unclosed quote at the end of the input is an error. */
  end(): CsvRecord[] {
    if (this.inQuotes && !this.pendingQuote) throw new CsvError('unclosed-quote', this.recordLine);
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.inQuotes = false;
      this.quoted = true;
    }
    this.endField();
    const rec = this.endRecord();
    return rec ? [rec] : [];
  }

  private endField() {
    this.fields.push(this.field);
    if (this.fields.length > MAX_COLUMNS) throw new CsvError('too-many-columns', this.recordLine);
    this.field = '';
    this.quoted = false;
  }

  private endRecord(): CsvRecord | null {
    const fields = this.fields;
    this.fields = [];
    // blank lines carry nothing
    if (fields.length === 1 && fields[0] === '') return null;
    return { fields, line: this.recordLine };
  }
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
    let records: CsvRecord[];
    try {
      const p = new CsvParser(d);
      records = p.push(text).concat(p.end()).slice(0, 50);
    } catch {
      continue;
    }
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
