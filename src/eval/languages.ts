// How to run a whole program (prompt + completion + tests, already assembled) in each
// language, and how to read the outcome: exit 0 = passed; a syntax/build error =
// compile-error; out of memory or killed by a signal = crashed; any other failure
// (assertion, exception) = failed. A missing interpreter gives status 'skipped' with
// the reason "skipped: ruby not installed", never a failure.
import { existsSync, realpathSync } from 'node:fs';
import type { Lang } from '../lang/parser.js';
import { DEFAULT_TIMEOUT_MS } from '../data/benchmarks.js';
import { cacheDir, findTool, prefixOf, runSandboxed, sandboxUid, type RunOptions, type RunResult, type RunSpec } from './sandbox.js';

export interface ExecLimits {
  timeoutMs?: number;
  memoryBytes?: number;
  outputCapBytes?: number;
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
 * `go test` beside a go.mod (`extraFiles` may replace it and add local modules).
 */
export function programSpec(lang: Lang, program: string, limits: ExecLimits, opts: RunOptions, extraFiles: Record<string, string> = {}): RunSpec {
  const t = findInterpreter(lang);
  if (!t.bin) throw new Error(unavailable(lang)!);
  const ro = [prefixOf(t.bin)].filter((x): x is string => x !== null);
  const base = {
    timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS[lang],
    memoryBytes: limits.memoryBytes,
    outputCapBytes: limits.outputCapBytes,
    readOnlyDirs: ro,
  };
  switch (lang) {
    case 'python':
      return { ...base, files: { ...extraFiles, 'prog.py': program }, argv: [t.bin, '-I', 'prog.py'] };
    case 'ruby':
      return { ...base, files: { ...extraFiles, 'prog.rb': program }, argv: [t.bin, 'prog.rb'] };
    case 'javascript':
      return { ...base, files: { ...extraFiles, 'prog.js': program }, argv: [t.bin, 'prog.js'] };
    case 'go': {
      // A warm build cache makes `go test` ~5x faster; it lives outside the temp dir,
      // one per sandbox uid, and is the only writable path shared between programs.
      const gocache = cacheDir('go-build', sandboxUid(opts));
      return {
        ...base,
        files: { 'go.mod': 'module sandbox\n\ngo 1.18\n', ...extraFiles, 'prog_test.go': program },
        argv: [t.bin, 'test', '-count=1', './...'],
        writableDirs: [gocache],
        env: {
          GOCACHE: gocache,
          GOPATH: '/tmp/gopath',
          GOFLAGS: '-mod=mod',
          GOPROXY: 'off',
          GO111MODULE: 'on',
          GOTOOLCHAIN: 'local',
          GOTELEMETRY: 'off',
          CGO_ENABLED: '0',
          GOENV: 'off',
        },
      };
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
        if (at >= 0 && !/prog\.js:\d+:\d+/.test(err.slice(at))) status = 'compile-error';
      }
      if (status === 'compile-error') break;
      if (/JavaScript heap out of memory|Array buffer allocation failed|Cannot allocate memory/.test(err)) status = 'crashed';
      break;
  }
  return { ...r, status };
}

/** Runs one assembled program; 'skipped' (never failed) when the interpreter is missing. */
export async function runProgram(lang: Lang, program: string, limits: ExecLimits = {}, opts: RunOptions = {}, extraFiles?: Record<string, string>): Promise<RunResult> {
  const why = unavailable(lang);
  if (why) return { status: 'skipped', exitCode: null, signal: null, stdout: '', stderrTail: why, ms: 0, sandboxId: '', workDir: '' };
  return classify(lang, await runSandboxed(programSpec(lang, program, limits, opts, extraFiles), opts));
}
