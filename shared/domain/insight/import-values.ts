import { normalizeScan } from '../scan-code';
import { FIELD_TYPES, IMPORT_FIELDS, type ColumnMapping, type ImportField } from './import-fields';

/**
 * Turning one exported row into order facts. Cells are untrusted: spreadsheet tricks
 * (="SF123", a leading apostrophe or tab that stops Excel from mangling long numbers),
 * numbers Excel already mangled (7.73E+14), times in the formats Chinese back offices
 * use, amounts with ¥ and thousands separators. A row that cannot be trusted is
 * rejected with reasons, never half-guessed.
 */

/** A cell as read: text from CSV; XLSX may give numbers, booleans or dates. */
export type Cell = string | number | boolean | Date | null;

export interface OrderFacts {
  orderNo: string;
  trackingNo: string | null;
  courier: string | null;
  /** ISO-8601 UTC */
  shippedAt: string | null;
  signedAt: string | null;
  returnTrackingNo: string | null;
  returnSignedAt: string | null;
  item: string | null;
  quantity: number | null;
  amountCents: number | null;
  buyerNote: string | null;
  orderStatus: string | null;
  /** the shop the order belongs to (a 3PL's client) */
  shop: string | null;
}

export type RowProblem =
  'missing-order-no' | 'bad-code' | 'mangled-number' | 'bad-time' | 'bad-amount' | 'bad-quantity';

export interface RowError {
  field: ImportField | null;
  problem: RowProblem;
  value: string;
}

export type RowResult = { ok: true; facts: OrderFacts } | { ok: false; errors: RowError[] };

const MAX_TEXT = 500;

/** ="SF123" / 'SF123 / \tSF123 → SF123 */
export function unwrapSpreadsheetText(s: string): string {
  let t = s.trim();
  const formula = /^="(.*)"$/s.exec(t);
  if (formula) t = formula[1].replace(/""/g, '"');
  return t.replace(/^['\t]+/, '').trim();
}

const cellText = (c: Cell): string =>
  c == null ? '' : c instanceof Date ? c.toISOString() : typeof c === 'number' ? String(c) : String(c);

type Parsed<T> = { ok: true; value: T | null } | { ok: false; problem: RowProblem };

export function parseCode(c: Cell): Parsed<string> {
  if (c == null || c === '') return { ok: true, value: null };
  if (typeof c === 'number') {
    // Excel keeps 15 significant digits: a longer number is already wrong in the file
    if (!Number.isSafeInteger(c) || Math.abs(c) >= 1e15) return { ok: false, problem: 'mangled-number' };
    c = String(c);
  }
  const t = unwrapSpreadsheetText(cellText(c));
  if (t === '' || t === '-' || t === '—') return { ok: true, value: null };
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(t)) return { ok: false, problem: 'mangled-number' };
  const n = normalizeScan(t);
  if (!n.ok) return { ok: false, problem: 'bad-code' };
  return { ok: true, value: n.code };
}

const TIME_RE =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]*(\d{1,2})[:时](\d{1,2})分?(?:[:]?(\d{1,2})(?:\.(\d{1,3}))?秒?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time cell → ISO UTC. Times without a zone are wall-clock times where the export was
 * made, i.e. local to this workstation. XLSX date cells arrive as Dates holding that
 * wall-clock time in their UTC fields (how Excel stores them).
 */
export function parseTime(c: Cell): Parsed<string> {
  if (c == null || c === '') return { ok: true, value: null };
  if (c instanceof Date) {
    if (Number.isNaN(c.getTime())) return { ok: false, problem: 'bad-time' };
    const local = new Date(
      c.getUTCFullYear(),
      c.getUTCMonth(),
      c.getUTCDate(),
      c.getUTCHours(),
      c.getUTCMinutes(),
      c.getUTCSeconds(),
    );
    return { ok: true, value: local.toISOString() };
  }
  const t = unwrapSpreadsheetText(cellText(c)).normalize('NFKC');
  if (t === '' || t === '-' || t === '—' || t === '0000-00-00 00:00:00') return { ok: true, value: null };
  const m = TIME_RE.exec(t);
  if (!m) return { ok: false, problem: 'bad-time' };
  const [y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m.slice(1, 8).map((x) => x ?? undefined) as string[];
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0'))];
  if (parts[1] > 11 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) {
    return { ok: false, problem: 'bad-time' };
  }
  let date: Date;
  if (m[8]) {
    const zone = m[8].toUpperCase() === 'Z' ? 0 : zoneMinutes(m[8]);
    date = new Date(Date.UTC(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]) - zone * 60_000);
  } else {
    date = new Date(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]);
  }
  // 2024-02-31 rolls over in Date: refuse instead
  const check = m[8] ? new Date(Date.UTC(parts[0], parts[1], parts[2])) : date;
  const dayOk = m[8] ? check.getUTCDate() === parts[2] : date.getDate() === parts[2];
  if (Number.isNaN(date.getTime()) || !dayOk || parts[0] < 2000 || parts[0] > 2100)
    return { ok: false, problem: 'bad-time' };
  return { ok: true, value: date.toISOString() };
}

