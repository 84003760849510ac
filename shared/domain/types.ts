/** Plain data shapes that cross the contract. Times are ISO-8601 UTC strings. */
import type { Id } from './id';

export type { Id } from './id';

export type CaptureMode = 'outbound' | 'return';
export type EvidenceKind = 'video' | 'photo' | 'document';
/** recorded: finished normally; recovered: rebuilt after a crash; imported: dragged in; fixed: output of a fix */
export type EvidenceOrigin = 'recorded' | 'recovered' | 'imported' | 'fixed';
export type CheckState = 'pending' | 'ok' | 'warn' | 'block';

export interface Order {
  id: Id;
  orderNo: string;
  trackingNo: string | null;
  source: 'scan' | 'import' | 'manual';
  createdAt: string;
  updatedAt: string;
  /** the shop it belongs to (import's 店铺, else the station's shop when scanned); null: unknown */
  shop: string | null;
}

/** SKU-first packing: a recording's order before its order or tracking number was scanned */
export interface ProvisionalOrder {
  id: Id;
  orderNo: string;
  sku: string;
  createdAt: string;
  evidenceCount: number;
  lastCapturedAt: string | null;
}

export interface Chapter {
  step: string;
  atMs: number;
}

export interface Evidence {
  id: Id;
  orderId: Id;
  kind: EvidenceKind;
  origin: EvidenceOrigin;
  mode: CaptureMode | null;
  /** path relative to the data folder, always with forward slashes */
  path: string;
  originalName: string | null;
  mime: string | null;
  sha256: string;
  bytes: number;
  durationMs: number | null;
  width: number | null;
  height: number | null;
  station: string;
  operator: string;
  capturedAt: string;
  parentId: Id | null;
  checkState: CheckState;
  chapters: Chapter[];
}

/** An evidence file with its order number, for lists that span orders. */
export interface EvidenceWithOrder extends Evidence {
  orderNo: string;
}

export interface OrderSummary extends Order {
  evidenceCount: number;
  videoCount: number;
  photoCount: number;
  lastCapturedAt: string | null;
  worstCheck: CheckState | null;
}

export interface OrderDetail {
  order: Order;
  evidence: Evidence[];
}

export interface RecordingSession {
  id: string;
  orderId: Id;
  orderNo: string;
  trackingNo: string | null;
  mode: CaptureMode;
  mime: string;
  startedAt: string;
  station: string;
  operator: string;
  /** SKU-first packing: the SKU that started this recording for a provisional order */
  provisionalSku?: string;
  /** the ERP's buyer note and seller remark (order API), read aloud when the setting is on */
  notes?: { buyerNote: string | null; sellerRemark: string | null };
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** The plain snapshot of a long-running job sent to the UI on every change. */
export interface JobSnapshot {
  id: string;
  kind: string;
  title: string;
  status: JobStatus;
  /** 0..1, or null while unknown */
  progress: number | null;
  startedAt: string;
  elapsedMs: number;
  error: { code: string; message: string; details?: unknown } | null;
  result: unknown;
  retryable: boolean;
}
