import type { Migration } from '../migrate';

/**
 * An index on recordings(evidence_id). Reading an order's evidence fetches the chapters
 * of its videos through their recordings (`r.evidence_id IN (…)`); without this index
 * every read scanned all recordings: ~30 ms per order at 100 k recordings, growing with
 * the store (found by `npm run bench`, db-engines). Same DDL on both engines.
 */
const DDL = `CREATE INDEX recordings_evidence ON recordings(evidence_id)`;

export const m007RecordingsEvidence: Migration = {
  version: 7,
  name: 'recordings-evidence-index',
  async sqlite({ exec }) {
    await exec(DDL);
  },
  async postgres({ exec }) {
    await exec(DDL);
  },
};
