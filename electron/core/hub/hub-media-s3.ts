import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { S3, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3Store } from '@tus/s3-store';
import type { KvStore } from '@tus/server';
import type { HubEvidenceTable } from '../db/schema-hub';
import type { HubMedia } from './hub-media';
import { mediaPathParts, storeKeyParts } from './media-path';

/** S3 parts of this size stream from the hub to the store while an upload arrives (the minimum is 5 MiB). */
const PART_BYTES = 8 * 1024 * 1024;

export interface S3Target {
  bucket: string;
  /** no leading or trailing slash; '' for the bucket's root */
  prefix: string;
}

/** `s3://BUCKET/PREFIX` → its bucket and prefix; null when it is not an s3:// address. */
export function parseS3Url(value: string): S3Target | null {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/i.exec(value.trim());
  if (!m) return null;
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((p) => p === '..' || p === '.')) return null;
  return { bucket: m[1], prefix };
}

/**
 * The client settings from the standard variables (AWS_ENDPOINT_URL, AWS_REGION,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and PROOFPACK_S3_FORCE_PATH_STYLE=1 for stores
 * that need path-style addressing (MinIO, Ceph RGW, s3rver).
 */
export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
    forcePathStyle: env.PROOFPACK_S3_FORCE_PATH_STYLE === '1',
    // the SDK's newer default (CRC checksums in aws-chunked trailers on every upload) is
    // not understood by many S3-compatible stores (OSS, COS, older MinIO and Ceph); send
    // checksums only where S3 itself requires them
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // a hub answers stations; a store that hangs must not hold an upload forever
    requestHandler: { requestTimeout: 120_000, connectionTimeout: 10_000 },
  };
}

/** Remembers nothing: every request reads the upload's state (its `.info` object) from the store. */
class NoCache implements KvStore<never> {
  async get(): Promise<undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async delete(): Promise<void> {}
}

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/**
 * Evidence in an S3-compatible store. Uploads go through `@tus/s3-store`: bytes stream
 * from the station into multipart parts, never whole in the hub's memory or on its disk.
 * When one finishes, the hub reads the object back to hash it, then copies it (inside the
 * store) to its place and deletes the upload's objects.
 */
/** A missing object is an answer (null), anything else an error. */
function notFound(e: { name?: string; $metadata?: { httpStatusCode?: number } }): null {
  if (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return null;
  throw e;
}

export class HubMediaS3 implements HubMedia {
  readonly datastore: S3Store;
  readonly idPrefix: string;
  private readonly client: S3;

  constructor(
    private readonly target: S3Target,
    config: S3ClientConfig = s3ConfigFromEnv(),
    /** other hub processes serve the same uploads (PostgreSQL hubs behind a load balancer) */
    shared = false,
  ) {
    this.client = new S3(config);
    this.datastore = new S3Store({
      partSize: PART_BYTES,
      s3ClientConfig: { bucket: target.bucket, ...config },
      // the store's default keeps each upload's state in this process's memory, which goes
      // stale once another process has written to the upload: shared hubs read it from S3
      ...(shared ? { cache: new NoCache() } : {}),
    });
    this.idPrefix = `${target.prefix ? `${target.prefix}/` : ''}.incoming/`;
  }

  get description(): string {
    return `s3://${this.target.bucket}/${this.target.prefix}`;
  }

  freeBytes(): null {
    return null;
  }

  async ensure(): Promise<void> {
    await this.client.headBucket({ Bucket: this.target.bucket });
  }

  async hashOf(uploadId: string): Promise<string> {
    const obj = await this.client.getObject({ Bucket: this.target.bucket, Key: uploadId });
    const hash = createHash('sha256');
    for await (const chunk of obj.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /** the key of a location in this store's bucket; null: another bucket's */
  private keyOf(location: string): string | null {
    const prefix = `s3://${this.target.bucket}/`;
    return location.startsWith(prefix) ? location.slice(prefix.length) : null;
  }

  thumbLocation(sha256: string): string {
    const dir = [this.target.prefix, '.thumbs', sha256.slice(0, 2)].filter(Boolean).join('/');
    return `s3://${this.target.bucket}/${dir}/${sha256}.jpg`;
  }

  async writeSmall(location: string, data: Buffer): Promise<void> {
    const key = this.keyOf(location);
    if (key === null) throw new Error(`not in this store: ${location}`);
    await this.client.putObject({ Bucket: this.target.bucket, Key: key, Body: data, ContentType: 'image/jpeg' });
  }

  localPath(): string | null {
    return null;
  }

  async sizeOf(location: string): Promise<number | null> {
    const key = this.keyOf(location);
    if (key === null) return null;
    const head = await this.client.headObject({ Bucket: this.target.bucket, Key: key }).catch(notFound);
    return head ? Number(head.ContentLength ?? 0) : null;
  }

  async read(location: string, range?: { start: number; end: number }): Promise<Readable> {
    const key = this.keyOf(location);
    if (key === null) throw new Error(`not in this store: ${location}`);
    const obj = await this.client.getObject({
      Bucket: this.target.bucket,
      Key: key,
      ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
    });
    return obj.Body as Readable;
  }

  async hashStored(location: string): Promise<string | null> {
    const key = this.keyOf(location);
    if (key === null) return null; // another bucket: not this store's
    const obj = await this.client.getObject({ Bucket: this.target.bucket, Key: key }).catch(notFound);
    if (!obj) return null;
    const hash = createHash('sha256');
    for await (const chunk of obj.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async place(uploadId: string, row: HubEvidenceTable): Promise<string> {
    const parts = mediaPathParts(row);
    const dir = [this.target.prefix, ...parts.dir].filter(Boolean).join('/');
    let key = `${dir}/${parts.name}`;
    const taken = await this.client.headObject({ Bucket: this.target.bucket, Key: key }).then(
      () => true,
      () => false,
    );
    if (taken) key = `${dir}/${parts.altName}`;
    await this.client.copyObject({
      Bucket: this.target.bucket,
      Key: key,
      CopySource: `${encodeURIComponent(this.target.bucket)}/${encodeKey(uploadId)}`,
    });
    await this.discard(uploadId);
    return `s3://${this.target.bucket}/${key}`;
  }

  async putFile(localFile: string, relKey: string, onBytes?: (sent: number) => void): Promise<string> {
    const key = [this.target.prefix, ...storeKeyParts(relKey)].filter(Boolean).join('/');
    // the SDK's multipart upload: the zip streams from disk in parts, never whole in memory
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.target.bucket,
        Key: key,
        Body: fs.createReadStream(localFile),
        ContentType: 'application/zip',
      },
      partSize: PART_BYTES,
      queueSize: 2,
    });
    let sent = 0;
    upload.on('httpUploadProgress', (p) => {
      if (p.loaded != null && p.loaded > sent) onBytes?.(p.loaded - sent);
      sent = Math.max(sent, p.loaded ?? 0);
    });
    await upload.done();
    return `s3://${this.target.bucket}/${key}`;
  }

  async discard(uploadId: string): Promise<void> {
    await this.client.deleteObjects({
      Bucket: this.target.bucket,
      Delete: { Objects: [{ Key: uploadId }, { Key: `${uploadId}.info` }] },
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
    // the tus store keeps a client of its own (with keep-alive sockets)
    (this.datastore as unknown as { client?: S3 }).client?.destroy();
  }
}
