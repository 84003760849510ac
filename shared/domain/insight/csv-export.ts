/**
 * CSV for staff to open in Excel/WPS: UTF-8 with a BOM (without it Excel shows Chinese
 * as mojibake), CRLF line ends, quotes where needed, and cells that would run as a
 * formula (=, +, -, @ at the start — CSV injection) prefixed with an apostrophe.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(v: CsvValue): string {
  if (v == null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: CsvValue[]): string => values.map(csvCell).join(',');

export function toCsv(header: string[], rows: CsvValue[][], opts: { bom?: boolean } = {}): string {
  const lines = [csvLine(header), ...rows.map(csvLine)];
  return `${opts.bom === false ? '' : '\ufeff'}${lines.join('\r\n')}\r\n`;
}
