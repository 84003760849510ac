import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * Random access to the parts of an XLSX package. Reading through the central directory
 * (instead of streaming the zip front to back) lets the reader take the workbook, styles
 * and shared strings first whatever order the writer stored them in, read only the first
 * rows of a sheet for a preview, and never spool anything to a temp file.
 */
export class XlsxPackage {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(file: string): Promise<XlsxPackage> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(
        file,
        { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
        (err, z) => (err || !z ? reject(err ?? new Error('cannot open zip')) : resolve(z)),
      ),
    );
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('error', reject);
        zip.on('end', resolve);
        zip.on('entry', (e: yauzl.Entry) => {
          // part names are case-insensitive in OPC; some writers use a leading slash
          entries.set(normalise(e.fileName), e);
          zip.readEntry();
        });
        zip.readEntry();
      });
    } catch (e) {
      zip.close();
      throw e;
    }
    return new XlsxPackage(zip, entries);
  }

  get fileSize(): number {
    return this.zip.fileSize;
  }

  has(part: string): boolean {
    return this.entries.has(normalise(part));
  }

  uncompressedSize(part: string): number {
    return this.entries.get(normalise(part))?.uncompressedSize ?? 0;
  }

  /** The decompressed bytes of a part, or null when the package has no such part. */
  async stream(part: string): Promise<Readable | null> {
    const entry = this.entries.get(normalise(part));
    if (!entry) return null;
    return new Promise((resolve, reject) =>
      this.zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('cannot read')) : resolve(s))),
    );
  }

  close(): void {
    this.zip.close();
  }
}

const normalise = (part: string) => part.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();

/** Resolves a relationship target against the folder of the part that owns it. */
export function resolvePart(ownerPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const base = ownerPart.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') base.pop();
    else if (seg !== '.' && seg !== '') base.push(seg);
  }
  return base.join('/');
}

/** Where a part's relationships live: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
export function relsPartOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}
