type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * A sync error in the reader's language. The station keeps (and `sync --json` prints) the
 * error as the hub or the network said it, in English, so logs and support read the same
 * everywhere; a packer reads it here, in Chinese by default. Each pattern is one message
 * ProofPack itself writes (the station's sync, its hub, the pinning); anything else (an
 * unknown proxy's answer) is shown as it came.
 */
const PATTERNS: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^hub unreachable \((.+?): (.+)\)$/, 'sync.error.unreachable', (m) => ({ hub: m[1], cause: m[2] })],
  [/^(.+?) did not answer as a ProofPack hub$/, 'sync.error.notAHub', (m) => ({ hub: m[1] })],
  [/^This station was revoked on the hub/, 'problem.hub-station-revoked', () => ({})],
  [/^This station is not paired with the hub/, 'problem.hub-station-unknown', () => ({})],
  [/database is not answering/, 'problem.hub-db-unavailable', () => ({})],
  [/^The hub’s media store is full \((.+?)\): /, 'sync.error.hubFull', (m) => ({ where: m[1] })],
  [
    /^The hub could not store the file in its media store \((.+?)\): (.+)\. The station keeps it/s,
    'sync.error.hubStore',
    (m) => ({ where: m[1], cause: m[2] }),
  ],
  [/certificate is not the one this station paired with/, 'sync.error.certChanged', () => ({})],
  [/do not hash to the record/, 'sync.error.hashMismatch', () => ({})],
  [/^the file is missing at the station: (.+)$/, 'sync.error.fileMissing', (m) => ({ file: m[1] })],
  [/^the hub has not verified the file yet$/, 'sync.error.notVerified', () => ({})],
];

export function describeSyncError(t: Translate, raw: string): string {
  const text = raw.trim();
  for (const [re, key, params] of PATTERNS) {
    const m = re.exec(text);
    if (m) return t(key, params(m));
  }
  return text;
}
