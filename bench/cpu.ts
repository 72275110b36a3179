// CPU time a process has used so far, from /proc/<pid>/stat: the steadier measure on a shared box,
// where wall time mostly says who else was running.
import fs from 'node:fs';

/** Clock ticks per second for /proc's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of `pid` so far, or NaN if it cannot be read (gone, not Linux). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined || pid <= 0) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name and state.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds each named process used while `run` ran. */
export async function cpuDuring<T>(pids: Record<string, number | undefined>, run: () => Promise<T>): Promise<{ value: T; cpu: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const value = await run();
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) - (before[k] ?? Number.NaN)]));
  return { value, cpu };
}
