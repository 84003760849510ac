import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkDir, removeAbandonedWorkDirs } from '../../electron/core/storage/work-dirs';
import { useTempDirs } from '../helpers/temp';

const tmp = useTempDirs();

describe('scratch folders of long work', () => {
  it('are removed once the process that made them is gone, never while it runs', async () => {
    const dir = tmp();
    const mine = await makeWorkDir(dir, 'hub-packet');
    expect(path.basename(mine)).toMatch(new RegExp(`^hub-packet-${process.pid}-`));
    // a process that has ended: its pid is free (a killed hub's folder looks like this)
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const dead = path.join(dir, `hub-packet-${ended.stdout}-abc123`);
    fs.mkdirSync(path.join(dead, 'staging'), { recursive: true });
    fs.writeFileSync(path.join(dead, 'staging', 'video.mp4'), 'x');
    const other = path.join(dir, `verify-zip-${ended.stdout}-def456`);
    fs.mkdirSync(other);

    expect(await removeAbandonedWorkDirs(dir, 'hub-packet')).toBe(1);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(mine)).toBe(true);
    expect(fs.existsSync(other)).toBe(true); // another purpose: left to its own sweep
    expect(await removeAbandonedWorkDirs(path.join(dir, 'missing'), 'hub-packet')).toBe(0);
  });
});
