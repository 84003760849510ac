import { z } from 'zod';
import { call } from '../define';
import { idSchema } from '../../domain/id';
import type { OrderWeight, ScaleState } from '../../domain/scale/weights';

export const scaleCalls = {
  /** the scale's connection and current weight (the station then follows `scale.state` events) */
  'scale.state': call<ScaleState>()(z.object({}).strict()),
  /** serial ports a scale could be on, for the Settings page (a path can also be typed) */
  'scale.ports': call<{ path: string; label: string }[]>()(z.object({}).strict()),
  /** an order's packed and return weights, with the packed-vs-return comparison */
  'scale.orderWeights': call<OrderWeight[]>()(z.object({ orderId: idSchema }).strict()),
};
