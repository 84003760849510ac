import type { PeerCertificate } from 'node:tls';
import https from 'node:https';
import { Agent, fetch as undiciFetch } from 'undici';
import { fingerprintOf } from '../hub/hub-tls';

/** The hub answered with another certificate than the one pinned at pairing. */
export class HubCertificateChanged extends Error {
  readonly code = 'HUB_CERT_CHANGED';
  constructor(expected: string, got: string) {
    super(
      `the hub’s certificate is not the one this station paired with (expected ${expected}, got ${got}): ` +
        'nothing was sent. If the hub was reinstalled, pair again with a new code.',
    );
  }
}

/** How a station reaches its hub: Node's own fetch and https, or both pinned to one certificate. */
export interface HubTransport {
  fetch: typeof fetch;
  /** for tus-js-client's Node http stack; undefined: the default agent */
  agent?: https.Agent;
  /** ends the pinned connections (a sync pass is over) */
  close(): Promise<void>;
}

const plain: HubTransport = { fetch, close: async () => undefined };

/** TLS refusals while a certificate is pinned: the hub is not the one this station paired with. */
const TLS_REFUSAL = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/** For a failed call: the pinning refusal in words, or null when it failed for another reason. */
export function certificateRefusal(e: unknown): string | null {
  for (let c = e as { cause?: unknown; code?: unknown; message?: unknown } | undefined, i = 0; c && i < 5; i++) {
    if (c instanceof HubCertificateChanged) return c.message;
    if (typeof c.code === 'string' && TLS_REFUSAL.test(c.code))
      return `the hub’s certificate is not the one this station paired with (${c.code}): nothing was sent. If the hub was reinstalled, pair again with a new code.`;
    c = c.cause as typeof c;
  }
  return null;
}

/**
 * Pinning: the certificate pinned at pairing is the only one trusted (as its own CA), and
 * its SHA-256 must match, whatever name the hub is reached by (a LAN IP the certificate
 * may not list). Anything else fails the TLS handshake, before a byte of a request is sent.
 */
export function hubTransport(pinnedCert: string | null): HubTransport {
  if (!pinnedCert) return plain;
  const expected = fingerprintOf(pinnedCert);
  const tls = {
    ca: pinnedCert,
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert.fingerprint256 === expected ? undefined : new HubCertificateChanged(expected, cert.fingerprint256),
  };
  const dispatcher = new Agent({ connect: tls });
  const agent = new https.Agent({ ...tls, keepAlive: true });
  return {
    fetch: ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch,
    agent,
    close: async () => {
      agent.destroy();
      await dispatcher.close();
    },
  };
}
