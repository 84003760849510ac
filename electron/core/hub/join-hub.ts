import tls from 'node:tls';
import { isIP } from 'node:net';
import { AppError } from '../../../shared/api/result';
import { HUB_PREFIX, hubErrorBody, pairResponse, type HubLink } from '../../../shared/hub/protocol';
import { queueAllRecords } from '../sync/record-outbox';
import { appendAudit } from '../audit/audit-log';
import type { Db } from '../db/db';
import { inTransaction } from '../db/transaction';
import { hubTransport } from '../sync/hub-transport';
import { fingerprintOf } from './hub-tls';

/** How long a station waits for the hub to answer a pairing before saying it cannot reach it. */
const PAIR_TIMEOUT_MS = 15_000;

/** `http(s)://host[:port][/path]`, without user or password (the credential travels as a header). */
export function parseHubUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new AppError('INVALID_INPUT', `Not a hub address: ${input}`, { problem: 'hub-url', url: input });
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash)
    throw new AppError('INVALID_INPUT', `Not a hub address: ${input}`, { problem: 'hub-url', url: input });
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export type { HubLink };

/** `ab:CD 12…` or `abcd12…` → `AB:CD:12:…`, how a fingerprint is compared and shown */
export const normalizeFingerprint = (fp: string): string =>
  (
    fp
      .replace(/[^0-9a-f]/gi, '')
      .toUpperCase()
      .match(/.{2}/g) ?? []
  ).join(':');

/**
 * The certificate an HTTPS hub presents, read before anything is sent to it, and whether
 * this PC already trusts it (a company or public CA, for this name).
 */
function certificateOf(url: URL): Promise<{ pem: string; fingerprint: string; trusted: boolean }> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = tls.connect(
      {
        host,
        port: Number(url.port || 443),
        servername: isIP(host) ? undefined : host,
        rejectUnauthorized: false, // looked at, then pinned or refused below
      },
      () => {
        const cert = socket.getPeerCertificate();
        const b64 = cert.raw
          .toString('base64')
          .match(/.{1,64}/g)!
          .join('\n');
        resolve({
          pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
          fingerprint: cert.fingerprint256,
          trusted: socket.authorized,
        });
        socket.end();
      },
    );
    socket.setTimeout(PAIR_TIMEOUT_MS, () =>
      socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.once('error', reject);
  });
}

/**
 * Pairs this data folder with a hub using a one-time code read off the hub. The station
 * sends its own id; the hub answers with the station's name and a credential, kept in the
 * station's database (joining another hub later replaces the link). Nothing is sent
 * before the code is accepted.
 */
export async function joinHub(
  db: Db,
  input: { hubUrl: string; code: string; fingerprint?: string },
  opts: { now?: Date; fetch?: typeof fetch; actor?: string } = {},
): Promise<HubLink> {
  const base = parseHubUrl(input.hubUrl);
  const endpoint = new URL(`${HUB_PREFIX.slice(1)}/pair`, base);
  // HTTPS: a self-signed hub (the default) is pinned by its certificate; a certificate
  // this PC trusts anyway is checked the usual way (it may be renewed). A fingerprint
  // read off the hub's screen must match whatever the certificate.
  let pinned: string | null = null;
  if (base.protocol === 'https:') {
    const seen = await certificateOf(base).catch((e: { code?: string; message?: string }) => {
      throw new AppError('HUB_UNREACHABLE', `${base.origin}: ${e.code ?? e.message}`, {
        problem: 'hub-unreachable',
        url: base.href,
      });
    });
    const wanted = input.fingerprint ? normalizeFingerprint(input.fingerprint) : null;
    if (wanted && wanted !== seen.fingerprint)
      throw new AppError('CONFLICT', `${base.origin} presents certificate ${seen.fingerprint}, not ${wanted}`, {
        problem: 'hub-fingerprint',
        url: base.href,
        expected: wanted,
        got: seen.fingerprint,
      });
    pinned = seen.trusted && !wanted ? null : seen.pem;
  }
  const transport = hubTransport(pinned);
  let res: Response;
  try {
    res = await (opts.fetch ?? transport.fetch)(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: input.code, stationId: db.stationId }),
      signal: AbortSignal.timeout(PAIR_TIMEOUT_MS),
    });
  } catch (e) {
    await transport.close();
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new AppError('HUB_UNREACHABLE', `${base.origin}: ${cause}`, { problem: 'hub-unreachable', url: base.href });
  }
  const body: unknown = await res.json().catch(() => null);
  await transport.close();
  if (!res.ok) {
    const err = hubErrorBody.safeParse(body);
    if (err.success && res.status < 500)
      throw new AppError(res.status === 401 ? 'UNAUTHORIZED' : 'INVALID_INPUT', err.data.error.message, {
        problem: err.data.error.problem,
      });
    throw new AppError('HUB_UNREACHABLE', `${base.origin}: HTTP ${res.status}`, {
      problem: 'hub-not-a-hub',
      url: base.href,
    });
  }
  const paired = pairResponse.safeParse(body);
  if (!paired.success || paired.data.stationId !== db.stationId)
    throw new AppError('HUB_UNREACHABLE', `${base.origin} did not answer as a ProofPack hub`, {
      problem: 'hub-not-a-hub',
      url: base.href,
    });
  const p = paired.data;
  const now = opts.now ?? new Date();
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('hub_link').execute();
    await trx
      .insertInto('hub_link')
      .values({
        id: 'hub',
        hub_url: base.href,
        hub_id: p.hubId,
        station_name: p.stationName,
        credential: p.credential,
        paired_at: p.pairedAt,
        // the hub stamped the pairing with its own clock: a first measure of this PC's
        last_contact_at: now.toISOString(),
        clock_skew_ms: Math.round(now.getTime() - Date.parse(p.pairedAt)),
        tls_cert: pinned,
      })
      .execute();
    // everything this station holds goes to this hub (a hub paired before may have had some)
    await queueAllRecords(trx);
    await appendAudit(
      trx,
      {
        actor: opts.actor ?? 'cli',
        action: 'hub.joined',
        entity: 'hub_link',
        entityId: p.hubId,
        details: { hubUrl: base.href, stationName: p.stationName, pinned: pinned ? fingerprintOf(pinned) : null },
      },
      now,
    );
  });
  return {
    hubUrl: base.href,
    hubId: p.hubId,
    stationName: p.stationName,
    pairedAt: p.pairedAt,
    fingerprint: pinned ? fingerprintOf(pinned) : null,
  };
}

/** The hub this station is paired with, without its credential; null when none. */
export async function hubLinkOf(db: Db): Promise<HubLink | null> {
  const row = await db.selectFrom('hub_link').selectAll().executeTakeFirst();
  return row
    ? {
        hubUrl: row.hub_url,
        hubId: row.hub_id,
        stationName: row.station_name,
        pairedAt: row.paired_at,
        fingerprint: row.tls_cert ? fingerprintOf(row.tls_cert) : null,
      }
    : null;
}
