import type { MessageBundle } from '../index';

/** The database tools of the CLI: `proofpack db copy`, the global --db option. */
export const dbTools: MessageBundle = {
  'zh-CN': {
    'cli.db.badOption': '--db 的值无法使用：{reason}',
    'cli.db.notHere': '{command} 不接受 --db：请用 --from 和 --to 指定数据库',
    'cli.db.copy.title': '已复制：{from} → {to}',
    'cli.db.copy.table': '  {table} {source} 行 → {target} 行 {mark}',
    'cli.db.copy.rows': '共 {rows} 行',
    'cli.db.copy.auditOk': '目标库的审计日志完整：{count} 条记录，哈希链无断裂',
    'cli.db.copy.auditBroken': '目标库的审计日志不完整：从第 {id} 条开始（{reason}）',
    'cli.db.copy.auditBrokenInSource': '源数据库的审计日志本来就不完整：副本与源一致',
    'cli.db.copy.ok': '复制完成，校验通过',
    'cli.db.copy.failed': '复制后校验未通过',
    'cli.db.copy.failedToStart': '无法复制：{reason}',
  },
  en: {
    'cli.db.badOption': 'Cannot use the --db value: {reason}',
    'cli.db.notHere': '{command} takes no --db: name the databases with --from and --to',
    'cli.db.copy.title': 'Copied: {from} → {to}',
    'cli.db.copy.table': '  {table} {source} rows → {target} rows {mark}',
    'cli.db.copy.rows': '{rows} rows in all',
    'cli.db.copy.auditOk': 'Audit log on the target intact: {count} entries, hash chain unbroken',
    'cli.db.copy.auditBroken': 'Audit log on the target broken: from entry {id} on ({reason})',
    'cli.db.copy.auditBrokenInSource': 'The audit log of the source was already broken: the copy matches it',
    'cli.db.copy.ok': 'Copy complete and verified',
    'cli.db.copy.failed': 'The copy did not verify',
    'cli.db.copy.failedToStart': 'Cannot copy: {reason}',
  },
};
