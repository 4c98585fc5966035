// Benchmark loaders behind one interface (data: src/eval runs them, never the reverse). Files come from ../shared/datasets (see its
// README): they are read in place, never copied into the repository.
//
//   humaneval      164 Python problems; program = prompt + completion + test + check(entry_point)
//   mbpp           the official 500-problem test split (task_id 11..510); the completion is a
//                  whole function; program = prompt + completion + setup + asserts. The setup
//                  code runs AFTER the completion: task 367's setup builds trees with the
//                  completion's Node class, so setup-first harnesses get 499/500.
//   mbpp-full      all 974 problems of the original release
//   mbpp-sanitized the 427 hand-checked problems (with their test_imports)
//   multipl-e-rb   161 HumanEval problems in Ruby (Test::Unit), EVALUATION ONLY
//   multipl-e-go   154 in Go (`go test`); HumanEval_87_get_row's tests do not compile, so
//                  153/154 is the ceiling. EVALUATION ONLY
//   humaneval-x-js the 164 HumanEval problems hand-written in JavaScript (HumanEval-X), with
//                  reference solutions: program = assert shim + prompt + completion + test. Its
//                  tests use console.assert, which only logs, so the shim makes it throw.
//                  Upstream references of 112 and 155 fail their own tests and 162 needs the
//                  npm package js-md5: 161/164 is the reference ceiling.
//   humaneval-x-go the same problems hand-written in Go, with references. Tests use
//                  testify's assert.New/Equal: a local stand-in module provides exactly those
//                  (same semantics: reflect.DeepEqual). Imports of the parts are merged
//                  goimports-style (the dataset's preamble and prompt import inconsistently).
//   tasks          the built-in suite (any language; see src/data/tasks)
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Lang } from '../lang/parser.js';
import { sharedDir } from '../util/paths.js';
import { generateTasks, taskProgram, type Split } from './tasks/index.js';
import { fixGoImports } from './goimports.js';

/** Reference timeouts: HumanEval 3 s, MultiPL-E Ruby 5 s, Go 30 s (it compiles). */
export const DEFAULT_TIMEOUT_MS: Record<Lang, number> = { python: 3000, ruby: 5000, go: 30_000, javascript: 5000 };

export interface Problem {
  /** task_id as the benchmark spells it (completions files refer to it) */
  id: string;
  language: Lang;
  /** what the model is given */
  prompt: string;
  entryPoint: string;
  /** generation stops at the first of these */
  stop: string[];
  /** the whole program to run for a completion */
  assemble(completion: string): string;
  /** a reference completion when the benchmark has one (for harness self-checks) */
  reference?: string;
  /** built-in tasks: the documentation text and the signature line, for doc -> code models */
  doc?: string;
  signature?: string;
  timeoutMs: number;
  /** files beside the program (e.g. a go.mod with a local module) */
  files?: Record<string, string>;
}

export interface Benchmark {
  name: string;
  language: Lang;
  problems: Problem[];
  /** known facts a reader of the score needs (ceilings, licences) */
  notes: string[];
}

export const BENCHMARKS = ['humaneval', 'mbpp', 'mbpp-full', 'mbpp-sanitized', 'multipl-e-rb', 'multipl-e-go', 'humaneval-x-js', 'humaneval-x-go', 'tasks'] as const;
export type BenchName = (typeof BENCHMARKS)[number];

export function datasetsDir(): string {
  return join(sharedDir(), 'datasets');
}

function readText(path: string): string {
  if (!existsSync(path)) throw new Error(`benchmark file not found: ${path} (set $BATCODER_SHARED or pass --data DIR)`);
  const buf = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
}

/** Parses JSONL; a malformed line is an error naming file and line. */
export function readJsonl(path: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  readText(path)
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line));
      } catch (e) {
        throw new Error(`${path}:${i + 1}: malformed JSON (${(e as Error).message})`);
      }
    });
  return out;
}

const PY_STOP = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'];
const MBPP_STOP = ['\nclass', '\nassert', '\n"""', '\nprint', '\nif', '\n<|/', '\n```'];

