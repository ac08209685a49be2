import process from "node:process";

/**
 * CPU time of processes over a phase, from /proc/<pid>/stat, so a benchmark
 * says who used the two cores: the generator, each service, MariaDB, Redis.
 */

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux this runs on. */
export const clockTicksPerSecond = 100;

/** utime + stime of a process in seconds, or undefined when it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces; fields after its ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Pids of running processes whose command name is one of `names` (e.g. mariadbd, redis-server). */
export function pidsByName(names: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  try {
    for (const entry of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      try {
        const comm = Deno.readTextFileSync(`/proc/${entry.name}/comm`).trim();
        if (names.includes(comm) && !found.has(comm)) found.set(comm, Number(entry.name));
      } catch { /* exited meanwhile */ }
    }
  } catch { /* no /proc: not Linux */ }
  return found;
}

/** CPU use over one phase, in % of one core, by process label. */
export type CpuShares = Record<string, number>;

export interface CpuMeter {
  /** CPU shares since the meter was started. */
  stop(): CpuShares;
}

/** Starts measuring `pids` (label → pid) and this process (`generator`). */
export function startCpuMeter(pids: ReadonlyMap<string, number>): CpuMeter {
  const wallStart = performance.now();
  const selfStart = process.cpuUsage();
  const start = new Map([...pids].map(([label, pid]) => [label, cpuSecondsOf(pid)]));
  return {
    stop() {
      const wallS = (performance.now() - wallStart) / 1000;
      const self = process.cpuUsage(selfStart);
      const share = (seconds: number) => Math.round(seconds / wallS * 1000) / 10;
      const shares: CpuShares = { generator: share((self.user + self.system) / 1e6) };
      for (const [label, pid] of pids) {
        const before = start.get(label);
        const after = cpuSecondsOf(pid);
        if (before !== undefined && after !== undefined) shares[label] = share(after - before);
      }
      return shares;
    },
  };
}

export function formatCpuShares(shares: CpuShares): string {
  return Object.entries(shares).map(([label, pct]) => `${label} ${pct.toFixed(0)}%`).join(", ");
}
