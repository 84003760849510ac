import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import type { HubEvidenceTable } from '../db/schema-hub';
import { freeBytes, sha256File } from '../storage/files';
import type { HubMedia } from './hub-media';
import { mediaPathParts, storeKeyParts } from './media-path';

const exists = (p: string) =>
  fsp.stat(p).then(
    () => true,
    () => false,
  );

/**
 * Bytes read ahead per open file. Every viewer holds about two of these (one waiting in the
 * socket, one read ahead): 50 viewers' hub RSS was 270 MB at 256 KiB against 340 MB at 1 MiB,
 * at about the same share of a bare HTTP server's throughput (bench hub-staff).
 */
const READ_CHUNK = 256 * 1024;

/**
 * Evidence in a folder (the data folder's `hub-media`, or `--media DIR`, which may be a
 * mounted NAS share), laid out as staff browsing the share expect. Uploads in progress
 * live in `<root>/.incoming`; a verified one is renamed into place (same file system: no copy).
 */
export class HubMediaFolder implements HubMedia {
  readonly root: string;
  readonly incoming: string;
  readonly datastore: FileStore;
  readonly idPrefix = '';

  constructor(root: string) {
    this.root = path.resolve(root);
    this.incoming = path.join(this.root, '.incoming');
    this.datastore = new FileStore({ directory: this.incoming });
  }

  freeBytes(): number | null {
    return freeBytes(this.incoming) ?? freeBytes(this.root);
  }

  get description(): string {
    return this.root;
  }

  async ensure(): Promise<void> {
    await fsp.mkdir(this.incoming, { recursive: true });
  }

  hashOf(uploadId: string): Promise<string> {
    return sha256File(path.join(this.incoming, uploadId));
  }

  /** only a file of this store: a location elsewhere (the store was moved) is not read */
  private inside(location: string): boolean {
    const rel = path.relative(this.root, path.resolve(location));
    return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.startsWith('.incoming');
  }

  async sizeOf(location: string): Promise<number | null> {
    if (!this.inside(location)) return null;
    const st = await fsp.stat(location).catch(() => null);
    return st?.isFile() ? st.size : null;
  }

  thumbLocation(sha256: string): string {
    return path.join(this.root, '.thumbs', sha256.slice(0, 2), `${sha256}.jpg`);
  }

  async writeSmall(location: string, data: Buffer): Promise<void> {
    if (!this.inside(location)) throw new Error(`not in this store: ${location}`);
    await fsp.mkdir(path.dirname(location), { recursive: true });
    // whole or not at all: a reader never sees half a picture
    const partial = `${location}.${process.pid}.part`;
    await fsp.writeFile(partial, data);
    await fsp.rename(partial, location);
  }

  localPath(location: string): string | null {
    return this.inside(location) ? path.resolve(location) : null;
  }

  async read(location: string, range?: { start: number; end: number }): Promise<Readable> {
    if (!this.inside(location)) throw new Error(`not in this store: ${location}`);
    return fs.createReadStream(location, { ...range, highWaterMark: READ_CHUNK });
  }

  async hashStored(location: string): Promise<string | null> {
    if (!this.inside(location)) return null;
    return sha256File(location).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'EISDIR') return null;
      throw e;
    });
  }

  async place(uploadId: string, row: HubEvidenceTable): Promise<string> {
    const parts = mediaPathParts(row);
    const dir = path.join(this.root, ...parts.dir);
    await fsp.mkdir(dir, { recursive: true });
    const first = path.join(dir, parts.name);
    const dest = (await exists(first)) ? path.join(dir, parts.altName) : first;
    await fsp.rename(path.join(this.incoming, uploadId), dest);
    await this.datastore.configstore.delete(uploadId);
    return dest;
  }

  async putFile(localFile: string, key: string, onBytes?: (sent: number) => void): Promise<string> {
    const dest = path.join(this.root, ...storeKeyParts(key));
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    // copied beside its place, then renamed: a reader (another hub process) never sees half a zip
    const partial = `${dest}.${process.pid}.${Date.now()}.part`;
    try {
      await fsp.copyFile(localFile, partial);
      await fsp.rename(partial, dest);
      onBytes?.((await fsp.stat(dest)).size);
    } catch (e) {
      await fsp.rm(partial, { force: true });
      throw e;
    }
    return dest;
  }

  async discard(uploadId: string): Promise<void> {
    await fsp.rm(path.join(this.incoming, uploadId), { force: true });
    await this.datastore.configstore.delete(uploadId);
  }

  async close(): Promise<void> {}
}
