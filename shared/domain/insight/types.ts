/** Plain data shapes of the insight area (import, coverage, serials, dashboard). Times are ISO UTC. */
import type { CsvLineProblem } from './csv';
import type { ColumnMapping } from './import-fields';
import type { RowProblem } from './import-values';
import type { SerialResult } from './serials';
import type { Id } from '../id';

export type FileKind = 'csv' | 'xlsx';
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gb18030';
export type CsvDelimiter = ',' | '\t' | ';' | '|';

export interface ImportOptions {
  /** CSV only: null = detect */
  encoding: TextEncoding | null;
  /** CSV only: null = detect */
  delimiter: CsvDelimiter | null;
  /** 0-based index of the header row among the first rows (title lines above it are skipped); null = detect */
  headerRow: number | null;
  /** XLSX: worksheet name; null = the first sheet */
  sheet: string | null;
}

export interface ImportInspection {
  uploadId: string;
  fileName: string;
  bytes: number;
  kind: FileKind;
  encoding: TextEncoding | null;
  /** the encoding was given by a byte-order mark, not guessed */
  encodingFromBom: boolean;
  delimiter: string | null;
  sheets: string[];
  headerRow: number;
  headers: string[];
  /** the first rows after the header, as text */
  sample: string[][];
  /** the mapping to start from: remembered for this source, else guessed from the headers */
  mapping: ColumnMapping;
  mappingSource: 'saved' | 'guessed';
  options: ImportOptions;
}

export interface ImportRowError {
  /** 1-based line (CSV: the physical line where the row starts) or row number (XLSX) in the file */
  row: number;
  orderNo: string | null;
  field: string | null;
  /**
   * RowProblem: a cell that cannot be trusted. CsvLineProblem: a CSV line that is no row
   * (an unclosed quote — the lines after it are still read —, a column count unlike the
   * header's, an over-long line); `value` then holds the line's text or "found/expected".
   */
  problem: RowProblem | CsvLineProblem | 'duplicate-header' | 'merge-failed';
  value: string;
}

export interface PreviewRow {
  row: number;
  ok: boolean;
  facts: Record<string, string | number | null> | null;
  errors: ImportRowError[];
}

export interface ImportPreview {
  rows: PreviewRow[];
  /** mapping problems that stop an import (order number not mapped, a header mapped twice …) */
  mappingProblems: string[];
}

export interface ImportResult {
  runId: Id;
  sourceName: string;
  fileName: string;
  rowsRead: number;
  /** orders new to ProofPack */
  imported: number;
  /** orders whose facts changed */
  updated: number;
  /** orders already holding exactly these facts (a re-import) */
  unchanged: number;
  rejected: number;
  /** scan-created orders (scanned by tracking number) linked into the imported order */
  linked: number;
  /** the first rejected rows with reasons (all of them are counted in `rejected`) */
  errors: ImportRowError[];
  cancelled: boolean;
}

export interface ImportMappingRecord {
  name: string;
  mapping: ColumnMapping;
  options: ImportOptions;
  updatedAt: string;
}

export interface CoverageGap {
  orderId: Id;
  orderNo: string;
  trackingNo: string | null;
  kind: 'no-packing-video' | 'no-unboxing-video' | 'blocked-evidence' | 'swapped-item';
  /** ship time, return sign-for time, capture time or flag time */
  at: string;
  /** local day YYYY-MM-DD */
  day: string;
  station: string;
  operator: string;
  item: string | null;
  evidenceId: Id | null;
}

export interface CoverageDay {
  day: string;
  shipped: number;
  shippedWithoutVideo: number;
  returnsSigned: number;
  returnsWithoutVideo: number;
  recordings: number;
  blocked: number;
}

export interface CoverageByStation {
  station: string;
  operator: string;
  recordings: number;
  photos: number;
  ok: number;
  warn: number;
  blocked: number;
  pending: number;
}

export interface CoverageReport {
  from: string;
  to: string;
  /** inclusive local days */
  fromDay: string;
  toDay: string;
  totals: {
    shipped: number;
    shippedWithoutVideo: number;
    returnsSigned: number;
    returnsWithoutVideo: number;
    blocked: number;
    swapped: number;
  };
  days: CoverageDay[];
  byStation: CoverageByStation[];
  gaps: CoverageGap[];
  /** gaps beyond `limit` were counted but not listed */
  gapsTruncated: boolean;
}

export interface SerialScanResult {
  id: Id;
  orderId: Id;
  orderNo: string;
  serial: string;
  mode: 'outbound' | 'return';
  atMs: number | null;
  result: SerialResult | null;
  /** return scans: what was recorded at packing */
  packedSerials: string[];
  /** outbound scans: other orders this serial was already packed into (one unit, one serial) */
  alsoPackedIn: string[];
  flagged: boolean;
}

export interface OrderFlag {
  id: Id;
  orderId: Id;
  orderNo: string;
  /** weight-mismatch: a return weighed outside the tolerance of the packed weight (scale) */
  flag: 'swapped-item' | 'weight-mismatch';
  details: Record<string, unknown>;
  createdAt: string;
  clearedAt: string | null;
}

export interface DashboardRange {
  from: string;
  to: string;
}

export interface DashboardReport {
  fromDay: string;
  toDay: string;
  casesByType: { appealType: string; scenario: string; cases: number; won: number; lost: number }[];
  outcomes: { total: number; won: number; lost: number; open: number; winRate: number | null };
  amounts: { appealType: string; claimedCents: number; recoveredCents: number; cases: number }[];
  deadlines: { appealType: string; met: number; missed: number; pending: number }[];
  compliance: CoverageByStation[];
  recordingsPerHour: { hour: number; recordings: number }[];
  recordingsPerDay: { day: string; recordings: number }[];
}

/** One order at a glance, found by any of its numbers. */
export interface OrderInsight {
  orderId: Id;
  orderNo: string;
  trackingNo: string | null;
  source: string;
  facts: {
    shippedAt: string | null;
    signedAt: string | null;
    returnTrackingNo: string | null;
    returnSignedAt: string | null;
    item: string | null;
    amountCents: number | null;
    buyerNote: string | null;
    sourceName: string;
  } | null;
  outboundVideos: number;
  returnVideos: number;
  photos: number;
  blocked: number;
  openFlags: string[];
}

export type { SerialResult };
