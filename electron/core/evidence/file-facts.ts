import type { Evidence } from '../../../shared/domain/types';

/**
 * What the outside world is told about an evidence file (the order API's evidence list,
 * webhook payloads): one picking of the fields, so the two cannot drift apart.
 */
export const fileFacts = (e: Evidence) => ({
  kind: e.kind,
  origin: e.origin,
  mode: e.mode,
  path: e.path,
  sha256: e.sha256,
  bytes: e.bytes,
  durationMs: e.durationMs,
  capturedAt: e.capturedAt,
});
