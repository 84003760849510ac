import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/api/result';

export interface HubTls {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, `AB:CD:…` as browsers and `openssl x509 -fingerprint` show it */
  fingerprint: string;
}

/** Where a hub keeps the certificate it made for itself, and the fingerprint pairing shows. */
export const hubTlsDir = (dataDir: string) => path.join(dataDir, 'hub-tls');
const FILES = { cert: 'cert.pem', key: 'key.pem', fingerprint: 'fingerprint' };

export const fingerprintOf = (certPem: string): string => new X509Certificate(certPem).fingerprint256;

/**
 * The hub's certificate: the files staff give (`--cert`, `--key`: a company CA's, or a
 * public one), else the one it made at its first start in the data folder (self-signed,
 * 10 years, named for this PC and its LAN addresses). Stations pin a self-signed one by
 * its fingerprint at pairing. The active fingerprint is written next to it for
 * `hub pair` to show.
 */
export async function loadHubTls(dataDir: string, given?: { cert: string; key: string }): Promise<HubTls> {
  const dir = hubTlsDir(dataDir);
  let cert: string;
  let key: string;
  if (given) {
    cert = await readPem(given.cert, 'CERTIFICATE');
    key = await readPem(given.key, 'PRIVATE KEY');
  } else if (fs.existsSync(path.join(dir, FILES.cert))) {
    cert = await fsp.readFile(path.join(dir, FILES.cert), 'utf8');
    key = await fsp.readFile(path.join(dir, FILES.key), 'utf8');
  } else {
    ({ cert, key } = await makeSelfSigned());
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await fsp.writeFile(path.join(dir, FILES.key), key, { mode: 0o600 });
    await fsp.writeFile(path.join(dir, FILES.cert), cert);
  }
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(cert);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `Not a certificate: ${(e as Error).message}`, { problem: 'hub-tls-file' });
  }
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  await fsp.writeFile(path.join(dir, FILES.fingerprint), `${fingerprint}\n`);
  return { cert, key, fingerprint };
}

/** The fingerprint of the certificate the hub in this data folder last served; null for plain HTTP. */
export function activeHubFingerprint(dataDir: string): string | null {
  try {
    return fs.readFileSync(path.join(hubTlsDir(dataDir), FILES.fingerprint), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** A hub started without HTTPS says so to `hub pair` by having no fingerprint. */
export function forgetHubFingerprint(dataDir: string): void {
  fs.rmSync(path.join(hubTlsDir(dataDir), FILES.fingerprint), { force: true });
}

async function readPem(file: string, kind: string): Promise<string> {
  const text = await fsp.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new AppError('INVALID_INPUT', `Cannot read ${file}: ${e.code ?? e.message}`, { problem: 'hub-tls-file' });
  });
  if (!text.includes(`-----BEGIN`) || !text.includes(kind))
    throw new AppError('INVALID_INPUT', `${file} is not a PEM ${kind.toLowerCase()}`, { problem: 'hub-tls-file' });
  return text;
}

function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4')
    .map((a) => a.address);
}

async function makeSelfSigned(): Promise<{ cert: string; key: string }> {
  const now = new Date();
  const host = os.hostname() || 'proofpack-hub';
  const { generate } = await import('selfsigned'); // only a hub serving HTTPS makes a certificate
  const pems = await generate([{ name: 'commonName', value: `ProofPack hub ${host}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 24 * 3600_000), // a station whose clock is behind
    notAfterDate: new Date(now.getTime() + 10 * 365 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: host },
          { type: 2, value: 'localhost' },
          ...['127.0.0.1', ...lanAddresses()].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
