import { REQUIREMENT_IDS, type AppealType, type RequirementId, type RequirementSpec, type Scenario } from './types';

/**
 * Required evidence per appeal type × scenario, as data (SPEC "Appeal types" and
 * "Return scenarios"). A case's checklist is the union of its type's base list and its
 * scenario's list; where both name a requirement, "required" wins over "recommended".
 * Change what the platform asks for here, never in the code that evaluates it.
 */

/** How each kind of evidence is accepted and found. */
export const REQUIREMENT_KINDS: Record<RequirementId, Omit<RequirementSpec, 'required'>> = {
  // 拆包视频: from the sealed parcel, six sides shown, uninterrupted, problem visible
  'unboxing-video': {
    id: 'unboxing-video',
    accepts: ['video'],
    auto: { kind: 'video', modes: ['return'] },
    importMode: 'return',
  },
  // 发货打包视频: proves the right, complete item left the warehouse
  'packing-video': {
    id: 'packing-video',
    accepts: ['video'],
    auto: { kind: 'video', modes: ['outbound'] },
    importMode: 'outbound',
  },
  // 商品和快递面单合照: the station's photo key takes exactly this
  'item-label-photo': { id: 'item-label-photo', accepts: ['photo'], auto: { kind: 'photo', stationOnly: true } },
  // 问题细节图: damage, missing part, unsealed seal … linked by hand
  'problem-photo': { id: 'problem-photo', accepts: ['photo'] },
  // 序列号/串号: one unit, one serial; the serial recorded at packing
  'serial-proof': { id: 'serial-proof', accepts: ['photo', 'video', 'document'] },
  // 账号锁/激活状态 screenshot or photo (Apple ID, password lock)
  'account-proof': { id: 'account-proof', accepts: ['photo', 'document'] },
  // 商品称重图: weight readable
  'weighing-photo': { id: 'weighing-photo', accepts: ['photo'] },
  // 运费凭证: amount, time and tracking number legible
  'freight-voucher': { id: 'freight-voucher', accepts: ['photo', 'document'] },
  // 物流红章证明 or another official courier proof
  'logistics-proof': { id: 'logistics-proof', accepts: ['photo', 'document'] },
  // 出厂检测报告 / 品牌授权 / 进货发票
  'product-voucher': { id: 'product-voucher', accepts: ['photo', 'document'] },
};

type Need = [RequirementId, 'required' | 'recommended'];

/** What each appeal type needs whatever the scenario. */
export const TYPE_REQUIREMENTS: Record<AppealType, Need[]> = {
  // videos and photos that show the merchant was not at fault
  responsibility: [
    ['item-label-photo', 'required'],
    ['unboxing-video', 'recommended'],
    ['packing-video', 'recommended'],
    ['logistics-proof', 'recommended'],
  ],
  goods: [
    ['item-label-photo', 'required'],
    ['problem-photo', 'required'],
    ['unboxing-video', 'required'],
    ['product-voucher', 'required'],
  ],
  shipping: [
    ['freight-voucher', 'required'],
    ['weighing-photo', 'required'],
    ['logistics-proof', 'recommended'],
  ],
  'fast-refund': [
    ['packing-video', 'required'],
    ['item-label-photo', 'required'],
    ['logistics-proof', 'required'],
  ],
};

/**
 * What the scenario adds. `types` limits an addition to some appeal types (a shipping
 * fee appeal about a damaged item still does not need an unboxing video).
 */
export const SCENARIO_REQUIREMENTS: Record<Scenario, (Need | [RequirementId, Need[1], AppealType[]])[]> = {
  damaged: [
    ['unboxing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['problem-photo', 'required', ['responsibility', 'goods', 'fast-refund']],
  ],
  swapped: [
    ['unboxing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['packing-video', 'recommended'],
    ['serial-proof', 'recommended'],
  ],
  'empty-parcel': [
    ['unboxing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['packing-video', 'recommended'],
    ['weighing-photo', 'recommended'],
  ],
  activated: [
    ['unboxing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['problem-photo', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['serial-proof', 'recommended'],
  ],
  'account-locked': [
    ['unboxing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['account-proof', 'required', ['responsibility', 'goods', 'fast-refund']],
  ],
  'wrong-item': [
    ['packing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['serial-proof', 'recommended'],
  ],
  'missing-part': [
    ['packing-video', 'required', ['responsibility', 'goods', 'fast-refund']],
    ['weighing-photo', 'recommended'],
  ],
  'shipping-fee': [
    ['freight-voucher', 'required'],
    ['weighing-photo', 'recommended'],
  ],
  'logistics-exception': [['logistics-proof', 'required']],
  other: [],
};

/** The checklist of a case, in a stable order (the order of REQUIREMENT_IDS). */
export function requirementsFor(type: AppealType, scenario: Scenario): RequirementSpec[] {
  const need = new Map<RequirementId, boolean>();
  const add = (id: RequirementId, level: Need[1]) => need.set(id, (need.get(id) ?? false) || level === 'required');
  for (const [id, level] of TYPE_REQUIREMENTS[type]) add(id, level);
  for (const entry of SCENARIO_REQUIREMENTS[scenario]) {
    const types = entry[2];
    if (!types || types.includes(type)) add(entry[0], entry[1]);
  }
  return REQUIREMENT_IDS.filter((id) => need.has(id)).map((id) => ({
    ...REQUIREMENT_KINDS[id],
    required: need.get(id)!,
  }));
}

export const isRequirementId = (s: string): s is RequirementId => (REQUIREMENT_IDS as readonly string[]).includes(s);
