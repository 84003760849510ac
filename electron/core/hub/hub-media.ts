import type { Readable } from 'node:stream';
import type { DataStore } from '@tus/utils';
import type { HubEvidenceTable } from '../db/schema-hub';

/**
 * Where a hub keeps evidence bytes: a folder (the data folder's `hub-media`, or a NAS
 * share) or any S3-compatible store. Both take uploads through a tus data store, hash what
 * they stored, and put a verified file in its place under
 * `<root>/<station>/<day captured>/<order>/<file>`.
 */
export interface HubMedia {
  /** `/abs/folder` or `s3://bucket/prefix`, for the hub's first line and logs */
  readonly description: string;
  /** the tus store for uploads in progress */
  readonly datastore: DataStore;
  /** what every upload id starts with (S3: the prefix's `.incoming/` "folder") */
  readonly idPrefix: string;
  ensure(): Promise<void>;
  /** free space where uploads land (a folder's disk); null: not known (S3 has no such limit) */
  freeBytes(): number | null;
  /** SHA-256 of a finished upload, read back from where it is stored */
  hashOf(uploadId: string): Promise<string>;
  /** SHA-256 of a placed file read back from its location; null: nothing there any more */
  hashStored(location: string): Promise<string | null>;
  /** size of a placed file; null: not this store's, or nothing there any more */
  sizeOf(location: string): Promise<number | null>;
  /** where the store keeps the picture of the file with this SHA-256 (`.thumbs/`, beside the evidence) */
  thumbLocation(sha256: string): string;
  /** writes a small derived file (a thumbnail) whole at a location from thumbLocation */
  writeSmall(location: string, data: Buffer): Promise<void>;
  /** a placed file's path on this machine, for tools that seek in it (ffmpeg); null: not on a local disk (S3) */
  localPath(location: string): string | null;
  /** a placed file's bytes, whole or one inclusive range (playback seeks: never the whole file for a seek) */
  read(location: string, range?: { start: number; end: number }): Promise<Readable>;
  /**
   * stores a file made on this machine (a packet zip `.packets/<name>`, a file a clerk added
   * `.hub-files/<evidence>/<name>`) at `key` under the store's root, replacing what was there:
   * whole or not at all, streamed (S3: multipart); its location
   */
  putFile(localFile: string, key: string, onBytes?: (sent: number) => void): Promise<string>;
  /** moves a finished, verified upload into place; its location (absolute path or s3://bucket/key) */
  place(uploadId: string, row: HubEvidenceTable): Promise<string>;
  /** throws a finished upload away (it did not hash to its record, or it was a second copy) */
  discard(uploadId: string): Promise<void>;
  close(): Promise<void>;
}
