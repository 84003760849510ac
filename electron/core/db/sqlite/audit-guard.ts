/** SQLite's form of the audit log's append-only rule, as migration 001 first wrote it (006 restores it after the rebuild). */
export const SQLITE_AUDIT_GUARD = `
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;
