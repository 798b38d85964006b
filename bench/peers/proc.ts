import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/* What /proc says of a process: CPU seconds used so far (user + system) and resident memory now. Linux only. */

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** NaN once the process is gone. */
export function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return NaN;
  }
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

export function rssMb(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Samples a process's RSS every `everyMs` until stopped; gives the highest. */
export function rssPeak(pid: number, everyMs = 200): { stop: () => number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    // Once the process is gone (NaN) the peak so far stands.
    const now = rssMb(pid);
    if (Number.isFinite(now)) peak = Math.max(peak, now);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
