import { ProfileSchema, type RuleProfile } from './profile-schema';
import { pddProfile } from './profiles/pdd';
import { shopeeProfile } from './profiles/shopee';

export const DEFAULT_PROFILE_ID = 'pdd';

/** The profiles shipped with the app, validated by the same schema as staff-made ones. */
export const BUILTIN_PROFILES: readonly RuleProfile[] = [pddProfile, shopeeProfile].map((p) => ProfileSchema.parse(p));

export const builtinProfile = (id: string): RuleProfile | undefined => BUILTIN_PROFILES.find((p) => p.id === id);
