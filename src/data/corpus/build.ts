// Corpus builder: source trees -> CodeSearchNet/CodeXGLUE-shaped JSONL.
//   walk files of one language -> extract functions -> length filter -> dedup by a hash of
//   the comment-free token stream -> decontaminate against the benchmarks -> JSONL
// Partition (train/valid/test, 80/10/10) is a hash of the file path, so functions of one
// file never straddle partitions.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { langFromPath, type Lang } from '../../lang/parser.js';
import { fnv1a } from '../../util/rng.js';
import type { Decontaminator } from './decontam.js';
import { extractFunctions } from './extract.js';

export interface CorpusRecord {
  repo: string;
  path: string;
  func_name: string;
  language: Lang;
  /** the function without its documentation */
  code: string;
  code_tokens: string[];
  docstring: string;
  docstring_tokens: string[];
  /** the function as written, documentation included */
  original_string: string;
  partition: 'train' | 'valid' | 'test';
  /** 1-based line of the function in its file */
  line: number;
}

export interface BuildOptions {
  lang: Lang;
  srcDirs: string[];
  /** repository label per record (default: the source dir's base name) */
  repo?: string;
  minLines?: number;
  maxLines?: number;
  maxChars?: number;
  /** also keep functions without documentation (default true; code-only training needs them) */
  keepUndocumented?: boolean;
  /** directory names skipped while walking */
  excludeDirs?: string[];
  decontaminator?: Decontaminator;
}

export interface BuildStats {
  files: number;
  unreadable: number;
  functions: number;
  tooShort: number;
  tooLong: number;
  undocumented: number;
  duplicates: number;
  contaminatedByName: number;
  contaminatedByCode: number;
  kept: number;
  withDocstring: number;
}

export const DEFAULT_EXCLUDE = ['.git', 'node_modules', '__pycache__', 'test', 'tests', 'testdata', 'vendor', 'site-packages', 'dist-packages', 'idlelib', 'lib2to3', 'turtledemo'];

function* walk(dir: string, lang: Lang, exclude: Set<string>): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (!exclude.has(n)) yield* walk(p, lang, exclude);
    } else if (st.isFile() && langFromPath(n) === lang && !n.endsWith('_test.go')) yield p;
  }
}

/** Hash of the comment-free token stream: formatting and comments do not make functions distinct. */
export function normalizedHash(tokens: string[]): string {
  return createHash('sha1').update(tokens.join(' ')).digest('hex');
}

function partitionOf(path: string): CorpusRecord['partition'] {
  const b = fnv1a(path) % 10;
  return b < 8 ? 'train' : b === 8 ? 'valid' : 'test';
}

/** Builds the corpus, calling `emit` per kept record. */
export function buildCorpus(opts: BuildOptions, emit: (r: CorpusRecord) => void): BuildStats {
  const minLines = opts.minLines ?? 3;
  const maxLines = opts.maxLines ?? 200;
  const maxChars = opts.maxChars ?? 8000;
  const exclude = new Set(opts.excludeDirs ?? DEFAULT_EXCLUDE);
  const seen = new Set<string>();
  const st: BuildStats = { files: 0, unreadable: 0, functions: 0, tooShort: 0, tooLong: 0, undocumented: 0, duplicates: 0, contaminatedByName: 0, contaminatedByCode: 0, kept: 0, withDocstring: 0 };
  for (const src of opts.srcDirs) {
    const root = resolve(src);
    const repo = opts.repo ?? basename(root);
    for (const file of walk(root, opts.lang, exclude)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        st.unreadable++;
        continue;
      }
      st.files++;
      const rel = relative(root, file);
      for (const f of extractFunctions(text, opts.lang)) {
        st.functions++;
        const lines = f.code.split('\n').length;
        if (lines < minLines) {
          st.tooShort++;
          continue;
        }
        if (lines > maxLines || f.code.length > maxChars) {
          st.tooLong++;
          continue;
        }
        if (!f.docstring && opts.keepUndocumented === false) {
          st.undocumented++;
          continue;
        }
        const h = normalizedHash(f.tokens);
        if (seen.has(h)) {
          st.duplicates++;
          continue;
        }
        seen.add(h);
        const why = opts.decontaminator?.check(f.funcName, f.tokens);
        if (why === 'name') {
          st.contaminatedByName++;
          continue;
        }
        if (why) {
          st.contaminatedByCode++;
          continue;
        }
        st.kept++;
        if (f.docstring) st.withDocstring++;
        emit({
          repo,
          path: rel,
          func_name: f.funcName,
          language: opts.lang,
          code: f.code,
          code_tokens: f.tokens,
          docstring: f.docstring,
          docstring_tokens: f.docstring ? f.docstring.split(/\s+/).filter(Boolean) : [],
          original_string: f.original,
          partition: partitionOf(`${repo}/${rel}`),
          line: f.line,
        });
      }
    }
  }
  return st;
}

/** Builds straight into a JSONL file. */
export function buildCorpusFile(opts: BuildOptions, outPath: string): BuildStats {
  const fd = openSync(outPath, 'w');
  try {
    return buildCorpus(opts, (r) => writeSync(fd, JSON.stringify(r) + '\n'));
  } finally {
    closeSync(fd);
  }
}

export interface CorpusEntry {
  func_name: string;
  language: string;
  code: string;
  docstring: string;
  path?: string;
  repo?: string;
  partition?: string;
}

/**
 * Reads CodeSearchNet / CodeXGLUE JSONL (plain or .gz). Accepts `code` or `original_string`
 * or `code_tokens` for the code and `docstring` or `docstring_tokens` for the docs. Malformed
 * lines are reported as "file:line: why" through `onProblem` and skipped.
 */
export function* readCorpus(path: string, onProblem: (msg: string) => void = () => {}): Generator<CorpusEntry> {
  const buf = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (!line.trim()) continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch (e) {
      onProblem(`${path}:${lineNo}: malformed JSON (${(e as Error).message}); skipped`);
      continue;
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      onProblem(`${path}:${lineNo}: not a JSON object; skipped`);
      continue;
    }
    const code = typeof r.code === 'string' ? r.code : typeof r.original_string === 'string' ? r.original_string : Array.isArray(r.code_tokens) ? r.code_tokens.join(' ') : null;
    if (code === null) {
      onProblem(`${path}:${lineNo}: no code, original_string or code_tokens field; skipped`);
      continue;
    }
    const doc = typeof r.docstring === 'string' ? r.docstring : Array.isArray(r.docstring_tokens) ? r.docstring_tokens.join(' ') : '';
    yield {
      func_name: typeof r.func_name === 'string' ? r.func_name : '',
      language: typeof r.language === 'string' ? r.language : '',
      code,
      docstring: doc,
      path: typeof r.path === 'string' ? r.path : undefined,
      repo: typeof r.repo === 'string' ? r.repo : undefined,
      partition: typeof r.partition === 'string' ? r.partition : undefined,
    };
  }
}
