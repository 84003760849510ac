import path from 'node:path';
import type { RequirementId } from '../../../shared/domain/cases';
import { shortRef, type Id } from '../../../shared/domain/id';
import { safeFileStem } from '../../../shared/domain/safe-name';
import { translate, type Lang } from '../../../shared/i18n';

/**
 * Names inside a packet, in the UI language so a clerk recognises each file when
 * uploading (`01_拆包视频.mp4`, `03_问题细节图_2.jpg`), and safe on Windows: the
 * label's separators become "-" first so the sanitiser rarely needs its hash suffix.
 */
const clerkText = (s: string) =>
  s
    .replace(/[\s/\\:*?"<>|+]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

export function packetFolderName(lang: Lang, orderNo: string, caseId: Id): string {
  return safeFileStem(
    `${clerkText(translate(lang, 'packet.folder'))}_${orderNo}_${clerkText(translate(lang, 'packet.case', { id: shortRef(caseId) }))}`,
    120,
  );
}

export const summaryFileName = (lang: Lang) => `${safeFileStem(clerkText(translate(lang, 'packet.file.summary')))}.pdf`;
export const statementFileName = (lang: Lang) =>
  `${safeFileStem(clerkText(translate(lang, 'packet.file.statement')))}.txt`;

/** `NN_<label>[_k].<ext>`: NN is the checklist position, k counts files of one item. */
export function mediaFileName(
  lang: Lang,
  position: number,
  requirement: RequirementId,
  index: number,
  count: number,
  sourcePath: string,
): string {
  const label = safeFileStem(clerkText(translate(lang, `requirement.${requirement}`)), 40);
  const ext =
    path
      .extname(sourcePath)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '') || '.bin';
  const nn = String(position).padStart(2, '0');
  return `${nn}_${label}${count > 1 ? `_${index}` : ''}${ext}`;
}