function zoneMinutes(z: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** "¥1,234.56", "1234.5元", 88 → cents; more than two decimals or a negative amount is refused. */
export function parseAmountCents(c: Cell): Parsed<number> {
  if (c == null || c === '') return { ok: true, value: null };
  if (typeof c === 'number') {
    if (!Number.isFinite(c) || c < 0) return { ok: false, problem: 'bad-amount' };
    const cents = Math.round(c * 100);
    if (Math.abs(cents - c * 100) > 1e-6 * Math.max(1, c)) return { ok: false, problem: 'bad-amount' };
    return { ok: true, value: cents };
  }
  const t = unwrapSpreadsheetText(cellText(c))
    .normalize('NFKC')
    .replace(/^[¥$]|元$|RMB|CNY/gi, '')
    .replace(/,/g, '')
    .trim();
  if (t === '' || t === '-') return { ok: true, value: null };
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return { ok: false, problem: 'bad-amount' };
  return { ok: true, value: Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) };
}

export function parseQuantity(c: Cell): Parsed<number> {
  if (c == null || c === '') return { ok: true, value: null };
  const t = unwrapSpreadsheetText(cellText(c)).normalize('NFKC').replace(/件$/, '').trim();
  if (t === '') return { ok: true, value: null };
  if (!/^\d{1,7}$/.test(t)) return { ok: false, problem: 'bad-quantity' };
  return { ok: true, value: Number(t) };
}

export function parseText(c: Cell): string | null {
  // control characters (not tab/newline) never belong in a note or an item name
  // eslint-disable-next-line no-control-regex
  const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
  const t = unwrapSpreadsheetText(cellText(c)).replace(CONTROL, '').trim();
  if (t === '') return null;
  return Array.from(t).slice(0, MAX_TEXT).join('');
}

/** Apply a mapping to a row (cells by header index) and validate every mapped field. */
export function rowToFacts(cells: Cell[], headerIndex: Map<string, number>, mapping: ColumnMapping): RowResult {
  const get = (f: ImportField): Cell => {
    const h = mapping[f];
    if (!h) return null;
    const i = headerIndex.get(h);
    return i === undefined ? null : (cells[i] ?? null);
  };
  const errors: RowError[] = [];
  const values: Record<string, string | number | null> = {};
  for (const f of IMPORT_FIELDS) {
    const cell = get(f);
    const type = FIELD_TYPES[f];
    if (type === 'text') {
      values[f] = parseText(cell);
      continue;
    }
    const r =
      type === 'code'
        ? parseCode(cell)
        : type === 'time'
          ? parseTime(cell)
          : type === 'amount'
            ? parseAmountCents(cell)
            : parseQuantity(cell);
    if (r.ok) values[f] = r.value;
    else errors.push({ field: f, problem: r.problem, value: Array.from(cellText(cell)).slice(0, 80).join('') });
  }
  if (!values.orderNo && !errors.some((e) => e.field === 'orderNo'))
    errors.push({ field: 'orderNo', problem: 'missing-order-no', value: '' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    facts: {
      orderNo: values.orderNo as string,
      trackingNo: values.trackingNo as string | null,
      courier: values.courier as string | null,
      shippedAt: values.shippedAt as string | null,
      signedAt: values.signedAt as string | null,
      returnTrackingNo: values.returnTrackingNo as string | null,
      returnSignedAt: values.returnSignedAt as string | null,
      item: values.item as string | null,
      quantity: values.quantity as number | null,
      amountCents: values.amount as number | null,
      buyerNote: values.buyerNote as string | null,
      orderStatus: values.orderStatus as string | null,
      shop: values.shop as string | null,
    },
  };
}

/**
 * Rows of one order repeated in a file (one row per item, as some ERPs export) combine:
 * later rows fill what earlier ones left empty, and distinct item names are joined.
 */
export function combineFacts(a: OrderFacts, b: OrderFacts): OrderFacts {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof OrderFacts)[]) {
    if (out[k] == null && b[k] != null) (out as Record<string, unknown>)[k] = b[k];
  }
  const newItem = a.item != null && b.item != null && !a.item.split(' / ').includes(b.item);
  if (newItem) {
    out.item = Array.from(`${a.item} / ${b.item}`).slice(0, MAX_TEXT).join('');
    if (a.quantity != null && b.quantity != null) out.quantity = a.quantity + b.quantity;
  }
  return out;
}
