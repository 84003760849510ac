import { AppError } from '../../../../shared/api/result';
import type { AppealType, CaseDetail, RequirementId } from '../../../../shared/domain/cases/types';
import type { CoreContext } from '../../context';
import type { Id } from '../../../../shared/domain/id';
import { CaseService } from '../../cases/case-service';
import { serialProofForOrder } from './serial-service';

/**
 * A "swapped item" case straight from the serial comparison, through the cases service
 * (issue 4) — never around it: the case is opened with scenario `swapped`, the packing
 * clip, the return clip and the serial-label photos are linked to its serial-proof item
 * (and the clips to the packing/unboxing video items), and the drafted
 * statement gets the serial facts: both serials and the second of each video they were
 * scanned at. The statement is saved as the case's text, so staff can still edit it.
 */
export async function openSerialCase(
  ctx: CoreContext,
  input: { orderId: Id; appealType: AppealType },
): Promise<CaseDetail> {
  const db = ctx.db;
  const proof = await serialProofForOrder(db, input.orderId);
  if (proof.returned.length === 0 || proof.packed.length === 0) {
    throw new AppError(
      'CONFLICT',
      'No serial number was compared for this order: scan it at packing and at the return',
      { problem: 'no-serial-comparison' },
    );
  }
  const facts = await db
    .selectFrom('order_facts')
    .select(['return_signed_at as signed', 'amount_cents as amount'])
    .where('order_id', '=', input.orderId)
    .executeTakeFirst();
  const cases = new CaseService(ctx);
  const created = await cases.create({
    orderId: input.orderId,
    appealType: input.appealType,
    scenario: 'swapped',
    signForAt: facts?.signed ?? undefined,
    orderAmountCents: facts?.amount ?? undefined,
  });
  const caseId = created.case.id;
  // a file linked by hand counts only where it is linked: the clips are placed on their
  // video items too, so linking them as serial proof takes nothing off the checklist
  const has = new Set(created.checklist.items.map((i) => i.requirement));
  const links: [RequirementId, Id | null][] = [
    ['packing-video', proof.packingClipId],
    ['unboxing-video', proof.returnClipId],
    ['serial-proof', proof.packingClipId],
    ['serial-proof', proof.returnClipId],
    ...proof.packed.map((p): [RequirementId, Id | null] => ['serial-proof', p.photoEvidenceId]),
    ...proof.returned.map((r): [RequirementId, Id | null] => ['serial-proof', r.photoEvidenceId]),
  ];
  let detail = created;
  const done = new Set<string>();
  for (const [requirement, evidenceId] of links) {
    if (evidenceId == null || !has.has(requirement) || done.has(`${requirement}:${evidenceId}`)) continue;
    done.add(`${requirement}:${evidenceId}`);
    detail = await cases.link({ caseId, requirement, evidenceId });
  }
  // the serial facts are part of the automatic draft (CaseService.draft), which stays live
  return detail;
}
