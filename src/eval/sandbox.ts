// Sandboxed execution of untrusted (model-written) programs.
//
// Each program runs as its own process tree in a fresh temporary directory that is
// removed afterwards. Containment is built from standard tools, strongest available first:
//
//   setpriv   (as root) drop to an unprivileged uid: the program cannot write the
//             project or anything else owned by root, and RLIMIT_NPROC (which the
//             kernel never enforces for uid 0) bounds a fork bomb.
//   bwrap     a read-only view of /usr, /etc and the interpreter's prefix only (the
//             project, /root, /home, /work are simply not there), a private /tmp, the
//             temp dir bound at /sandbox, and new user/pid/net/ipc/uts namespaces. The
//             pid namespace means killing bwrap kills every descendant, even ones that
//             called setsid().
//   unshare   fallback without bwrap: `unshare -m -n -p -f --kill-child` (plus -r as a
//             user) running the jail of jail.ts: the same view of the filesystem bwrap
//             gives (system dirs read-only, the run's dir at /sandbox, private sized
//             /tmp, /var/tmp, /dev/shm), no network, own pid namespace.
//   refused   neither works: untrusted code is not run (an error says how to install
//             bubblewrap) unless the user opts in with --unsafe-no-sandbox
//             ($BATCODER_UNSAFE_NO_SANDBOX=1); then it runs as-is, isolation 'none'.
//   cgroup    one memory bound for the whole run, all processes and tmpfs pages
//             together (cgroup.ts), where a memory cgroup hierarchy is writable.
//   prlimit   RLIMIT_DATA (memory: counts private writable mappings, so it does not
//             break Go's or V8's large PROT_NONE reservations the way RLIMIT_AS does),
//             RLIMIT_NPROC, RLIMIT_FSIZE, RLIMIT_CORE=0. Without a cgroup, RLIMIT_DATA x
//             RLIMIT_NPROC is the only (stated, loose) bound on the run's memory.
//
// On top of that the parent enforces the wall-clock timeout (SIGKILL to the whole process
// group) and an output cap (stdout+stderr bytes; the program is killed when it exceeds it).
// What could not be set up is listed in `sandboxInfo().warnings` and printed by the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createMemoryCgroup, memoryHierarchy } from './cgroup.js';
import { jailArgv } from './jail.js';

export type RunStatus = 'passed' | 'failed' | 'timeout' | 'compile-error' | 'crashed' | 'skipped';

/** One program to run: files written into the temp dir, then `argv` run there. */
export interface RunSpec {
  /** file name (relative, no '..') -> contents */
  files: Record<string, string>;
  /** written to the program's stdin, which is then closed (default: no stdin) */
  stdin?: string;
  /** command; argv[0] must be an absolute path (see `findTool`) */
  argv: string[];
  /** extra environment for the program (PATH, HOME, TMPDIR, LANG are set by the sandbox) */
  env?: Record<string, string>;
  /** writable directories bound into the sandbox at the same path (e.g. the Go build cache) */
  writableDirs?: string[];
  /** read-only directories the program needs beyond /usr and /etc (e.g. an interpreter prefix) */
  readOnlyDirs?: string[];
  timeoutMs?: number;
  /** the run's memory bound in bytes: the cgroup limit of the whole run, and RLIMIT_DATA of each process */
  memoryBytes?: number;
  /** size of each private tmpfs (/tmp, /dev/shm, /var/tmp) */
  tmpBytes?: number;
  /** stdout + stderr bytes kept before the program is killed */
  outputCapBytes?: number;
  /** maximum processes+threads of the sandbox uid */
  maxProcs?: number;
}

export interface RunResult {
  /** passed = exit 0; failed = nonzero exit; the language layer refines failed into compile-error / crashed */
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  /** why the sandbox stopped it: 'timeout' | 'output-limit' | undefined */
  killedBy?: 'timeout' | 'output-limit';
  stdout: string;
  /** last part of stderr (at most `tailBytes`) */
  stderrTail: string;
  ms: number;
  /** random marker put into the environment of the program (BATCODER_SANDBOX_ID): lets tests find leftovers */
  sandboxId: string;
  /** the temporary directory the program ran in (already removed) */
  workDir: string;
  /** highest memory use of the whole run (cgroup accounting), when measured */
  peakMemoryBytes?: number;
}

