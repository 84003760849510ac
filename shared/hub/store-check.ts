/** The store check's result (hub job `hub.store-check`), as the CLI and the hub's screen read it. */
export interface StoreCheckFile {
  station: string;
  evidenceId: string;
  orderNo: string;
  location: string | null;
  expected: string;
  /** null: nothing at the location */
  got: string | null;
}

export interface StoreCheckResult {
  checked: number;
  ok: number;
  missing: StoreCheckFile[];
  mismatched: StoreCheckFile[];
}
