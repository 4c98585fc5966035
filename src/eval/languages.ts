// How to run a program in each language, and how to read the outcome.
//
// A CheckedProgram (solution + tests, see drivers.ts) is judged by the pass protocol:
// passed = exit status 0 AND the run's nonce on stdout, printed by the trusted driver
// only after every test ran and passed. A plain string is a whole program judged by its
// exit status alone: fine for trusted code (bench, the hostile probes), never a verdict
// on a completion. Either way: a syntax/build error = compile-error; out of memory or
// killed by a signal = crashed; any other failure (assertion, exception, no nonce) =
// failed. A missing interpreter gives status 'skipped' with the reason
// "skipped: ruby not installed", never a failure.
import { existsSync, realpathSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Lang } from '../lang/parser.js';
import { DEFAULT_TIMEOUT_MS } from '../data/benchmarks.js';
import { DRIVER_FILES, goDriver, goPackage, type CheckedProgram } from './drivers.js';
import { cacheDir, findTool, prefixOf, runSandboxed, sandboxUid, type RunOptions, type RunResult, type RunSpec } from './sandbox.js';

export interface ExecLimits {
  timeoutMs?: number;
  /** bound on the whole run's memory (see RunSpec.memoryBytes) */
  memoryBytes?: number;
  outputCapBytes?: number;
  /** size of each private tmpfs */
  tmpBytes?: number;
}


interface Tool {
  name: string;
  bin: string | null;
  /** apt package that provides it, for the skip message */
  pkg: string;
}

const toolCache = new Map<Lang, Tool>();

function findInterpreter(lang: Lang): Tool {
  let t = toolCache.get(lang);
  if (t) return t;
  switch (lang) {
    case 'python':
      // Prefer the system python over version-manager shims (pyenv's are shell scripts under /root).
      t = { name: 'python3', bin: process.env.BATCODER_PYTHON ?? findTool('python3', true), pkg: 'python3' };
      break;
    case 'ruby':
      t = { name: 'ruby', bin: process.env.BATCODER_RUBY ?? findTool('ruby', true), pkg: 'ruby' };
      break;
    case 'go':
      t = { name: 'go', bin: process.env.BATCODER_GO ?? findTool('go', true), pkg: 'golang-go' };
      break;
    case 'javascript':
      t = { name: 'node', bin: process.execPath, pkg: 'nodejs' };
      break;
  }
  if (t.bin && existsSync(t.bin)) t.bin = realpathSync(t.bin);
  else t.bin = null;
  toolCache.set(lang, t);
  return t;
}

/** null when the language can run here, else the skip reason ("skipped: ruby not installed"). */
export function unavailable(lang: Lang): string | null {
  const t = findInterpreter(lang);
  return t.bin ? null : `skipped: ${t.name} not installed (apt-get install ${t.pkg}, or tools/setup.sh --eval)`;
}

/**
 * Which files and command run `program` in `lang`. Go programs are `_test.go` files run by
 * `go test` beside a go.mod (`extraFiles` may replace it and add local modules). With a
 * `nonce`, `program` must be a CheckedProgram: the trusted driver runs it and gets the
 * nonce on stdin (drivers.ts).
 */
