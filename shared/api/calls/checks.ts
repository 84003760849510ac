import { z } from 'zod';
import { call } from '../define';
import { idSchema, type Id } from '../../domain/id';
import type { ProbeFacts } from '../../rules/facts';
import type { CheckState, Finding, FixId } from '../../rules/findings';
import type { RuleProfile } from '../../rules/profile-schema';

/** The latest check of one evidence file, as stored. */
export interface EvidenceCheck {
  evidenceId: Id;
  state: CheckState;
  profile: { id: string; version: number };
  checkedAt: string;
  tookMs: number;
  /** the tracking number the label was compared with */
  expectedCode: string | null;
  facts: ProbeFacts;
  /** `message` is in the settings language; the UI may re-describe from code + params */
  findings: (Finding & { message: string })[];
}

export interface ProfileSummary {
  id: string;
  version: number;
  name: RuleProfile['name'];
  platform: string;
  builtIn: boolean;
  /** a built-in profile staff have edited (the stored copy is used) */
  customized: boolean;
  /** the station's current profile (settings.profileId) */
  isDefault: boolean;
}

export interface FixStarted {
  jobId: string;
  /** what the job will do, e.g. ['remux','split'], and how many files it will write */
  steps: FixId[];
  parts: number;
}

/** A fix job's result (JobSnapshot.result). */
export interface FixJobResult {
  sourceId: Id;
  steps: FixId[];
  outputs: { evidenceId: Id; path: string; part: number; parts: number }[];
}

const evidenceId = idSchema;
const profileId = z.string().min(1).max(64);

export const checkCalls = {
  'checks.forEvidence': call<EvidenceCheck | null>()(z.object({ evidenceId }).strict()),
  'checks.forOrder': call<EvidenceCheck[]>()(z.object({ orderId: idSchema }).strict()),
  /** check one file now (queued behind running checks) and return the stored result */
  'checks.run': call<EvidenceCheck>()(z.object({ evidenceId, profileId: profileId.optional() }).strict()),
  /** re-judge every stored result against the current default profile (no file is read) */
  'checks.reevaluate': call<{ count: number }>()(z.object({}).strict()),
  'fixes.start': call<FixStarted>()(
    z
      .object({
        evidenceId,
        /** one continuous clip by in/out points, seconds */
        trim: z
          .object({ startSec: z.number().min(0), endSec: z.number().positive() })
          .strict()
          .refine((t) => t.endSec > t.startSec, { message: 'endSec must be after startSec' })
          .optional(),
        /** split into parts even where the profile prefers one trimmed clip */
        split: z.boolean().optional(),
        profileId: profileId.optional(),
      })
      .strict(),
  ),
  'profiles.list': call<ProfileSummary[]>()(z.object({}).strict()),
  'profiles.get': call<RuleProfile>()(z.object({ id: profileId }).strict()),
  /** validated by the profile schema in the core: INVALID_INPUT lists every issue with its path */
  'profiles.save': call<RuleProfile>()(z.object({ profile: z.unknown() }).strict()),
  'profiles.delete': call<{ id: string }>()(z.object({ id: profileId }).strict()),
};
