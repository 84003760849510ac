import fs from 'node:fs';

/**
 * Processes below one process, read from /proc (Linux; no `pgrep` fork, so sampling does
 * not stall a benchmark). The servers benchmarks start run under launchers (npx-style
 * wrapper → tsx → the real process), so what they cost is their whole tree.
 */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* it ended meanwhile */
    }
  }
  const below = (p: number): number[] => (children.get(p) ?? []).flatMap((k) => [k, ...below(k)]);
  return below(root);
}

/** Resident memory of these processes together, bytes (one that ended counts nothing). */
export function rssBytes(pids: number[]): number {
  let total = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) * 1024 : 0;
    } catch {
      /* it ended meanwhile */
    }
  }
  return total;
}

/**
 * Proportional memory of these processes together, bytes: a page shared by N processes
 * counts 1/N in each. A child just forked by Node (before it runs ffmpeg) shares all of
 * its parent's pages, which a sum of RSS would count twice.
 */
export function pssBytes(pids: number[]): number {
  let total = 0;
  for (const p of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      total += m ? Number(m[1]) * 1024 : 0;
    } catch {
      /* it ended meanwhile */
    }
  }
  return total;
}

const TICKS_PER_SECOND = 100; // USER_HZ

/** CPU seconds (user + system) these processes have used so far. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* it ended meanwhile */
    }
  }
  return ticks / TICKS_PER_SECOND;
}
