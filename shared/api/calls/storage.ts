import { z } from 'zod';
import { call } from '../define';
import type { Id, JobSnapshot } from '../../domain/types';

export interface StorageStatus {
  dataDir: string;
  /** free space of the whole disk holding the data folder (null: unknown) */
  freeBytes: number | null;
  totalBytes: number | null;
  reserveBytes: number;
  /** below the reserve: no recording can start */
  lowDisk: boolean;
  /** bytes of the evidence files the database knows */
  evidenceBytes: number;
  evidenceCount: number;
  /** files retention removed so far */
  purgedCount: number;
  purgedBytes: number;
  /** a data-folder move is running */
  moving: boolean;
}

export interface RetentionItem {
  evidenceId: Id;
  orderId: Id;
  orderNo: string;
  kind: 'video' | 'photo';
  mode: 'outbound' | 'return';
  path: string;
  bytes: number;
  capturedAt: string;
  ageDays: number;
}

/** What a retention run deleted, or — dry run — would delete. */
export interface RetentionReport {
  dryRun: boolean;
  at: string;
  enabled: boolean;
  days: { outbound: number; return: number };
  /** footage captured before these times is old enough */
  cutoff: { outbound: string; return: string };
  /** the first 500 files; the counts cover all */
  items: RetentionItem[];
  deletedCount: number;
  deletedBytes: number;
  /** old enough, but kept because a case needs it */
  pinnedCount: number;
  /** old enough, but kept because the hub has not verified it (or did so under hubKeepDays ago) */
  awaitingHubCount: number;
  /** old enough and not pinned, but something still refers to it */
  skipped: { evidenceId: Id; path: string; reason: 'in-use' }[];
  fileErrors: { path: string; message: string }[];
  freeBytesBefore: number | null;
  freeBytesAfter: number | null;
}

/** Progress result of a data-folder move. */
export interface MoveResult {
  from: string;
  to: string;
  files: number;
  bytes: number;
  /** files whose hash differs from what the database recorded (copied as they are) */
  hashMismatches: string[];
  /** old files that could not be removed after the switch */
  leftBehind: string[];
}

export const storageCalls = {
  'storage.status': call<StorageStatus>()(z.object({}).strict()),
  /** dry run: what retention would delete now and how much space returns */
  'storage.retentionPreview': call<RetentionReport>()(z.object({}).strict()),
  /** run retention now, as a job (the app also runs it daily) */
  'storage.retentionRun': call<JobSnapshot>()(z.object({}).strict()),
  /** move the whole data folder (database included) to `target`, as a job */
  'storage.move': call<JobSnapshot>()(
    z
      .object({
        target: z
          .string()
          .min(1)
          .max(1024)
          .refine((s) => !s.includes('\0'), 'NUL in path'),
      })
      .strict(),
  ),
};
