import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../shared/i18n/describe-error';
import { hasMessage, translate, type Lang, type Params } from '../../shared/i18n';
import { AppError } from '../../shared/api/result';
import { EventBus } from '../../electron/core/events';
import { JobManager } from '../../electron/core/jobs/job-manager';
import { contract } from '../../shared/api/contract';
import { createDispatch } from '../../electron/core/dispatch';
import type { Handlers } from '../../shared/api/contract';

const tr = (lang: Lang) => (key: string, params?: Params) => translate(lang, key, params);

describe('describeError: refusals read in the UI language', () => {
  it('a file-level problem uses its translated text with the details filled in', () => {
    const err = {
      code: 'INVALID_INPUT',
      message: 'No worksheet named 订单',
      details: { problem: 'no-such-sheet', sheet: '订单' },
    };
    expect(describeError(tr('zh-CN'), err)).toBe('输入不正确：没有名为“订单”的工作表');
    expect(describeError(tr('en'), err)).toBe('Invalid input: No worksheet named "订单"');
  });

  it('an unknown problem code falls back to the core message', () => {
    const err = { code: 'INVALID_INPUT', message: 'Something odd', details: { problem: 'never-heard-of-it' } };
    expect(describeError(tr('zh-CN'), err)).toBe('输入不正确：Something odd');
  });

  it('schema refusals from the dispatcher carry zod codes that translate', async () => {
    const dispatch = createDispatch({} as Handlers);
    expect(contract['orders.search']).toBeDefined();
    const r = await dispatch('orders.search', { query: 42 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = describeError(tr('zh-CN'), r.error);
    expect(text).toMatch(/^输入不正确：/);
    expect(text).not.toMatch(/Expected|Invalid input: expected/);
  });
});

/** Every `new AppError(…)` / `fail(…)` call in the given folders: file, error code and literal problem codes. */
function refusalSites(dirs: string[]) {
  const root = path.resolve(__dirname, '../..');
  const files = dirs.flatMap((d) =>
    (fs.readdirSync(path.join(root, d), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(d, f)),
  );
  const sites: { file: string; code: string; problems: string[] }[] = [];
  for (const file of files) {
    const src = fs.readFileSync(path.join(root, file), 'utf8');
    for (const m of src.matchAll(/new AppError\(|\bfail\(/g)) {
      const args = argumentsText(src, m.index + m[0].length);
      const code = /^\s*'([A-Z_]+)'/.exec(args)?.[1] ?? '(dynamic)';
      sites.push({ file, code, problems: [...args.matchAll(/\bproblem:\s*'([^']+)'/g)].map((p) => p[1]) });
    }
  }
  return sites;
}

/** The text up to the call's closing parenthesis (quoted text skipped, so "(x" in a message is harmless). */
function argumentsText(src: string, from: number): string {
  let depth = 1;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return src.slice(from, i);
  }
  return src.slice(from);
}

describe('every refusal the core can send has text in both languages', () => {
  const sites = refusalSites(['electron/core', 'electron/web']);

  it('finds the refusal sites (a scanner that finds nothing would pass anything)', () => {
    expect(sites.length).toBeGreaterThan(100);
    expect(sites.filter((s) => s.problems.length).length).toBeGreaterThan(40);
  });

  it('each literal problem code has its problem.<code> message', () => {
    const missing: string[] = [];
    for (const s of sites) {
      for (const p of s.problems) {
        // Scan problems (BAD_SCAN) are named by the scan code check and read as scan.problem.*:
        // some of their names ("empty") mean something else as a file problem.
        if (s.code === 'BAD_SCAN') {
          if (!hasMessage(`scan.problem.${p}`)) missing.push(`${s.file}: scan.problem.${p}`);
          continue;
        }
        // Evidence import refusals are per-file problems: the checklist and `proofpack add`
        // show them with the file's name through import.problem.*, so that text must exist
        // (problem.* is only the fallback wherever else such a refusal surfaces).
        if (s.file.endsWith(path.join('evidence', 'import-service.ts'))) {
          if (!hasMessage(`import.problem.${p}`)) missing.push(`${s.file}: import.problem.${p}`);
          continue;
        }
        if (!hasMessage(`problem.${p}`)) missing.push(`${s.file}: problem.${p}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every scan problem a BAD_SCAN can carry has its text', () => {
    const src = fs.readFileSync(path.resolve(__dirname, '../../shared/domain/scan-code.ts'), 'utf8');
    const union = /type ScanProblem = ([^;]+);/.exec(src)![1];
    const codes = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(2);
    for (const c of codes) expect(hasMessage(`scan.problem.${c}`), c).toBe(true);
  });

  it('every error code has its error.<CODE> text', () => {
    const src = fs.readFileSync(path.resolve(__dirname, '../../shared/api/result.ts'), 'utf8');
    const union = /export type ApiErrorCode =([^;]+);/.exec(src)![1];
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    for (const c of codes) expect(hasMessage(`error.${c}`), c).toBe(true);
  });
});

describe('describeError picks the most specific text', () => {
  it('a scan problem reads as a scan problem even when a file problem has the same name', () => {
    const err = { code: 'BAD_SCAN', message: 'Unusable code (empty)', details: { problem: 'empty' } };
    expect(describeError(tr('zh-CN'), err)).toBe('扫描内容无法使用：空的扫描');
  });

  it('a refusal whose general text has no room for a reason shows the specific reason', () => {
    const err = {
      code: 'MEDIA_UNREADABLE',
      message: 'The recording is empty',
      details: { problem: 'recording-empty' },
    };
    expect(describeError(tr('zh-CN'), err)).toBe('录像是空的：没有收到任何画面');
    expect(describeError(tr('en'), { code: 'BUSY', message: 'x', details: { problem: 'move-running' } })).toBe(
      'The data folder is being moved: wait until it is done',
    );
  });

  it('a refusal without a problem code keeps the general text', () => {
    expect(describeError(tr('zh-CN'), { code: 'MEDIA_UNREADABLE', message: 'ffprobe: moov atom not found' })).toBe(
      '文件无法读取（已损坏或不是音视频/图片）',
    );
  });

  it('numbers in the details fill the placeholders', () => {
    const err = { code: 'NOT_FOUND', message: 'Case 12 not found', details: { caseId: 12, problem: 'no-such-case' } };
    expect(describeError(tr('zh-CN'), err)).toBe('没有找到：申诉 #12');
  });

  it('a failed job keeps the details of its error, so its row reads in the UI language', async () => {
    const jobs = new JobManager(new EventBus());
    const { id } = jobs.start({
      kind: 'test',
      title: 'test',
      run: async () => {
        throw new AppError('BUSY', 'A move is already running', { problem: 'move-running' });
      },
    });
    await expect(jobs.wait(id)).rejects.toMatchObject({ code: 'BUSY' });
    const snap = jobs.get(id);
    expect(snap.error).toMatchObject({ code: 'BUSY', details: { problem: 'move-running' } });
    expect(describeError(tr('zh-CN'), snap.error!)).toBe('数据文件夹正在移动中，请等它完成');
  });
});
