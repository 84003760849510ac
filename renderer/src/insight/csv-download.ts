import { toCsv, type CsvValue } from '../../../shared/domain/insight/csv-export';

/** Save text as a file through the browser (works in Electron and the loopback mode alike). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every table on the insight screens exports what it shows: header in the UI language, Excel-ready. */
export const downloadCsv = (fileName: string, header: string[], rows: CsvValue[][]) =>
  downloadText(fileName, toCsv(header, rows));
