/**
 * Waiting for processes and ports to go away, by polling (no wall-clock assertions: the deadline
 * only turns a hang into a failure with a message).
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The PIDs whose parent is `pid` (procps `ps`). */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Resolves once `check` is true; rejects with `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${ms / 1000} s: ${what}`);
    await sleep(100);
  }
}

/** True when nothing accepts connections at http://endpoint any more. */
export async function closed(endpoint: string): Promise<boolean> {
  try {
    await fetch(`http://${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}