export function programSpec(lang: Lang, program: string | CheckedProgram, limits: ExecLimits, opts: RunOptions, extraFiles: Record<string, string> = {}, nonce?: string): RunSpec {
  const t = findInterpreter(lang);
  if (!t.bin) throw new Error(unavailable(lang)!);
  const ro = [prefixOf(t.bin)].filter((x): x is string => x !== null);
  const base = {
    timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS[lang],
    memoryBytes: limits.memoryBytes,
    outputCapBytes: limits.outputCapBytes,
    tmpBytes: limits.tmpBytes,
    readOnlyDirs: ro,
  };
  if (typeof program !== 'string' && nonce === undefined) throw new Error('programSpec: a checked program needs a nonce');
  const stdin = nonce === undefined ? undefined : `${nonce}\n`;
  const entry = typeof program === 'string' ? [] : [program.entry ?? ''];
  if (lang !== 'go' && typeof program !== 'string') {
    const d = DRIVER_FILES[lang];
    const files = { ...extraFiles, [d.driver]: d.text, [d.solution]: program.code, [d.tests]: program.tests };
    const flags = lang === 'python' ? ['-I'] : [];
    return { ...base, files, stdin, argv: [t.bin, ...flags, d.driver, ...entry] };
  }
  switch (lang) {
    case 'python':
      return { ...base, files: { ...extraFiles, 'prog.py': program as string }, argv: [t.bin, '-I', 'prog.py'] };
    case 'ruby':
      return { ...base, files: { ...extraFiles, 'prog.rb': program as string }, argv: [t.bin, 'prog.rb'] };
    case 'javascript':
      return { ...base, files: { ...extraFiles, 'prog.js': program as string }, argv: [t.bin, 'prog.js'] };
    case 'go': {
      // A warm build cache makes `go test` ~5x faster; it lives outside the temp dir,
      // one per sandbox uid, and is the only writable path shared between programs.
      const gocache = cacheDir('go-build', sandboxUid(opts));
      const env = {
        GOCACHE: gocache,
        GOPATH: '/tmp/gopath',
        GOFLAGS: '-mod=mod',
        GOPROXY: 'off',
        GO111MODULE: 'on',
        GOTOOLCHAIN: 'local',
        GOTELEMETRY: 'off',
        CGO_ENABLED: '0',
        GOENV: 'off',
      };
      const files: Record<string, string> = { 'go.mod': 'module sandbox\n\ngo 1.18\n', ...extraFiles };
      if (typeof program === 'string') {
        files['prog_test.go'] = program;
        return { ...base, files, argv: [t.bin, 'test', '-count=1', './...'], writableDirs: [gocache], env };
      }
      // Checked: build the test binary with the harness's TestMain beside the program, delete
      // the sources, then run the binary itself (go test would not pass it our stdin).
      const code = program.tests ? `${program.code}\n${program.tests}` : program.code;
      files['prog_test.go'] = code;
      files['zz_batcoder_driver_test.go'] = goDriver(goPackage(code));
      const script = '"$0" test -c -o prog.test . && rm -f -- *.go && exec ./prog.test';
      return { ...base, files, stdin, argv: ['/bin/sh', '-c', script, t.bin], writableDirs: [gocache], env };
    }
  }
}

/** Refines the sandbox's passed/failed into compile-error / crashed from what the toolchain printed. */
export function classify(lang: Lang, r: RunResult): RunResult {
  if (r.status !== 'failed') return r;
  const err = r.stderrTail;
  const out = r.stdout;
  const lastLine = err.trim().split('\n').pop() ?? '';
  let status: RunResult['status'] = 'failed';
  switch (lang) {
    case 'python':
      if (/^(SyntaxError|IndentationError|TabError)\b/.test(lastLine)) status = 'compile-error';
      else if (/^MemoryError\b/.test(lastLine)) status = 'crashed';
      break;
    case 'ruby':
      if (/: syntax errors? found|syntax error, |\(SyntaxError\)/.test(err)) status = 'compile-error';
      else if (/NoMemoryError|failed to allocate memory/.test(err)) status = 'crashed';
      break;
    case 'go':
      if (/\[(build|setup) failed\]/.test(out + err) || /^# sandbox/m.test(err)) status = 'compile-error';
      else if (/fatal error: runtime: out of memory|cannot allocate memory/.test(out + err)) status = 'crashed';
      break;
    case 'javascript':
      {
        // A load-time SyntaxError has no stack frame inside prog.js; JSON.parse's has.
        const at = err.search(/^SyntaxError: /m);
        if (at >= 0 && !/(prog|solution|tests)\.js:\d+:\d+/.test(err.slice(at))) status = 'compile-error';
      }
      if (status === 'compile-error') break;
      if (/JavaScript heap out of memory|Array buffer allocation failed|Cannot allocate memory/.test(err)) status = 'crashed';
      break;
  }
  return { ...r, status };
}

/** Line the sandbox adds to stderrTail when a checked program exited 0 without its nonce. */
export const NO_NONCE = 'harness: exited 0 without the pass marker, so its tests did not all run (early exit or tampering)';

/**
 * Runs one program; 'skipped' (never failed) when the interpreter is missing. A
 * CheckedProgram passes only by the pass protocol (exit 0 and this run's nonce on stdout);
 * the nonce line is removed from the returned stdout.
 */
export async function runProgram(lang: Lang, program: string | CheckedProgram, limits: ExecLimits = {}, opts: RunOptions = {}, extraFiles?: Record<string, string>): Promise<RunResult> {
  const why = unavailable(lang);
  if (why) return { status: 'skipped', exitCode: null, signal: null, stdout: '', stderrTail: why, ms: 0, sandboxId: '', workDir: '' };
  if (typeof program === 'string') return classify(lang, await runSandboxed(programSpec(lang, program, limits, opts, extraFiles), opts));
  const nonce = randomBytes(16).toString('hex');
  const r = classify(lang, await runSandboxed(programSpec(lang, program, limits, opts, extraFiles, nonce), opts));
  const marked = r.stdout.includes(nonce);
  const stdout = r.stdout.split(`\n${nonce}\n`).join('').split(nonce).join('');
  if (r.status === 'passed' && !marked) return { ...r, stdout, status: 'failed', stderrTail: `${r.stderrTail}\n${NO_NONCE}` };
  return { ...r, stdout };
}
