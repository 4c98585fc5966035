// One memory bound for a whole sandbox: a memory cgroup per run.
//
// RLIMIT_DATA bounds each process, so a program that forks n children may use n times
// it. A cgroup bounds the sum: every process of the run (and the tmpfs pages they write)
// is charged to it, and the kernel's OOM killer stops the run at `bytes`.
//
//   cgroup v1  <memory mount>/<our cgroup>/batcoder-<pid>-<id>: memory.limit_in_bytes and, when
//              swap accounting is on, memory.memsw.limit_in_bytes = bytes (no swapping out
//              of the bound); peak = memory(.memsw).max_usage_in_bytes
//   cgroup v2  <unified mount>/<our cgroup>/batcoder-<pid>-<id>: memory.max = bytes,
//              memory.swap.max = 0; peak = memory.peak (kernel >= 5.19)
//
// A process joins by writing its pid to cgroup.procs before it execs the sandbox
// (`joinArgv`). Where neither hierarchy is writable (no root, no delegation) there is no
// cgroup and the sandbox falls back to per-process limits (see sandbox.ts).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemoryCgroup {
  dir: string;
  /** argv prefix that moves the command into this cgroup, then execs it */
  joinArgv: string[];
  /** highest memory use of the run so far in bytes, when the kernel reports it */
  peak(): number | null;
  /** kill whatever is left in it and remove it (retried for a while: exits are asynchronous) */
  remove(): void;
}

interface Hierarchy {
  version: 1 | 2;
  /** directory of this process's own cgroup, under which runs get theirs */
  base: string;
}

let cached: Hierarchy | null | undefined;

function ownPath(controller: string | null): string | null {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, ctrls, path] = line.split(':');
      if (path === undefined) continue;
      if (controller === null ? ctrls === '' : ctrls.split(',').includes(controller)) return path;
    }
  } catch {
    /* no /proc */
  }
  return null;
}

function tryCreate(h: Hierarchy, name: string, bytes: number): string | null {
  const dir = join(h.base, name);
  try {
    mkdirSync(dir);
  } catch {
    return null;
  }
  try {
    if (h.version === 1) {
      writeFileSync(join(dir, 'memory.limit_in_bytes'), String(bytes));
      if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(bytes));
    } else {
      writeFileSync(join(dir, 'memory.max'), String(bytes));
      if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
    }
    return dir;
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      /* leave it */
    }
    return null;
  }
}

/** The writable memory-cgroup hierarchy of this machine, or null (probed once). */
export function memoryHierarchy(): Hierarchy | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.BATCODER_NO_CGROUP) return cached;
  const candidates: Hierarchy[] = [];
  const v1 = ownPath('memory');
  if (v1 !== null && existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) candidates.push({ version: 1, base: join('/sys/fs/cgroup/memory', v1) });
  const v2 = ownPath(null);
  for (const mount of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    if (v2 !== null && existsSync(join(mount, 'cgroup.controllers'))) candidates.push({ version: 2, base: join(mount, v2) });
  }
  for (const h of candidates) {
    const dir = tryCreate(h, `batcoder-${process.pid}-probe`, 1 << 30);
    if (!dir) continue;
    try {
      rmdirSync(dir);
    } catch {
      /* removed later by removeStale */
    }
    cached = h;
    break;
  }
  if (cached) removeStale(cached);
  return cached;
}

/** Whether a process with this pid exists (EPERM: it exists but is not ours to signal). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes empty run cgroups left by a process that died before cleaning up. A run cgroup is
 * named after the pid of the process that made it (batcoder-<pid>-<id>): while that process
 * lives, its cgroups are left alone, even empty ones, since one may be waiting for its first
 * process to join (removing it then made that run fail: two test processes at once did).
 */
function removeStale(h: Hierarchy): void {
  try {
    for (const d of readdirSync(h.base)) {
      if (!d.startsWith('batcoder-')) continue;
      const owner = /^batcoder-(\d+)-/.exec(d);
      if (owner && alive(Number(owner[1]))) continue;
      try {
        rmdirSync(join(h.base, d)); // fails (and is kept) while processes remain in it
      } catch {
        /* in use */
      }
    }
  } catch {
    /* unreadable */
  }
}

function readNumber(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** A fresh cgroup bounding the total memory of one run at `bytes`, or null when unavailable. */
export function createMemoryCgroup(id: string, bytes: number): MemoryCgroup | null {
  const h = memoryHierarchy();
  if (!h) return null;
  const dir = tryCreate(h, `batcoder-${process.pid}-${id}`, bytes);
  if (!dir) return null;
  const procs = join(dir, 'cgroup.procs');
  const peakFiles = h.version === 1 ? ['memory.memsw.max_usage_in_bytes', 'memory.max_usage_in_bytes'] : ['memory.peak'];
  return {
    dir,
    joinArgv: ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', procs],
    peak: () => {
      for (const f of peakFiles) {
        const n = readNumber(join(dir, f));
        if (n !== null) return n;
      }
      return null;
    },
    remove: () => {
      let tries = 0;
      const attempt = () => {
        try {
          for (const pid of readFileSync(procs, 'utf8').split('\n').filter(Boolean)) {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              /* gone */
            }
          }
          rmdirSync(dir);
        } catch {
          if (++tries < 50 && existsSync(dir)) setTimeout(attempt, 100).unref();
        }
      };
      attempt();
    },
  };
}
