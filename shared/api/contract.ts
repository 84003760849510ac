import type { z } from 'zod';
import type { CallDef } from './define';
import type { Result } from './result';
import { appCalls } from './calls/app';
import { captureCalls } from './calls/capture';
import { orderCalls } from './calls/orders';
import { jobCalls } from './calls/jobs';
import { caseCalls } from './calls/cases';
import { checkCalls } from './calls/checks';
import { insightCalls } from './calls/insight';
import { storageCalls } from './calls/storage';
import { fileCalls } from './calls/files';
import { cameraCalls } from './calls/cameras';
import { scaleCalls } from './calls/scale';
import { hubCalls } from './calls/hub';

/**
 * The one API contract. Each domain owns a file in ./calls; adding a call there and
 * listing the file here is all an adapter needs: IPC, loopback HTTP and the CLI all
 * validate inputs with these schemas.
 */
export const contract = {
  ...appCalls,
  ...captureCalls,
  ...orderCalls,
  ...jobCalls,
  ...caseCalls,
  ...checkCalls,
  ...insightCalls,
  ...storageCalls,
  ...fileCalls,
  ...cameraCalls,
  ...scaleCalls,
  ...hubCalls,
};

export type Contract = typeof contract;
export type CallName = keyof Contract;
type DefOf<K extends CallName> = Contract[K];
export type CallInput<K extends CallName> = DefOf<K> extends CallDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInput<K extends CallName> = DefOf<K> extends CallDef<infer I, unknown> ? z.output<I> : never;
export type CallOutput<K extends CallName> = DefOf<K> extends CallDef<z.ZodType, infer O> ? O : never;

/** What core services implement. */
export type Handlers = { [K in CallName]: (input: ParsedInput<K>) => Promise<CallOutput<K>> | CallOutput<K> };

/** What the renderer (or any client) calls. */
export interface ApiClient {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>>;
  on<E extends import('./events').EventName>(
    event: E,
    listener: (payload: import('./events').ApiEvents[E]) => void,
  ): () => void;
  /** a URL the UI can load a data-folder file from (video, photo) */
  mediaUrl(relativePath: string): string;
}

export const isCallName = (name: string): name is CallName => Object.prototype.hasOwnProperty.call(contract, name);
