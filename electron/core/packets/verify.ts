import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { VerifyReport } from '../../../shared/domain/cases';
import type { CoreContext } from '../context';
import { sha256File } from '../storage/files';
import { makeWorkDir } from '../storage/work-dirs';
import { MANIFEST_NAME, isSafeEntryName, parseManifest, type VerifiableManifest } from './manifest';

const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/**
 * Re-hashes every file of a packet — a folder or a zip — against its manifest and
 * reports missing, extra and changed files. Nothing is extracted or written: a zip is
 * read entry by entry, so a hostile zip (`../` names, bombs) cannot touch the disk.
 */
export async function verifyPacket(target: string): Promise<VerifyReport> {
  const abs = path.resolve(target);
  const stat = await fsp.stat(abs).catch(() => null);
  if (!stat) return failed(abs, 'folder', `Not found: ${abs}`);
  if (stat.isDirectory()) return verifyFolder(abs);
  return verifyZip(abs);
}

/**
 * A packet zip kept in a hub's store (`packets.zip_location`): read where it is when the
 * store is a folder; from S3 it is fetched to the data folder's tmp first (a zip is read
 * through its central directory, which needs a file to seek in), then removed.
 */
export async function verifyStoredZip(
  ctx: Pick<CoreContext, 'hubMedia' | 'paths'>,
  location: string,
  fileName: string,
): Promise<VerifyReport> {
  const media = ctx.hubMedia;
  if (!media) return failed(location, 'zip', `The hub's store is not open here: ${location}`);
  const local = media.localPath(location);
  if (local) return { ...(await verifyPacket(local)), path: location };
  if ((await media.sizeOf(location)) === null) return failed(location, 'zip', `Not found: ${location}`);
  const dir = await makeWorkDir(ctx.paths.tmp, 'verify-zip');
  try {
    const copy = path.join(dir, path.basename(fileName));
    await pipeline(await media.read(location), fs.createWriteStream(copy));
    return { ...(await verifyZip(copy)), path: location };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

interface Actual {
  sha256: string;
  bytes: number;
}

function compare(
  p: string,
  kind: VerifyReport['kind'],
  manifest: VerifiableManifest,
  actual: Map<string, Actual>,
  badNames: string[],
): VerifyReport {
  const missing: string[] = [];
  const changed: VerifyReport['changed'] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.name);
    const a = actual.get(f.name);
    if (!a) missing.push(f.name);
    else if (a.sha256 !== f.sha256 || a.bytes !== f.bytes) {
      changed.push({
        name: f.name,
        expectedSha256: f.sha256,
        actualSha256: a.sha256,
        expectedBytes: f.bytes,
        actualBytes: a.bytes,
      });
    }
  }
  const extra = [...[...actual.keys()].filter((n) => !listed.has(n) && n !== MANIFEST_NAME), ...badNames].sort();
  return {
    ok: missing.length === 0 && extra.length === 0 && changed.length === 0,
    path: p,
    kind,
    manifestOk: true,
    manifestError: null,
    checked: manifest.files.length - missing.length,
    missing: missing.sort(),
    extra,
    changed,
  };
}

function failed(p: string, kind: VerifyReport['kind'], error: string): VerifyReport {
  return {
    ok: false,
    path: p,
    kind,
    manifestOk: false,
    manifestError: error,
    checked: 0,
    missing: [],
    extra: [],
    changed: [],
  };
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of await fsp.readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await listFiles(root, r)));
    else out.push(r); // files, and links or sockets someone added: all count as extra unless listed
  }
  return out;
}

async function verifyFolder(dir: string): Promise<VerifyReport> {
  const text = await fsp.readFile(path.join(dir, MANIFEST_NAME), 'utf8').catch(() => null);
  if (text === null) return failed(dir, 'folder', `${MANIFEST_NAME} is missing`);
  const parsed = parseManifest(text);
  if (!parsed.ok) return failed(dir, 'folder', parsed.error);
  const actual = new Map<string, Actual>();
  for (const name of await listFiles(dir)) {
    if (name === MANIFEST_NAME) continue;
    const file = path.join(dir, ...name.split('/'));
    const st = await fsp.lstat(file);
    if (!st.isFile()) {
      actual.set(name, { sha256: '', bytes: -1 });
      continue;
    }
    actual.set(name, { sha256: await sha256File(file), bytes: st.size });
  }
  return compare(dir, 'folder', parsed.manifest, actual, []);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open zip')) : resolve(zip)),
    ),
  );
}

async function verifyZip(file: string): Promise<VerifyReport> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (e) {
    return failed(file, 'zip', `Not a packet folder or a readable zip: ${(e as Error).message}`);
  }
  const actual = new Map<string, Actual>();
  const badNames: string[] = [];
  let manifestText: string | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.endsWith('/')) return zip.readEntry();
        if (!isSafeEntryName(name) || actual.has(name)) {
          badNames.push(name);
          return zip.readEntry();
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error(`cannot read ${name}`));
          const wantText = name === MANIFEST_NAME;
          hashStream(stream, wantText ? MAX_MANIFEST_BYTES : null).then(({ sha256, bytes, text }) => {
            if (wantText) manifestText = text;
            else actual.set(name, { sha256, bytes });
            zip.readEntry();
          }, reject);
        });
      });
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    return failed(file, 'zip', `The zip is damaged: ${(e as Error).message}`);
  }
  if (manifestText === null) return failed(file, 'zip', `${MANIFEST_NAME} is missing`);
  const parsed = parseManifest(manifestText);
  if (!parsed.ok) return failed(file, 'zip', parsed.error);
  return compare(file, 'zip', parsed.manifest, actual, badNames);
}

function hashStream(stream: Readable, keepTextUpTo: number | null): Promise<Actual & { text: string | null }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
      if (keepTextUpTo !== null) {
        if (bytes > keepTextUpTo) return stream.destroy(new Error('manifest.json is too large'));
        chunks.push(c);
      }
    });
    stream.on('error', reject);
    stream.on('end', () =>
      resolve({
        sha256: hash.digest('hex'),
        bytes,
        text: keepTextUpTo !== null ? Buffer.concat(chunks).toString('utf8') : null,
      }),
    );
  });
}
