/**
 * Appeal cases (申诉) as plain data. Times are ISO-8601 UTC strings; money is integer
 * cents (fen) so that a shipping-fee amount is stored exactly as claimed.
 */
import type { CaptureMode, CheckState, EvidenceKind, Id } from '../types';

/** 判责申诉 | 货款申诉 | 运费申诉 | 极速退款申诉 */
export const APPEAL_TYPES = ['responsibility', 'goods', 'shipping', 'fast-refund'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];

export const SCENARIOS = [
  'damaged',
  'swapped',
  'empty-parcel',
  'activated',
  'account-locked',
  'wrong-item',
  'missing-part',
  'shipping-fee',
  'logistics-exception',
  'other',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** draft → ready → exported → submitted → won | lost */
export const CASE_STATUSES = ['draft', 'ready', 'exported', 'submitted', 'won', 'lost'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Which freight a shipping-fee appeal is about: refunded freight, the outbound freight
 * of an unjustified refusal/return, or the return freight of a bulky item.
 */
export const FREIGHT_KINDS = ['refunded', 'outbound', 'bulky-return'] as const;
export type FreightKind = (typeof FREIGHT_KINDS)[number];

/** The kinds of evidence the platform guide names; a checklist item is one of these. */
export const REQUIREMENT_IDS = [
  'unboxing-video',
  'packing-video',
  'item-label-photo',
  'problem-photo',
  'serial-proof',
  'account-proof',
  'weighing-photo',
  'freight-voucher',
  'logistics-proof',
  'product-voucher',
] as const;
export type RequirementId = (typeof REQUIREMENT_IDS)[number];

export interface RequirementSpec {
  id: RequirementId;
  /** evidence kinds that can fill it (type detected by content, never by name) */
  accepts: EvidenceKind[];
  /** false: recommended only; the checklist is complete without it */
  required: boolean;
  /**
   * Which station evidence fills it without a manual link: a video recorded in that
   * mode, or a station photo. Imported documents are always linked by hand.
   */
  auto?: { kind: EvidenceKind; modes?: CaptureMode[]; stationOnly?: boolean };
  /** capture mode given to a video imported straight into this requirement */
  importMode?: CaptureMode;
}

export type ChecklistState = 'present' | 'missing' | 'failing';

export interface ChecklistEvidence {
  evidenceId: Id;
  /**
   * The files a packet uses for it: the evidence itself, or — when it fails its checks
   * and a fix passed — the fixed file(s) (a too-long video split into parts gives several).
   */
  used: Id[];
  /** the state of what is used: ok/warn pass, block fails, pending waits for checks */
  checkState: CheckState;
  linked: 'auto' | 'manual';
}

export interface ChecklistItem {
  requirement: RequirementId;
  required: boolean;
  accepts: EvidenceKind[];
  state: ChecklistState;
  /** some evidence still waits for its checks */
  pending: boolean;
  evidence: ChecklistEvidence[];
}

export interface Checklist {
  items: ChecklistItem[];
  /** every required item present */
  complete: boolean;
  missing: RequirementId[];
  failing: RequirementId[];
}

export interface CaseFacts {
  appealType: AppealType;
  scenario: Scenario;
  signForAt: string | null;
  refundAt: string | null;
  /** 先举证后拒签: proof given before the parcel was refused (48 h window) */
  proofBeforeRefusal: boolean;
  /** the order was refunded by fast refund (极速退款); null when unknown */
  fastRefund: boolean | null;
  /** the item ships free (包邮): its outbound freight cannot be appealed */
  freeShipping: boolean | null;
  freightKind: FreightKind | null;
  amountClaimedCents: number | null;
  /** what the buyer paid, when known: a goods claim cannot exceed it */
  orderAmountCents: number | null;
  notes: string;
}

export interface CaseDeadlines {
  evidenceDueAt: string | null;
  appealDueAt: string | null;
  /** the earliest deadline still governing the case (null once submitted or closed) */
  dueAt: string | null;
}

export interface AppealCase extends CaseFacts, CaseDeadlines {
  id: Id;
  orderId: Id;
  orderNo: string;
  trackingNo: string | null;
  profileId: string;
  profileVersion: string;
  status: CaseStatus;
  amountRecoveredCents: number | null;
  statement: string;
  statementEdited: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

/** A row of the case list: the case plus what the list shows at a glance. */
export interface CaseSummary extends AppealCase {
  /** ms until dueAt at the time the list was made (negative: missed) */
  msLeft: number | null;
  alert: 'missed' | 'near' | null;
}

/** What the case view shows: the case, its order's evidence and the evaluated checklist. */
export interface CaseDetail {
  case: AppealCase;
  order: import('../types').Order;
  evidence: import('../types').Evidence[];
  checklist: Checklist;
  profile: {
    id: string;
    version: string;
    name: { 'zh-CN': string; en: string };
    statementMaxChars: number | null;
  };
  /** the statement to show: staff's edited text, or a fresh draft from the facts */
  statement: string;
  statementLength: number;
  packets: PacketSummary[];
  nextStatuses: CaseStatus[];
  alert: 'missed' | 'near' | null;
}

export interface CaseListPage {
  items: CaseSummary[];
  total: number;
  alertHours: number;
  /** the server's clock when the page was made; countdowns run from it */
  now: string;
}

export type PacketFileKind = 'video' | 'photo' | 'document' | 'summary' | 'statement';

export interface PacketFile {
  name: string;
  kind: PacketFileKind;
  requirement: RequirementId | null;
  evidenceId: Id | null;
  sha256: string;
  bytes: number;
  durationMs: number | null;
}

export interface PacketSummary {
  id: Id;
  caseId: Id;
  name: string;
  /** absolute paths on this computer */
  dir: string;
  zip: string | null;
  /** the zip relative to the data folder when it lies inside it (the UI can then offer it for download) */
  zipMediaPath: string | null;
  fileCount: number;
  totalBytes: number;
  createdAt: string;
  verifiedAt: string | null;
  verifyOk: boolean | null;
}

export interface ExportProblem {
  evidenceId: Id;
  requirement: RequirementId;
  /** 'failing': fails its checks and no fix made it pass; 'tampered': bytes differ from the recorded hash */
  reason: 'failing' | 'tampered' | 'missing-file';
  detail?: string;
}

export interface ExportResult {
  packet: PacketSummary;
  files: PacketFile[];
  /** true: the same inputs were exported before and the packet still verifies, nothing rewritten */
  unchanged: boolean;
  /** media left out because it is not compliant (and could not be fixed) or not intact */
  problems: ExportProblem[];
  /** fixes run during this export (fixed evidence ids) */
  fixed: Id[];
}

export interface VerifyReport {
  ok: boolean;
  path: string;
  kind: 'folder' | 'zip';
  manifestOk: boolean;
  /** a problem with the manifest itself (absent, unreadable) */
  manifestError: string | null;
  checked: number;
  missing: string[];
  extra: string[];
  changed: { name: string; expectedSha256: string; actualSha256: string; expectedBytes: number; actualBytes: number }[];
}
