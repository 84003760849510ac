import { z } from 'zod';
import type { ExportProblem, PacketFileKind, RequirementId } from '../../../shared/domain/cases';
import type { Id } from '../../../shared/domain/id';
import type { Chapter } from '../../../shared/domain/types';

/**
 * `manifest.json` of a packet: what is in it and what it was built from. Verify needs
 * only `files[].name/sha256/bytes`; the rest is for the person (or platform) reading it.
 * The manifest does not list itself (it cannot hold its own hash).
 */
export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'proofpack-packet';

export interface ManifestFile {
  name: string;
  kind: PacketFileKind;
  requirement: RequirementId | null;
  sha256: string;
  bytes: number;
  durationMs: number | null;
  evidenceId: Id | null;
  /** the evidence a fixed file was made from, and that file's hash */
  sourceEvidenceId: Id | null;
  sourceSha256: string | null;
  origin: string | null;
  mode: string | null;
  checkState: string | null;
  capturedAt: string | null;
  station: string | null;
  operator: string | null;
  width: number | null;
  height: number | null;
  chapters: Chapter[];
  /** a side-by-side composite (profile takes one video): the views it shows, by evidence */
  views?: { evidenceId: Id; sha256: string; capturedAt: string }[];
}

export interface PacketManifest {
  format: typeof MANIFEST_FORMAT;
  formatVersion: 1;
  createdAt: string;
  app: { name: 'ProofPack'; version: string };
  language: string;
  fingerprint: string;
  profile: { id: string; version: string; name: string };
  order: { id: Id; orderNo: string; trackingNo: string | null };
  case: Record<string, unknown>;
  checklist: { requirement: RequirementId; required: boolean; state: string; files: string[] }[];
  files: ManifestFile[];
  problems: ExportProblem[];
}

/** Lenient reading for verify: a manifest from any version with the fields verify needs. */
/** a relative path with forward slashes that stays inside the packet */
export function isSafeEntryName(name: string): boolean {
  if (!name || name.includes('\\') || name.includes('\0') || name.startsWith('/') || /^[a-zA-Z]:/.test(name))
    return false;
  return name.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
export const ManifestForVerify = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    files: z.array(
      z
        .object({
          name: z.string().min(1).max(1000).refine(isSafeEntryName, 'unsafe file name in manifest'),
          sha256: z.string().regex(/^[0-9a-f]{64}$/),
          bytes: z.number().int().min(0),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export type VerifiableManifest = z.infer<typeof ManifestForVerify>;

export function parseManifest(text: string): { ok: true; manifest: VerifiableManifest } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, error: `manifest.json is not valid JSON: ${(e as Error).message}` };
  }
  const r = ManifestForVerify.safeParse(data);
  if (!r.success) {
    return {
      ok: false,
      error: `manifest.json is not a ProofPack manifest: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    };
  }
  const names = new Set<string>();
  for (const f of r.data.files) {
    if (names.has(f.name)) return { ok: false, error: `manifest.json lists ${f.name} twice` };
    names.add(f.name);
  }
  return { ok: true, manifest: r.data };
}
