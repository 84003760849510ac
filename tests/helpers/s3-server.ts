import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { S3 } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { sha256File } from '../../electron/core/storage/files';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** the standard variables a hub reads (what staff set for MinIO, OSS, COS …) */
  env: Record<string, string>;
  client: S3;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server on 127.0.0.1 (s3rver: S3's REST API, multipart uploads
 * included, objects kept in `dir`), with one empty bucket. PROOFPACK_TEST_S3 names an
 * external store instead (e.g. MinIO; credentials from the usual AWS_* variables), where
 * each call makes a fresh bucket.
 */
export async function startTestS3(dir: string): Promise<TestS3> {
  const bucket = `pp-test-${Math.random().toString(36).slice(2, 10)}`;
  const external = process.env.PROOFPACK_TEST_S3;
  let server: S3rver | null = null;
  let endpoint = external ?? '';
  if (!external) {
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
    addMultipartListing(server);
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  }
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: external ? (process.env.AWS_ACCESS_KEY_ID ?? '') : 'S3RVER',
    AWS_SECRET_ACCESS_KEY: external ? (process.env.AWS_SECRET_ACCESS_KEY ?? '') : 'S3RVER',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    PROOFPACK_S3_FORCE_PATH_STYLE: '1',
  };
  const client = new S3({
    endpoint,
    region: env.AWS_REGION,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  await client.createBucket({ Bucket: bucket });
  return {
    endpoint,
    bucket,
    env,
    client,
    async close() {
      client.destroy();
      // a connection a test left open (an aborted upload, a keep-alive socket) must not hold the close
      server?.httpServer?.closeAllConnections();
      await server?.close();
      if (server) await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

interface KoaLikeContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  body: unknown;
  status: number;
}

/**
 * s3rver stores multipart parts but does not answer ListParts (`GET key?uploadId=`) or
 * AbortMultipartUpload (`DELETE key?uploadId=`), both plain S3 calls that MinIO, Ceph, OSS,
 * COS and AWS answer and `@tus/s3-store` uses to resume. This adds them to the test
 * server, read from the parts s3rver itself wrote (`<uploads>/<uploadId>/<n>` and
 * `<n>.md5`), ahead of its router; everything else is s3rver's own.
 */
function addMultipartListing(server: S3rver): void {
  const store = (server as unknown as { store: { getResourcePath(b: string, k: undefined, r: string): string } }).store;
  const middleware = (server as unknown as { middleware: unknown[] }).middleware;
  const handler = async (ctx: KoaLikeContext, next: () => Promise<void>) => {
    const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    const uploadId = ctx.query.uploadId;
    if (!m || !uploadId || ctx.query.partNumber !== undefined || !['GET', 'DELETE'].includes(ctx.method)) return next();
    const dir = path.join(store.getResourcePath(m[1], undefined, 'uploads'), path.basename(uploadId));
    if (ctx.method === 'DELETE') {
      await fsp.rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    const names = await fsp.readdir(dir).catch(() => null);
    if (!names) {
      ctx.status = 404;
      ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist.' } };
      return;
    }
    const numbers = names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
    const parts = [];
    for (const n of numbers) {
      const stat = await fsp.stat(path.join(dir, String(n)));
      const md5 = await fsp.readFile(path.join(dir, `${n}.md5`), 'utf8');
      parts.push({ PartNumber: n, LastModified: stat.mtime.toISOString(), ETag: `"${md5}"`, Size: stat.size });
    }
    ctx.body = {
      ListPartsResult: {
        Bucket: m[1],
        Key: decodeURIComponent(m[2]),
        UploadId: uploadId,
        PartNumberMarker: 0,
        MaxParts: 10000,
        IsTruncated: false,
        Part: parts,
      },
    };
  };
  // after s3rver's XML encoder and mount shim, before its vhost handling and router
  middleware.splice(middleware.length - 2, 0, handler);
}

/** SHA-256 of what is at a location a hub reports: an absolute path or s3://bucket/key. */
export async function hashAtLocation(location: string, s3?: TestS3): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!m) return sha256File(location);
  if (!s3) throw new Error(`no S3 client for ${location}`);
  const obj = await s3.client.getObject({ Bucket: m[1], Key: m[2] });
  const hash = createHash('sha256');
  for await (const chunk of obj.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every key in the test bucket (to see that nothing is left behind). */
export async function keysIn(s3: TestS3): Promise<string[]> {
  const r = await s3.client.listObjectsV2({ Bucket: s3.bucket });
  return (r.Contents ?? []).map((o) => o.Key ?? '').sort();
}
