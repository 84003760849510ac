/**
 * The guided steps of a return unboxing (SPEC: the video must start from the sealed
 * parcel with all six sides shown, show the label, the opening, the item and the
 * problem). Marks are stored as chapters of the video.
 */
export const RETURN_STEPS = ['six-sides', 'label-closeup', 'opening', 'item', 'problem'] as const;
export type ReturnStep = (typeof RETURN_STEPS)[number];

/** The next step to mark: the first one not marked yet (or null when all are). */
export function nextStep(marked: readonly string[]): ReturnStep | null {
  return RETURN_STEPS.find((s) => !marked.includes(s)) ?? null;
}
