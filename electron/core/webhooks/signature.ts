import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-ProofPack-Signature: sha256=<hex>` where hex = HMAC-SHA256(secret, `${timestamp}.${body}`)
 * and timestamp is `X-ProofPack-Timestamp` (Unix seconds of this attempt). Binding the
 * timestamp lets a receiver refuse replays of an old delivery (e.g. older than 5 minutes).
 */
export function signBody(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** What a receiver does (the tests use it as the receiver). */
export function verifySignature(secret: string, timestamp: string, body: string, header: string): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const expected = Buffer.from(signBody(secret, Number(timestamp), body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
