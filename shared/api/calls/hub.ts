import { z } from 'zod';
import { call } from '../define';
import type { HubLink } from '../../hub/protocol';

export const hubCalls = {
  /** the warehouse hub this station is paired with, or null */
  'hub.link': call<HubLink | null>()(z.object({}).strict()),
  /** pair this station with a hub using the one-time code shown there */
  'hub.join': call<HubLink>()(
    z.object({ hubUrl: z.string().trim().min(1).max(500), code: z.string().trim().min(1).max(32) }).strict(),
  ),
};