export function loadHumanEval(dir = datasetsDir()): Benchmark {
  const rows = readJsonl(join(dir, 'HumanEval.jsonl.gz'));
  return {
    name: 'humaneval',
    language: 'python',
    notes: ['program = prompt + completion + "\\n" + test + "\\n" + check(entry_point); timeout 3 s'],
    problems: rows.map((r) => {
      const prompt = String(r.prompt);
      const entry = String(r.entry_point);
      const test = String(r.test);
      return {
        id: String(r.task_id),
        language: 'python' as const,
        prompt,
        entryPoint: entry,
        stop: PY_STOP,
        reference: String(r.canonical_solution),
        timeoutMs: 3000,
        assemble: (c: string) => `${prompt}${c}\n${test}\ncheck(${entry})\n`,
      };
    }),
  };
}

function mbppPrompt(text: string, tests: string[]): string {
  // The InCoder / bigcode-harness format: description and one example test in a docstring.
  return `"""\n${text}\n${tests[0] ?? ''}\n"""\n`;
}

function entryFromTests(tests: string[]): string {
  const m = /assert\s+(?:not\s+)?(?:\(\s*)?(?:set\(|math\.isclose\(|abs\()?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(tests[0] ?? '');
  return m ? m[1] : '';
}

function mbppProblem(id: string, text: string, code: string, tests: string[], setup: string, imports: string[]): Problem {
  const prompt = mbppPrompt(text, tests);
  const head = imports.length ? imports.join('\n') + '\n' : '';
  return {
    id,
    language: 'python',
    prompt,
    entryPoint: entryFromTests(tests),
    stop: MBPP_STOP,
    reference: code.replace(/\r\n/g, '\n'),
    // 10 s rather than HumanEval's 3 s: the slowest reference (task 123, amicable numbers
    // below 9999) needs ~3 s of CPU, so 3 s of wall clock fails it on a loaded machine.
    timeoutMs: 10_000,
    assemble: (c: string) => `${head}${prompt}${c}\n${setup.replace(/\r\n/g, '\n')}\n${tests.join('\n')}\n`,
  };
}

export function loadMbpp(variant: 'test' | 'full' | 'sanitized' = 'test', dir = datasetsDir()): Benchmark {
  const full = new Map<number, Record<string, unknown>>();
  const fullPath = join(dir, 'mbpp.jsonl');
  if (existsSync(fullPath)) for (const r of readJsonl(fullPath)) full.set(Number(r.task_id), r);
  let problems: Problem[];
  if (variant === 'test') {
    problems = readJsonl(join(dir, 'mbpp_test.jsonl')).map((r) => {
      const id = Number(r.task_id);
      const setup = String(full.get(id)?.test_setup_code ?? '');
      return mbppProblem(String(id), String(r.prompt), String(r.code), r.test as string[], setup, []);
    });
  } else if (variant === 'full') {
    if (!full.size) throw new Error(`benchmark file not found: ${fullPath}`);
    problems = [...full.values()].map((r) => mbppProblem(String(r.task_id), String(r.text), String(r.code), r.test_list as string[], String(r.test_setup_code ?? ''), []));
  } else {
    const rows = JSON.parse(readText(join(dir, 'sanitized-mbpp.json'))) as Record<string, unknown>[];
    problems = rows.map((r) => {
      const id = Number(r.task_id);
      const setup = String(full.get(id)?.test_setup_code ?? '');
      return mbppProblem(String(id), String(r.prompt), String(r.code), r.test_list as string[], setup, (r.test_imports as string[]) ?? []);
    });
  }
  return {
    name: variant === 'test' ? 'mbpp' : `mbpp-${variant}`,
    language: 'python',
    notes: ['program = prompt + completion + test_setup_code + asserts (setup after the completion: task 367 needs the completion\'s class); timeout 10 s'],
    problems,
  };
}

export function loadMultiplE(lang: 'rb' | 'go', dir = datasetsDir()): Benchmark {
  const language: Lang = lang === 'rb' ? 'ruby' : 'go';
  const rows = readJsonl(join(dir, `multiple-humaneval-${lang}.jsonl`));
  return {
    name: `multipl-e-${lang}`,
    language,
    notes: [
      'MultiPL-E data: EVALUATION ONLY (its licence forbids training on it)',
      ...(lang === 'go' ? ["HumanEval_87_get_row's tests do not compile: 153/154 is the ceiling"] : []),
    ],
    problems: rows.map((r) => {
      const prompt = String(r.prompt);
      const tests = String(r.tests);
      const name = String(r.name);
      return {
        id: String(r.task_id ?? name),
        language,
        prompt,
        entryPoint: name.replace(/^HumanEval_\d+_/, ''),
        stop: (r.stop_tokens as string[]) ?? [],
        timeoutMs: DEFAULT_TIMEOUT_MS[language],
        assemble: (c: string) => `${prompt}${c}\n${tests}`,
      };
    }),
  };
}

const JS_ASSERT_SHIM = 'console.assert = (ok, ...msg) => { if (!ok) throw new Error("assertion failed" + (msg.length ? ": " + msg.join(" ") : "")); };\n';

/** Reference solutions of HumanEval-X JS that fail upstream (see the header). */
export const HUMANEVAL_X_JS_BROKEN = ['JavaScript/112', 'JavaScript/155', 'JavaScript/162'];

export function loadHumanEvalXJs(dir = datasetsDir()): Benchmark {
  const rows = readJsonl(join(dir, 'humaneval-x_js.jsonl.gz'));
  return {
    name: 'humaneval-x-js',
    language: 'javascript',
    notes: ['reference ceiling 161/164: upstream solutions of 112 and 155 fail their tests, 162 needs the npm package js-md5'],
    problems: rows.map((r) => {
      const prompt = String(r.prompt);
      const test = String(r.test);
      const m = /(?:const|function)\s+([A-Za-z_$][\w$]*)/.exec(String(r.declaration ?? prompt));
      return {
        id: String(r.task_id),
        language: 'javascript' as const,
        prompt,
        entryPoint: m ? m[1] : '',
        stop: ['\nconst ', '\nfunction ', '\n/*', '\n//', '\nconsole.'],
        reference: String(r.canonical_solution),
        timeoutMs: DEFAULT_TIMEOUT_MS.javascript,
        assemble: (c: string) => `${JS_ASSERT_SHIM}${prompt}${c}\n${test}\n`,
      };
    }),
  };
}

const TESTIFY_SHIM = `// Stand-in for github.com/stretchr/testify/assert: the two calls HumanEval-X uses.
package assert

import (
	"bytes"
	"reflect"
)

type TestingT interface {
	Errorf(format string, args ...interface{})
}

type Assertions struct{ t TestingT }

func New(t TestingT) *Assertions { return &Assertions{t} }

func ObjectsAreEqual(expected, actual interface{}) bool {
	if expected == nil || actual == nil {
		return expected == actual
	}
	exp, ok := expected.([]byte)
	if !ok {
		return reflect.DeepEqual(expected, actual)
	}
	act, ok := actual.([]byte)
	if !ok {
		return false
	}
	return bytes.Equal(exp, act)
}

func (a *Assertions) Equal(expected, actual interface{}, msgAndArgs ...interface{}) bool {
	if h, ok := a.t.(interface{ Helper() }); ok {
		h.Helper()
	}
	if !ObjectsAreEqual(expected, actual) {
		a.t.Errorf("Not equal:\\nexpected: %#v\\nactual  : %#v", expected, actual)
		return false
	}
	return true
}
`;

const TESTIFY_FILES = {
  'go.mod': 'module sandbox\n\ngo 1.18\n\nrequire github.com/stretchr/testify v1.8.0\n\nreplace github.com/stretchr/testify => ./testify\n',
  'testify/go.mod': 'module github.com/stretchr/testify\n\ngo 1.18\n',
  'testify/assert/assert.go': TESTIFY_SHIM,
};

export function loadHumanEvalXGo(dir = datasetsDir()): Benchmark {
  const rows = readJsonl(join(dir, 'humaneval-x_go.jsonl.gz'));
  return {
    name: 'humaneval-x-go',
    language: 'go',
    notes: ['testify replaced by a local stand-in (assert.New/Equal); imports merged goimports-style, so a completion may use standard packages without importing them'],
    problems: rows.map((r) => {
      const prompt = String(r.prompt);
      const setup = String(r.test_setup);
      const test = String(r.test);
      const m = /func\s+([A-Za-z_]\w*)/.exec(String(r.declaration ?? prompt));
      return {
        id: String(r.task_id),
        language: 'go' as const,
        prompt,
        entryPoint: m ? m[1] : '',
        stop: ['\nfunc ', '\ntype ', '\n// '],
        reference: String(r.canonical_solution),
        timeoutMs: DEFAULT_TIMEOUT_MS.go,
        files: TESTIFY_FILES,
        assemble: (c: string) => fixGoImports(`${setup}\n${prompt}${c}\n${test}\n`),
      };
    }),
  };
}

/** The built-in suite as a benchmark in one language: the model completes a documented signature. */
export function loadTaskSuite(opts: { lang?: Lang; seed?: number; count?: number; split?: Split } = {}): Benchmark {
  const lang = opts.lang ?? 'python';
  const tasks = generateTasks({ seed: opts.seed ?? 1, count: opts.count ?? 200, split: opts.split ?? 'test', langs: [lang] });
  const close = lang === 'python' ? '' : lang === 'ruby' ? 'end\n' : '}\n';
  const stop: Record<Lang, string[]> = {
    python: ['\ndef ', '\nclass ', '\nif __name__', '\nprint(', '\nassert '],
    ruby: ['\ndef ', '\nclass ', '\nraise '],
    go: ['\nfunc ', '\ntype '],
    javascript: ['\nfunction ', '\nconst __same', '\nclass '],
  };
  return {
    name: 'tasks',
    language: lang,
    notes: [`built-in suite: seed ${opts.seed ?? 1}, split ${opts.split ?? 'test'}, ${tasks.length} tasks; the completion is the function body${close ? ' including its closing line' : ''}`],
    problems: tasks.map((t) => ({
      id: t.id,
      language: lang,
      prompt: t.prompt[lang]!,
      entryPoint: t.entryPoint[lang]!,
      stop: stop[lang],
      doc: t.description,
      signature: t.signature[lang],
      // the reference completion is the body of the drawn implementation after the signature line
      reference: t.code[lang]!.slice(t.code[lang]!.indexOf('\n') + 1),
      timeoutMs: DEFAULT_TIMEOUT_MS[lang],
      assemble: (c: string) => taskProgram(t, lang, `${t.prompt[lang]}${c}`),
    })),
  };
}

export interface LoadOptions {
  dir?: string;
  /** for 'tasks' */
  lang?: Lang;
  seed?: number;
  count?: number;
  split?: Split;
}

export function loadBenchmark(name: string, opts: LoadOptions = {}): Benchmark {
  const dir = opts.dir ?? datasetsDir();
  switch (name) {
    case 'humaneval':
      return loadHumanEval(dir);
    case 'mbpp':
      return loadMbpp('test', dir);
    case 'mbpp-full':
      return loadMbpp('full', dir);
    case 'mbpp-sanitized':
      return loadMbpp('sanitized', dir);
    case 'multipl-e-rb':
      return loadMultiplE('rb', dir);
    case 'multipl-e-go':
      return loadMultiplE('go', dir);
    case 'humaneval-x-js':
      return loadHumanEvalXJs(dir);
    case 'humaneval-x-go':
      return loadHumanEvalXGo(dir);
    case 'tasks':
      return loadTaskSuite(opts);
  }
  throw new Error(`unknown benchmark '${name}' (expected one of ${BENCHMARKS.join(', ')})`);
}
