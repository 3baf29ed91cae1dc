import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident memory of a process tree: the sum of each live process's VmHWM. */
export interface PeakRss {
  readonly bytes: number;
  /** How many processes the sum covers (Apache and nginx run a parent and a worker). */
  readonly processes: number;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function highWaterMark(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants, read from /proc. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const result: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    result.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return result;
}

/**
 * Peak RSS of `pid` and its descendants (the `taskset` wrapper execs, so `pid` is the proxy).
 * VmHWM is kept by the kernel, so no sampling is needed: read it before stopping the process.
 */
export function peakRss(pid: number): PeakRss | undefined {
  const pids = tree(pid).filter((p) => highWaterMark(p) > 0);
  if (pids.length === 0) return undefined;
  return { bytes: pids.reduce((sum, p) => sum + highWaterMark(p), 0), processes: pids.length };
}