export const DEFAULT_LIMITS = {
  timeoutMs: 10_000,
  memoryBytes: 2 * 1024 ** 3,
  outputCapBytes: 1 << 20,
  maxProcs: 256,
  tmpBytes: 256 * 1024 ** 2,
  tailBytes: 4096,
};

export interface SandboxInfo {
  root: boolean;
  bwrap: string | null;
  unshare: string | null;
  setpriv: string | null;
  prlimit: string | null;
  /**
   * how programs are isolated: 'bwrap'; 'unshare' (the jail of jail.ts); 'refused' (neither
   * works: runSandboxed throws `refusal`); 'none' (neither works and the user passed
   * --unsafe-no-sandbox: programs see and may change everything you can)
   */
  isolation: 'bwrap' | 'unshare' | 'refused' | 'none';
  /** how the network is cut: 'bwrap' | 'unshare' | 'none' */
  network: 'bwrap' | 'unshare' | 'none';
  /** 'private' (only system dirs and the run's own dir are visible) | 'none' (the real filesystem) */
  filesystem: 'private' | 'none';
  /** 'cgroup' (one bound for the whole run) | 'rlimit' (per process: RLIMIT_DATA x RLIMIT_NPROC) */
  memory: 'cgroup' | 'rlimit';
  /** the error for 'refused' */
  refusal?: string;
  warnings: string[];
}

/** One line for the CLI: which isolation runs the programs. */
export function describeIsolation(info: SandboxInfo = sandboxInfo()): string {
  const how = {
    bwrap: 'bubblewrap (private filesystem view, no network, own pid namespace)',
    unshare: 'unshare jail (no bubblewrap: private filesystem view, no network, own pid namespace)',
    refused: 'none available: refusing to run untrusted code',
    none: 'NONE (--unsafe-no-sandbox): programs run with your files and network',
  }[info.isolation];
  const mem = info.memory === 'cgroup' ? 'memory bound per run (cgroup)' : `memory bound per process only (RLIMIT_DATA x ${DEFAULT_LIMITS.maxProcs} processes)`;
  return `${how}; ${mem}${info.root && info.setpriv ? '; unprivileged uid' : ''}`;
}

/** Lets programs run without isolation when no sandbox works (the CLI's --unsafe-no-sandbox). */
export function allowUnsandboxed(): void {
  process.env.BATCODER_UNSAFE_NO_SANDBOX = '1';
  cachedInfo = undefined;
}

const REFUSAL =
  'no sandbox available: bubblewrap (bwrap) is not installed or cannot create namespaces, and `unshare -m -n -p` is not permitted here, ' +
  'so model-written code would run with your files and network. Install bubblewrap (tools/setup.sh --eval, or apt-get install bubblewrap) ' +
  'or, on a machine you do not mind exposing, pass --unsafe-no-sandbox';

