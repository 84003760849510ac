/** One entry of an audit log as an admin reads it (the hub's own chain). */
export interface AuditEntry {
  seq: number;
  at: string;
  /** a user's name where the actor is an account; else as written (`cli`, `share-link`, a station) */
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** the `beforeSeq` of the next (older) page; null: no more */
  next: number | null;
}
