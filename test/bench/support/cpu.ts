/**
 * CPU time spent by this process, by a child server, and by the rest of the
 * machine, to tell where a run's time goes (client or server side) and how
 * noisy the machine was. Linux (/proc) for everything but this process;
 * undefined elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/** /proc reports in USER_HZ clock ticks, 100 per second on Linux. */
const USER_HZ = 100;

export async function processCpuMicros(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1e6) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/** Busy CPU time of the whole machine (all CPUs together), from /proc/stat. */
export async function machineBusyMicros(): Promise<number | undefined> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    // "cpu user nice system idle iowait irq softirq steal ...": busy is all but idle and iowait.
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/u).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, v) => sum + (v ?? NaN), 0);
    return Number.isFinite(busy) ? (busy * 1e6) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

export async function pidFromFile(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export interface CpuSample {
  at: number;
  self: NodeJS.CpuUsage;
  other: number | undefined;
  machine: number | undefined;
}

export async function sampleCpu(otherPid: number | undefined): Promise<CpuSample> {
  const other = otherPid === undefined ? undefined : await processCpuMicros(otherPid);
  const machine = await machineBusyMicros();
  return { at: performance.now(), self: process.cpuUsage(), other, machine };
}

export interface CpuUsed {
  /** CPU microseconds of this process. */
  self: number;
  /** CPU microseconds of the other process (the server). */
  other: number | undefined;
  /** Cores kept busy on average by everything else on the machine: noise in the figures. */
  restCores: number | undefined;
}

/** CPU used since `start`: by this process, by the other one, and by the rest of the machine. */
export async function cpuSince(start: CpuSample, otherPid: number | undefined): Promise<CpuUsed> {
  const now = await sampleCpu(otherPid);
  const used = process.cpuUsage(start.self);
  const self = used.user + used.system;
  const other = now.other !== undefined && start.other !== undefined ? now.other - start.other : undefined;
  const machine = now.machine !== undefined && start.machine !== undefined ? now.machine - start.machine : undefined;
  const wallMicros = (now.at - start.at) * 1000;
  const rest =
    machine !== undefined && other !== undefined && wallMicros > 0
      ? Math.max(0, machine - self - other) / wallMicros
      : undefined;
  return { self, other, restCores: rest };
}
