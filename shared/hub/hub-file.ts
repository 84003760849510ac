import type { Chapter } from '../domain/types';

/** One verified evidence file on the hub, as staff and share pages show it. */
export interface HubFile {
  stationId: string;
  evidenceId: string;
  orderNo: string;
  kind: string;
  mode: string | null;
  fileName: string;
  sha256: string;
  bytes: number;
  durationMs: number | null;
  capturedAt: string;
  operator: string;
  stationName: string;
  /** absolute path or s3://bucket/key: the hub's own business, never sent to a browser */
  location: string;
}

/** A file as an order's page lists it: with the marks its station set (videos). */
export interface OrderFile extends HubFile {
  chapters: Chapter[];
}

/** What staff browsers get of a file. */
export type StaffFile = Omit<OrderFile, 'location'>;
