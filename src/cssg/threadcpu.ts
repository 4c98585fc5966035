// CPU time of the calling thread, for the throughput bench's per-thread split (the pool's
// parent thread vs each worker vs V8's helper threads). process.cpuUsage() counts every
// thread of the process; Linux's /proc/thread-self/schedstat counts only the caller's
// (first field: nanoseconds on a CPU). Elsewhere, or if the file cannot be read: NaN.
import { readFileSync } from 'node:fs';

/** Seconds this thread has run on a CPU since it started (NaN where not available). */
export function threadCpuSeconds(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return NaN;
  }
}
