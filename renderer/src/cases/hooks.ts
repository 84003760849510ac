import { useEffect, useState } from 'react';
import type { JobSnapshot } from '../../../shared/domain/types';
import { useApi, useEvent } from '../api/context';

/** The current time, refreshed every `everyMs` so countdowns tick. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** One job's snapshot, live from job.update events (and jobs.list after a reload). */
export function useJob(jobId: string | null): JobSnapshot | null {
  const api = useApi();
  const [job, setJob] = useState<JobSnapshot | null>(null);
  useEffect(() => {
    setJob(null);
    if (!jobId) return;
    void api.call('jobs.list', {}).then((r) => {
      if (r.ok) setJob((j) => j ?? r.value.find((x) => x.id === jobId) ?? null);
    });
  }, [api, jobId]);
  useEvent('job.update', (j) => {
    if (j.id === jobId) setJob(j);
  });
  return job;
}

/** `<input type="datetime-local">` value of a UTC instant, in this computer's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** …and back: the local time typed becomes a UTC ISO instant (null when empty or invalid). */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
