import type { ApiClient, CallName } from '../../../shared/api/contract';
import type { EventName } from '../../../shared/api/events';
import type { Result } from '../../../shared/api/result';
import { encodeWireInput } from '../../../shared/api/wire';
import type { Id, JobSnapshot } from '../../../shared/domain/types';
import { JobFollower } from './job-follower';
import type { StaffClient } from './staff-client';

type Listener = (payload: unknown) => void;

const enc = encodeURIComponent;
const encParts = (parts: string[]) => parts.map(enc).join('/');

/**
 * Where a browser fetches a file the contract names by its data-folder path, on the hub:
 * - a station's file mirrored on the hub (`hub/<station>/<evidence>/<name>`): the staff media
 *   route, which reads the store (folder or S3) with Range, checks the reader and logs the view;
 * - a packet's zip (`exports/…`): the exports route, as a download;
 * - anything else the hub made itself (a label photo imported into a case, a fixed file):
 *   the hub-files route, which serves only files the hub holds as evidence.
 */
export function staffMediaUrl(rel: string): string {
  const parts = rel.split('/');
  if (parts.length === 4 && parts[0] === 'hub') return `/staff/v1/media/${enc(parts[1]!)}/${enc(parts[2]!)}`;
  if (parts.length >= 2 && parts[0] === 'exports') return `/staff/v1/exports/${encParts(parts.slice(1))}`;
  return `/staff/v1/files/${encParts(parts)}`;
}

const isJob = (v: unknown): v is JobSnapshot =>
  !!v && typeof v === 'object' && typeof (v as JobSnapshot).id === 'string' && 'status' in v && 'kind' in v;
const jobIdOf = (v: unknown): string | null =>
  v && typeof v === 'object' && typeof (v as { jobId?: unknown }).jobId === 'string'
    ? (v as { jobId: string }).jobId
    : null;

/**
 * The station screens' ApiClient (renderer/src/api/context.tsx) over the hub's staff route
 * `POST /staff/v1/call/<name>`: the session cookie, the CSRF header, the same wire body as
 * the loopback adapter. An HTTP refusal comes back as `{ok:false,error}`, and a 401 signs the
 * page out through StaffClient, as every staff call does.
 *
 * Browsers get no event stream from the hub. `job.update` is made from `jobs.list`
 * (JobFollower); `evidence.changed` is echoed after this page's own calls that change an
 * order's evidence or checks (import, re-check, a fix job done), so the screens that reload on
 * it (checklist, findings, coverage) follow their own actions. Changes made elsewhere (a
 * station's new file) show at the next load.
 */
export function staffContractClient(staff: StaffClient): ApiClient {
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  /** evidence id → order id, learnt from case details, to address evidence.changed as the core does */
  const orderOf = new Map<Id, Id>();
  const evidenceChanged = (evidenceId: Id | null, orderId?: Id) =>
    emit('evidence.changed', { orderId: orderId ?? (evidenceId && orderOf.get(evidenceId)) ?? '', evidenceId });

  const send = async (name: CallName, input: unknown): Promise<Result<unknown>> => {
    const r = await staff.send<Result<unknown>>('POST', `/call/${enc(name)}`, encodeWireInput(input));
    // 200 carries the call's own Result; a refusal is already {ok:false,error}
    return r.ok ? r.value : r;
  };

  const jobs = new JobFollower(
    async () => {
      const r = await send('jobs.list', {});
      return r.ok ? (r.value as JobSnapshot[]) : null;
    },
    (job) => {
      emit('job.update', job);
      // a fix wrote new files and the original's checklist item now uses them
      if (job.kind === 'fix' && job.status === 'done')
        evidenceChanged((job.result as { sourceId?: Id } | null)?.sourceId ?? null);
    },
  );

  /** what a successful answer tells the page beyond itself */
  const learn = (name: CallName, input: unknown, value: unknown) => {
    if (name === 'jobs.list') return jobs.observe(value as JobSnapshot[], true);
    if (isJob(value)) {
      jobs.observe([value], false);
      jobs.follow(value.id);
    }
    const started = jobIdOf(value);
    if (started) jobs.follow(started);
    const detail = value as { order?: { id?: Id }; evidence?: { id: Id }[] } | null;
    if (detail?.order?.id && Array.isArray(detail.evidence))
      for (const e of detail.evidence) orderOf.set(e.id, detail.order.id);
    if (name === 'evidence.import') {
      const e = value as { id: Id; orderId: Id };
      orderOf.set(e.id, e.orderId);
      evidenceChanged(e.id, e.orderId);
    }
    if (name === 'checks.run') evidenceChanged((input as { evidenceId: Id }).evidenceId);
  };

  return {
    async call(name, input) {
      const r = await send(name, input);
      if (r.ok) learn(name, input, r.value);
      return r as never;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      const set = listeners.get(event)!;
      const l = listener as Listener;
      set.add(l);
      const unfollow = event === 'job.update' ? jobs.listen() : null;
      return () => {
        set.delete(l);
        unfollow?.();
      };
    },
    mediaUrl: staffMediaUrl,
  };
}