/** Absolute path of an executable on PATH (or in the usual system dirs), or null. */
export function findTool(name: string, preferSystem = false): string | null {
  const sys = ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin'];
  const path = (process.env.PATH ?? '').split(':').filter(Boolean);
  const dirs = preferSystem ? [...sys, ...path] : [...path, ...sys];
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      if (lstatSync(p).isDirectory()) continue;
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

function probe(argv: string[]): boolean {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

let cachedInfo: SandboxInfo | undefined;

function unshareArgs(root: boolean): string[] {
  return [...(root ? [] : ['-r']), '-m', '-n', '-p', '-f', '--kill-child', '--'];
}

/** Whether the jail of jail.ts can be built here (one real try with /bin/true). */
function probeJail(unshare: string, root: boolean): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'batcoder-probe-'));
  try {
    const r = spawnSync(unshare, [...unshareArgs(root), ...jailArgv(dir, 1 << 20, [], []), '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 ? null : (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop()!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Detects (once) which containment tools work on this machine. */
export function sandboxInfo(): SandboxInfo {
  if (cachedInfo) return cachedInfo;
  const root = process.getuid?.() === 0;
  const warnings: string[] = [];
  let setpriv = root ? findTool('setpriv', true) : null;
  if (setpriv && !probe([setpriv, `--reuid=${SANDBOX_UID_BASE}`, `--regid=${SANDBOX_UID_BASE}`, '--clear-groups', '--inh-caps=-all', '--', '/bin/true'])) {
    warnings.push('setpriv cannot change uid here (no CAP_SETUID?)');
    setpriv = null;
  }
  const prlimit = findTool('prlimit', true);
  let bwrap = process.env.BATCODER_NO_BWRAP ? null : findTool('bwrap', true);
  let unshare = process.env.BATCODER_NO_UNSHARE ? null : findTool('unshare', true);
  const uidArgs = root && setpriv ? [setpriv, `--reuid=${SANDBOX_UID_BASE}`, `--regid=${SANDBOX_UID_BASE}`, '--clear-groups', '--'] : [];
  if (bwrap && !probe([...uidArgs, bwrap, '--unshare-all', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '/bin/true'])) {
    warnings.push('bwrap is installed but cannot create namespaces here (user namespaces disabled?): trying the unshare jail');
    bwrap = null;
  }
  let isolation: SandboxInfo['isolation'] = 'bwrap';
  if (!bwrap) {
    const why = process.env.BATCODER_NO_BWRAP ? 'bubblewrap disabled by BATCODER_NO_BWRAP' : 'bubblewrap (bwrap) not usable';
    const jailError = unshare ? probeJail(unshare, root) : 'util-linux unshare not found (or disabled by BATCODER_NO_UNSHARE)';
    if (jailError === null) {
      isolation = 'unshare';
      warnings.push(`${why}: using the unshare jail instead (same filesystem view; install bubblewrap for the tested path: tools/setup.sh --eval)`);
    } else {
      unshare = null;
      isolation = process.env.BATCODER_UNSAFE_NO_SANDBOX ? 'none' : 'refused';
      warnings.push(`${why}, and the unshare jail failed: ${jailError}`);
      if (isolation === 'none') warnings.push('--unsafe-no-sandbox: programs run WITHOUT isolation (your files, your network)');
    }
  }
  if (root && !setpriv) warnings.push('setpriv not found: programs run as root inside the sandbox (no fork-bomb limit)');
  if (!prlimit) warnings.push('prlimit not found: no per-process memory or process limits');
  const memory = memoryHierarchy() ? 'cgroup' : 'rlimit';
  if (memory === 'rlimit') warnings.push(`no writable memory cgroup: the memory bound is per process (RLIMIT_DATA), so a run may use up to ${DEFAULT_LIMITS.maxProcs} times it`);
  const network = bwrap ? 'bwrap' : isolation === 'unshare' ? 'unshare' : 'none';
  const filesystem = isolation === 'bwrap' || isolation === 'unshare' ? 'private' : 'none';
  cachedInfo = { root, bwrap, unshare, setpriv, prlimit, isolation, network, filesystem, memory, refusal: isolation === 'refused' ? REFUSAL : undefined, warnings };
  return cachedInfo;
}

/** Base uid for sandboxed programs when running as root (not in /etc/passwd; any free uid works). */
export const SANDBOX_UID_BASE = 64000;

/** Directories bwrap binds read-only: the system, plus whatever an interpreter outside /usr needs. */
function systemBinds(extraRo: string[]): string[] {
  const args: string[] = ['--ro-bind', '/usr', '/usr'];
  for (const d of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const st = lstatSync(d);
      if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(d), d);
      else if (st.isDirectory()) args.push('--ro-bind', d, d);
    } catch {
      /* absent */
    }
  }
  args.push('--ro-bind', '/etc', '/etc');
  for (const d of extraRo) if (!d.startsWith('/usr/') && existsSync(d)) args.push('--ro-bind', d, d);
  return args;
}

/** Count of processes (and threads) owned by `uid` right now; a non-root NPROC limit must exceed it. */
function processesOf(uid: number): number {
  let n = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /^Uid:\s+(\d+)/m.exec(status);
      const t = /^Threads:\s+(\d+)/m.exec(status);
      if (m && Number(m[1]) === uid) n += t ? Number(t[1]) : 1;
    } catch {
      /* gone */
    }
  }
  return n;
}

