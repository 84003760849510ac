import { z } from 'zod';

/**
 * The wire between a station and its hub (issue 11), validated on both sides: the hub
 * trusts no station input, and a station trusts no answer from whatever is at the URL.
 */
export const HUB_PREFIX = '/hub/v1';

export const pairRequest = z.object({
  code: z.string().min(1).max(32),
  /** the station's own id (UUID), the `station_id` its rows carry */
  stationId: z.string().uuid(),
});
export type PairRequest = z.infer<typeof pairRequest>;

export const pairResponse = z.object({
  hubId: z.string().uuid(),
  stationId: z.string().uuid(),
  stationName: z.string().min(1).max(64),
  credential: z.string().min(20).max(200),
  pairedAt: z.string().datetime(),
});
export type PairResponse = z.infer<typeof pairResponse>;

export const helloResponse = z.object({
  hubId: z.string().uuid(),
  stationId: z.string().uuid(),
  stationName: z.string(),
});
export type HelloResponse = z.infer<typeof helloResponse>;

export const hubErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), problem: z.string().optional() }),
});

/** What a station shows about its hub (the credential never leaves the core). */
export interface HubLink {
  hubUrl: string;
  hubId: string;
  stationName: string;
  pairedAt: string;
  /** SHA-256 of the hub's self-signed certificate this station pinned; null: none pinned */
  fingerprint: string | null;
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One evidence file's record, sent before its bytes (`PUT /hub/v1/evidence/:id`). The
 * station's evidence id is the key: sending it twice changes nothing.
 */
export const evidenceRecord = z.object({
  id: z.string().uuid(),
  orderNo: z.string().min(1).max(200),
  trackingNo: z.string().max(200).nullable(),
  kind: z.enum(['video', 'photo', 'document']),
  mode: z.enum(['outbound', 'return']).nullable(),
  fileName: z.string().min(1).max(255),
  sha256: sha256Hex,
  bytes: z.number().int().nonnegative().max(1e13),
  durationMs: z.number().int().nonnegative().nullable(),
  capturedAt: z.string().min(10).max(40),
  operator: z.string().max(200),
  stationName: z.string().max(200),
  // what the hub's own cases and packets need of the file (issue 12); absent from older stations
  origin: z.enum(['recorded', 'recovered', 'imported', 'fixed']).optional(),
  mime: z.string().max(200).nullable().optional(),
  width: z.number().int().nonnegative().max(100_000).nullable().optional(),
  height: z.number().int().nonnegative().max(100_000).nullable().optional(),
  parentId: z.string().uuid().nullable().optional(),
});
export type EvidenceRecord = z.infer<typeof evidenceRecord>;

/** Where a file stands on the hub: its bytes still to send, or stored and hashed equal. */
export const evidenceState = z.object({
  state: z.enum(['needs-upload', 'verified']),
  location: z.string().nullable(),
});
export type EvidenceState = z.infer<typeof evidenceState>;

/** tus uploads live under this path; each carries `evidenceId` in its Upload-Metadata. */
export const HUB_UPLOADS_PATH = `${HUB_PREFIX}/files`;

/** What `proofpack sync` prints (issue 11's public contract). */
export interface SyncSummary {
  queued: number;
  uploaded: number;
  verified: number;
  failed: number;
  lastError: string | null;
}

/**
 * A station's status, sent at the end of every sync pass (`PUT /hub/v1/status`): what is
 * still waiting, the last error, free disk, and the station's clock (`sentAt`), which the
 * hub compares with its own.
 */
export const stationReport = z.object({
  sentAt: z.string().datetime(),
  queued: z.number().int().nonnegative().max(1e9),
  queuedBytes: z.number().int().nonnegative().max(1e15),
  failed: z.number().int().nonnegative().max(1e9),
  lastError: z.string().max(1000).nullable(),
  freeBytes: z.number().int().nonnegative().max(1e16).nullable(),
  appVersion: z.string().max(40),
});
export type StationReport = z.infer<typeof stationReport>;

export const stationReportAnswer = z.object({
  hubTime: z.string().datetime(),
  /** the station's clock minus the hub's, in ms */
  clockSkewMs: z.number().int(),
});
export type StationReportAnswer = z.infer<typeof stationReportAnswer>;

/**
 * A clock this far from the hub's is shown as off on both sides: evidence times come from
 * the station, and a platform reviewer compares them with the courier's scans.
 */
export const CLOCK_SKEW_WARN_MS = 2 * 60_000;

/** A station as the hub lists it (`hub stations`, Settings when this PC is the hub). */
export interface HubStationInfo {
  id: string;
  name: string;
  pairedAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  /** heard from within the last 3 min and not revoked */
  online: boolean;
  /** the station's last status report; null before its first */
  status: {
    at: string;
    queued: number;
    queuedBytes: number;
    failed: number;
    lastError: string | null;
    freeBytes: number | null;
    /** station clock − hub clock, ms */
    clockSkewMs: number;
    appVersion: string | null;
  } | null;
}

/** Whether this PC serves as the hub, and where stations reach it. */
export interface HubHostStatus {
  enabled: boolean;
  running: boolean;
  port: number | null;
  /** http(s)://ADDRESS:PORT/ for each LAN address of this PC */
  urls: string[];
  /** SHA-256 of the certificate when serving HTTPS (staff compare it at the station); else null */
  fingerprint: string | null;
  /** where verified evidence goes */
  mediaRoot: string | null;
  /** why it is not serving: `hub-port-in-use`, else `hub-host-failed` with the cause in `error` */
  problem: 'hub-port-in-use' | 'hub-host-failed' | null;
  error: string | null;
}

/** Most audit entries a station sends in one call; a long backlog goes in several. */
export const AUDIT_BATCH = 500;

/** One of a station's audit entries, exactly as its chain holds it (`PUT /hub/v1/audit`). */
export const auditEntry = z.object({
  seq: z.number().int().min(1),
  at: z.string().max(40),
  actor: z.string().max(200),
  action: z.string().max(200),
  entity: z.string().max(200),
  entityId: z.string().max(500).nullable(),
  details: z.string().max(64 * 1024),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditBatch = z.object({ entries: z.array(auditEntry).min(1).max(AUDIT_BATCH) });

/** The hub holds this station's chain up to `lastSeq` (0: nothing yet). */
export const auditBatchAnswer = z.object({ lastSeq: z.number().int().min(0) });
