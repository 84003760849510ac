import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrate, type Migration } from '../../electron/core/db/migrate';
import { migrations } from '../../electron/core/db/migrations';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('migration runner', () => {
  it('brings a new database to the latest version with WAL and foreign keys', () => {
    const db = openDatabase(path.join(tmp(), 'proofpack.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations[migrations.length - 1].version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('is idempotent: reopening runs nothing twice', () => {
    const file = path.join(tmp(), 'proofpack.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'orders'").get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a database newer than the app', () => {
    const file = path.join(tmp(), 'proofpack.db');
    const raw = new Database(file);
    raw.pragma('user_version = 9999');
    raw.close();
    expect(() => openDatabase(file)).toThrowError(/newer than this app/);
  });

  it('rolls back a failing migration entirely, including user_version', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') },
      { version: 2, name: 'bad', up: (d) => d.exec('CREATE TABLE b (x); INSERT INTO nope VALUES (1)') },
    ];
    expect(() => migrate(db, list)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('refuses a broken migration list', () => {
    const db = new Database(':memory:');
    const noop = () => undefined;
    expect(() =>
      migrate(db, [
        { version: 2, name: 'a', up: noop },
        { version: 1, name: 'b', up: noop },
      ]),
    ).toThrow(/broken/);
  });

  it('refuses to start on a corrupt database and leaves a backup copy', () => {
    const dir = tmp();
    const file = path.join(dir, 'proofpack.db');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    expect(() => openDatabase(file)).toThrowError();
    expect(fs.readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});

describe('001 foundation', () => {
  it('creates the tables and keeps the audit log append-only', () => {
    const db = openDatabase(path.join(tmp(), 'proofpack.db'));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining(['orders', 'recordings', 'evidence', 'chapters', 'settings', 'audit_log']),
    );
    db.prepare(
      "INSERT INTO audit_log (at, actor, action, entity, details, prev_hash, hash) VALUES ('t','a','x','e','{}','0','1')",
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET actor = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });
});