/** Pids of live processes whose environment carries this sandbox id (for leak checks). */
export function liveProcesses(sandboxId: string): number[] {
  const out: number[] = [];
  const needle = `BATCODER_SANDBOX_ID=${sandboxId}`;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/environ`, 'latin1').includes(needle)) out.push(Number(p));
    } catch {
      /* gone or not ours */
    }
  }
  return out;
}

export interface RunOptions {
  /** which uid offset (slot) to use when root: parallel slots get distinct uids so one fork bomb cannot starve another */
  slot?: number;
  /** uid base when root (default SANDBOX_UID_BASE) */
  uidBase?: number;
}

/** Ensure a directory exists and is owned by `uid` (root only). */
export function ownedDir(path: string, uid: number | null): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (uid !== null) chownSync(path, uid, uid);
  return path;
}

/** The uid programs run as (null when not dropping privileges). */
export function sandboxUid(opts: RunOptions = {}): number | null {
  const info = sandboxInfo();
  return info.root && info.setpriv ? (opts.uidBase ?? SANDBOX_UID_BASE) + (opts.slot ?? 0) : null;
}

/** Run one program in the sandbox. Never throws for anything the program does. */
export function runSandboxed(spec: RunSpec, opts: RunOptions = {}): Promise<RunResult> {
  const info = sandboxInfo();
  const timeoutMs = spec.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const memory = spec.memoryBytes ?? DEFAULT_LIMITS.memoryBytes;
  const cap = spec.outputCapBytes ?? DEFAULT_LIMITS.outputCapBytes;
  if (info.isolation === 'refused') throw new Error(info.refusal);
  const tmpBytes = spec.tmpBytes ?? DEFAULT_LIMITS.tmpBytes;
  const uid = sandboxUid(opts);
  const sandboxId = randomBytes(8).toString('hex');

  const dir = mkdtempSync(join(tmpdir(), 'batcoder-run-'));
  if (uid !== null) chownSync(dir, uid, uid);
  for (const [name, text] of Object.entries(spec.files)) {
    if (name.startsWith('/') || name.split(/[\\/]/).includes('..')) throw new Error(`sandbox: bad file name '${name}'`);
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    if (uid !== null) chownSync(p, uid, uid);
  }

  const jailed = info.isolation === 'bwrap' || info.isolation === 'unshare';
  if (!jailed) {
    mkdirSync(join(dir, '.tmp'));
    if (uid !== null) chownSync(join(dir, '.tmp'), uid, uid);
  }
  // In a jail the temp dir is /sandbox; unsandboxed the program sees the real path.
  const work = jailed ? '/sandbox' : dir;
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: work,
    // not the work dir itself: Go ignores a go.mod that sits in the temp root
    TMPDIR: jailed ? '/tmp' : join(work, '.tmp'),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
    ...spec.env,
    BATCODER_SANDBOX_ID: sandboxId,
  };

  let maxProcs = spec.maxProcs ?? DEFAULT_LIMITS.maxProcs;
  // As a non-root user RLIMIT_NPROC counts all of our processes, so add what already runs.
  if (!info.root) maxProcs += processesOf(process.getuid?.() ?? 0);
  const limits = info.prlimit
    ? [info.prlimit, `--data=${memory}`, `--nproc=${maxProcs}`, `--fsize=${Math.max(cap, 64 << 20)}`, '--core=0', '--']
    : [];

  let argv: string[];
  if (info.bwrap) {
    const size = ['--size', String(tmpBytes)];
    const bw = [info.bwrap, '--unshare-all', '--die-with-parent', '--new-session', ...systemBinds(spec.readOnlyDirs ?? []),
      '--dev', '/dev', ...size, '--tmpfs', '/dev/shm', '--proc', '/proc', ...size, '--tmpfs', '/tmp', '--bind', dir, '/sandbox'];
    for (const w of spec.writableDirs ?? []) bw.push('--bind', w, w);
    bw.push('--chdir', '/sandbox', '--clearenv');
    for (const [k, v] of Object.entries(env)) bw.push('--setenv', k, v);
    bw.push('--');
    const drop = uid !== null ? [info.setpriv!, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--'] : [];
    argv = [...drop, ...bw, ...limits, ...spec.argv];
  } else {
    const ro = (spec.readOnlyDirs ?? []).filter((d) => existsSync(d));
    const ns = info.isolation === 'unshare' ? [info.unshare!, ...unshareArgs(info.root), ...jailArgv(dir, tmpBytes, ro, spec.writableDirs ?? [])] : [];
    const drop = uid !== null ? [info.setpriv!, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--'] : [];
    argv = [...ns, ...drop, ...limits, ...spec.argv];
  }
  const cgroup = createMemoryCgroup(sandboxId, memory);
  if (cgroup) argv = [...cgroup.joinArgv, ...argv];

  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: dir,
      env: info.bwrap ? { PATH: env.PATH } : env,
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] as ('ignore' | 'pipe')[],
      detached: true, // own process group: the timeout kills all of it
    });
    if (spec.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // the program may exit without reading it
      child.stdin.end(spec.stdin);
    }
    let outBytes = 0;
    const stdout: Buffer[] = [];
    let stderr: Buffer[] = [];
    let stderrBytes = 0;
    let killedBy: RunResult['killedBy'];
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      killedBy ??= 'timeout';
      kill();
    }, timeoutMs);
    const onData = (buf: Buffer, which: 'out' | 'err') => {
      outBytes += buf.length;
      if (outBytes > cap) {
        if (!killedBy) {
          killedBy = 'output-limit';
          kill();
        }
        return;
      }
      if (which === 'out') stdout.push(buf);
      else {
        stderr.push(buf);
        stderrBytes += buf.length;
        if (stderrBytes > 4 * DEFAULT_LIMITS.tailBytes) {
          const all = Buffer.concat(stderr);
          stderr = [all.subarray(all.length - DEFAULT_LIMITS.tailBytes)];
          stderrBytes = stderr[0].length;
        }
      }
    };
    child.stdout!.on('data', (b: Buffer) => onData(b, 'out'));
    child.stderr!.on('data', (b: Buffer) => onData(b, 'err'));
    let settled = false;
    const finish = (code: number | null, sig: NodeJS.Signals | null, spawnError?: Error) => {
      let signal: string | null = sig;
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      kill(); // anything left in the group (without a pid namespace, background children)
      const peakMemoryBytes = cgroup?.peak() ?? undefined;
      cgroup?.remove();
      rmSync(dir, { recursive: true, force: true });
      const errAll = Buffer.concat(stderr).toString('utf8');
      let stderrTail = errAll.length > DEFAULT_LIMITS.tailBytes ? errAll.slice(-DEFAULT_LIMITS.tailBytes) : errAll;
      if (spawnError) stderrTail += `\nsandbox: cannot start ${argv[0]}: ${spawnError.message}`;
      let status: RunStatus;
      if (killedBy === 'timeout') status = 'timeout';
      else if (killedBy === 'output-limit') {
        status = 'crashed';
        stderrTail += `\nsandbox: output limit of ${cap} bytes exceeded`;
      } else if (signal || spawnError) status = 'crashed';
      else if (code === 0) status = 'passed';
      else if (code !== null && code > 128 && code < 128 + 65) {
        // bwrap / unshare report a signalled child as 128 + signal number
        status = 'crashed';
        signal = `signal ${code - 128}`;
      } else status = 'failed';
      done({
        status,
        exitCode: code,
        signal,
        killedBy,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderrTail,
        ms: performance.now() - t0,
        sandboxId,
        workDir: dir,
        peakMemoryBytes,
      });
    };
    child.on('error', (e) => finish(null, null, e));
    child.on('close', (code, signal) => finish(code, signal));
    // Without a pid namespace a daemonised grandchild can escape the process group and keep
    // the pipes open, so 'close' would never come: once the program itself has exited (or
    // the deadline has passed), stop waiting for its output after a grace period.
    const giveUp = (code: number | null, signal: NodeJS.Signals | null) => {
      setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish(code, signal);
      }, 1000).unref();
    };
    child.on('exit', (code, signal) => giveUp(code, signal));
    setTimeout(() => giveUp(null, 'SIGKILL'), timeoutMs + 2000).unref();
  });
}

/** Runs jobs with at most `parallel` in flight; slot numbers are stable per worker (distinct uids). */
export async function mapParallel<T, R>(items: readonly T[], parallel: number, fn: (item: T, slot: number, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, async (_, slot) => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], slot, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Directory (outside any sandbox temp dir) for caches that outlive one program, e.g. Go's build cache. */
export function cacheDir(name: string, uid: number | null): string {
  const base = resolve(process.env.BATCODER_SANDBOX_CACHE ?? join(tmpdir(), `batcoder-sandbox-cache-${process.getuid?.() ?? 0}`));
  mkdirSync(base, { recursive: true, mode: 0o711 });
  return ownedDir(join(base, `${name}-${uid ?? 'self'}`), uid);
}

/** The installation prefix of an interpreter outside /usr (e.g. /opt/python3.12), for a read-only bind. */
export function prefixOf(binary: string): string | null {
  let real: string;
  try {
    real = realpathSync(binary);
  } catch {
    return null;
  }
  if (real.startsWith('/usr' + sep) || real.startsWith('/bin/')) return null;
  return dirname(dirname(real));
}
