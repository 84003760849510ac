import { parseXml } from './xml';
import { relsPartOf, resolvePart, type XlsxPackage } from './zip';

/** What must be known before any row can be read: sheets, date styles, shared strings. */
export interface WorkbookInfo {
  sheets: SheetRef[];
  /** Mac workbooks may count days from 1904 */
  date1904: boolean;
  /** per cell style index (`s` attribute): does its number format show a date or time? */
  dateStyles: boolean[];
  sharedStrings: string[];
}

export interface SheetRef {
  name: string;
  part: string;
  hidden: boolean;
}

/** Workbook parts are small; shared strings of a 1M-row export stay far below this. */
const MAX_META_BYTES = 64 * 1024 * 1024;
const MAX_SHARED_STRINGS_BYTES = 512 * 1024 * 1024;

export class NotAWorkbookError extends Error {}

interface Rel {
  type: string;
  target: string;
}

const attr = (attrs: Record<string, string>, localName: string): string | undefined => {
  for (const [k, v] of Object.entries(attrs)) if (k === localName || k.endsWith(`:${localName}`)) return v;
  return undefined;
};

async function readRels(pkg: XlsxPackage, relsPart: string): Promise<Map<string, Rel>> {
  const rels = new Map<string, Rel>();
  const s = await pkg.stream(relsPart);
  if (!s) return rels;
  await parseXml(
    s,
    {
      open: (name, a) => {
        if (name === 'Relationship' && a.Id && a.Target) rels.set(a.Id, { type: a.Type ?? '', target: a.Target });
      },
    },
    MAX_META_BYTES,
    relsPart,
  );
  return rels;
}

const byType = (rels: Map<string, Rel>, suffix: string) =>
  [...rels.values()].find((r) => r.type.endsWith(`/${suffix}`));

async function findWorkbookPart(pkg: XlsxPackage): Promise<string> {
  const root = byType(await readRels(pkg, '_rels/.rels'), 'officeDocument');
  const part = root ? resolvePart('', root.target) : 'xl/workbook.xml';
  if (pkg.has(part) && /\.xml$/i.test(part)) return part;
  if (pkg.has('xl/workbook.xml')) return 'xl/workbook.xml';
  if (pkg.has('xl/workbook.bin')) throw new NotAWorkbookError('xlsb');
  throw new NotAWorkbookError('no-workbook');
}

export async function readWorkbook(pkg: XlsxPackage): Promise<WorkbookInfo> {
  const wbPart = await findWorkbookPart(pkg);
  const rels = await readRels(pkg, relsPartOf(wbPart));
  const sheets: SheetRef[] = [];
  let date1904 = false;
  await parseXml(
    (await pkg.stream(wbPart))!,
    {
      open: (name, a) => {
        if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
        if (name !== 'sheet') return;
        const rel = rels.get(attr(a, 'id') ?? '');
        if (!rel || !a.name) return;
        sheets.push({
          name: a.name,
          part: resolvePart(wbPart, rel.target),
          hidden: (a.state ?? 'visible') !== 'visible',
        });
      },
    },
    MAX_META_BYTES,
    wbPart,
  );
  const stylesRel = byType(rels, 'styles');
  const stringsRel = byType(rels, 'sharedStrings');
  const dateStyles = stylesRel ? await readDateStyles(pkg, resolvePart(wbPart, stylesRel.target)) : [];
  const sharedStrings = stringsRel ? await readSharedStrings(pkg, resolvePart(wbPart, stringsRel.target)) : [];
  return { sheets, date1904, dateStyles, sharedStrings };
}

async function readDateStyles(pkg: XlsxPackage, part: string): Promise<boolean[]> {
  const s = await pkg.stream(part);
  if (!s) return [];
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await parseXml(
    s,
    {
      open: (name, a) => {
        if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
      },
      close: (name) => {
        if (name === 'cellXfs') inCellXfs = false;
      },
    },
    MAX_META_BYTES,
    part,
  );
  return xfFormats.map((id) => isDateFormat(id, custom.get(id)));
}

/** Built-in date/time formats, the CJK ones (27–36, 50–58) included: Chinese Excel uses them. */
const BUILT_IN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47,
]);
for (let id = 50; id <= 58; id++) BUILT_IN_DATES.add(id);

/** Does a number format display a date or time? Quoted text, escapes and colours ignored. */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILT_IN_DATES.has(id);
  const bare = code
    .split(';')[0]
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .replace(/_.|\*./g, '');
  if (/[0#?]/.test(bare) || bare.trim() === '@' || /general/i.test(bare)) return false;
  return /[ymdhs]|[年月日时分秒]/i.test(bare);
}

async function readSharedStrings(pkg: XlsxPackage, part: string): Promise<string[]> {
  const s = await pkg.stream(part);
  if (!s) return [];
  const strings: string[] = [];
  let current = '';
  let inT = false;
  let phonetic = 0;
  await parseXml(
    s,
    {
      open: (name) => {
        if (name === 'si') current = '';
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && phonetic === 0) inT = true;
      },
      close: (name) => {
        if (name === 'si') strings.push(current);
        else if (name === 'rPh') phonetic--;
        else if (name === 't') inT = false;
      },
      text: (t) => {
        if (inT) current += t;
      },
    },
    MAX_SHARED_STRINGS_BYTES,
    part,
  );
  return strings;
}
