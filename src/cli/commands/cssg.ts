// `batcoder cssg A B [--lang L]`: structural similarity of two source files.
// `batcoder cssg --pairs pairs.jsonl [--explain] [--metric cssg|wl|tokens]`: one JSON
// line out per input line, in order. Input lines: {"a": code, "b": code, "lang": L,
// "lang_b": L2} (lang_b defaults to lang). A line that cannot be read gives
// {"score": 0, "error": "..."} so output lines always match input lines.
// Input handling (issue 15): lines end at "\n" only (a "\r" before it is dropped, a lone
// "\r" is text); texts are cut to what is parsed (MAX_CHARS) as each line is read and a
// chunk is flushed at CHUNK lines or CHUNK_CHARS characters, so memory per chunk is
// bounded; a line longer than MAX_LINE is skipped unread (an error line); `lang` must be
// a known language (own-property check); --workers is capped at the core count.
import type { Command } from 'commander';
import { createReadStream, readFileSync } from 'node:fs';
import { parseLang, langFromPath, type Lang } from '../../lang/parser.js';
import { similarity, explain, scorePairs, closeWorkers, METRICS, MAX_CHARS, type Metric, type Pair } from '../../cssg/index.js';
import { cappedWorkers } from '../../cssg/pool.js';

interface Opts {
  lang?: string;
  langB?: string;
  pairs?: string;
  explain?: boolean;
  metric: string;
  workers?: string;
}

/** Lines scored together: large enough for the worker pool, small enough to stream. */
const CHUNK = 4096;
/** ...and at most this many characters of (cut) text per chunk. */
const CHUNK_CHARS = 16_000_000;
/** Longer input lines are skipped without being held in memory. */
export const MAX_LINE = 8 * 1024 * 1024;

/**
 * Lines of a text stream, split on "\n" only (readline also splits on a lone "\r").
 * A line over `maxLine` characters yields `null` and is not kept.
 */
export async function* lines(input: AsyncIterable<string | Buffer>, maxLine = MAX_LINE): AsyncGenerator<string | null> {
  let parts: string[] = [];
  let len = 0;
  let tooLong = false;
  const end = (): string | null => {
    const line = tooLong ? null : parts.join('');
    parts = [];
    len = 0;
    tooLong = false;
    return line === null ? null : line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const piece = text.slice(from, nl < 0 ? text.length : nl);
      if (!tooLong) {
        if (len + piece.length > maxLine) {
          tooLong = true;
          parts = [];
        } else {
          parts.push(piece);
          len += piece.length;
        }
      }
      if (nl < 0) break;
      yield end();
      from = nl + 1;
    }
  }
  if (len > 0 || tooLong) yield end();
}

function cut(s: string): string {
  return s.length > MAX_CHARS ? s.slice(0, MAX_CHARS) : s;
}
function metricOf(s: string): Metric {
  if (!(METRICS as readonly string[]).includes(s)) throw new Error(`unknown metric '${s}' (expected ${METRICS.join(', ')})`);
  return s as Metric;
}

function langOf(explicit: string | undefined, path: string, what: string): Lang {
  if (explicit) return parseLang(explicit);
  const l = langFromPath(path);
  if (!l) throw new Error(`cannot tell the language of ${what} '${path}' from its extension: pass --lang`);
  return l;
}

function workersOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--workers must be a positive integer, got '${s}'`);
  return cappedWorkers(n);
}

type Parsed = { pair: Pair } | { error: string };

function parseLine(line: string, n: number): Parsed {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    return { error: `line ${n}: not JSON (${(e as Error).message})` };
  }
  if (!o || typeof o !== 'object') return { error: `line ${n}: expected an object` };
  const r = o as Record<string, unknown>;
  if (typeof r.a !== 'string' || typeof r.b !== 'string') return { error: `line ${n}: "a" and "b" must be strings` };
  if (typeof r.lang !== 'string') return { error: `line ${n}: "lang" must be one of python, ruby, go, javascript` };
  try {
    const lang = parseLang(r.lang);
    const langB = r.lang_b === undefined || r.lang_b === null ? lang : parseLang(String(r.lang_b));
    return { pair: { a: cut(r.a), b: cut(r.b), lang, langB } };
  } catch (e) {
    return { error: `line ${n}: ${(e as Error).message}` };
  }
}

async function runPairs(path: string, metric: Metric, withExplain: boolean, workers: number | undefined): Promise<void> {
  const input = path === '-' ? process.stdin.setEncoding('utf8') : createReadStream(path, { encoding: 'utf8' });
  let buf: Parsed[] = [];
  let chars = 0;
  let n = 0;
  const flush = async () => {
    const ok = buf.filter((p): p is { pair: Pair } => 'pair' in p).map((p) => p.pair);
    const scores = withExplain ? [] : await scorePairs(ok, { metric, workers });
    let k = 0;
    const out: string[] = [];
    for (const p of buf) {
      if ('error' in p) {
        out.push(JSON.stringify({ score: 0, error: p.error }));
        continue;
      }
      if (withExplain) {
        const e = explain(p.pair.a, p.pair.b, p.pair.lang, { metric, langB: p.pair.langB });
        out.push(JSON.stringify({
          score: e.score,
          cost: e.cost,
          total: e.total,
          nodes_matched: e.nodesMatched,
          nodes_exact: e.nodesExact,
          nodes_unmatched: e.nodesUnmatched,
          edges_matched: e.edgesMatched,
          edges_unmatched: e.edgesUnmatched,
          nodes_a: e.nodesA,
          nodes_b: e.nodesB,
          edges_a: e.edgesA,
          edges_b: e.edgesB,
          capped: e.capped,
        }));
      } else out.push(JSON.stringify({ score: scores[k++] }));
    }
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    buf = [];
    chars = 0;
  };
  for await (const line of lines(input)) {
    n++;
    const p: Parsed = line === null ? { error: `line ${n}: longer than ${MAX_LINE} characters` } : line.trim() === '' ? { error: `line ${n}: empty` } : parseLine(line, n);
    buf.push(p);
    if ('pair' in p) chars += p.pair.a.length + p.pair.b.length;
    if (buf.length >= CHUNK || chars >= CHUNK_CHARS) await flush();
  }
  await flush();
}

export function register(program: Command): void {
  program
    .command('cssg')
    .description('structural code similarity (CSSG): score two files, or a JSONL file of pairs')
    .argument('[a]', 'first source file')
    .argument('[b]', 'second source file')
    .option('--lang <lang>', 'language of A (and of B unless --lang-b): python, ruby, go, javascript; default from the extension')
    .option('--lang-b <lang>', 'language of B when it differs')
    .option('--pairs <file>', 'JSONL of {"a","b","lang","lang_b"} ("-" for stdin); one {"score"} line out per line in')
    .option('--explain', 'add the CSSG edit path: matched/unmatched node and edge counts, cost and its normaliser')
    .option('--metric <m>', 'cssg (v2) | cssg-v1 | wl | tokens', 'cssg')
    .option('--workers <n>', 'worker threads for --pairs (default and cap: CPU count)')
    .action(async (a: string | undefined, b: string | undefined, opts: Opts) => {
      const metric = metricOf(opts.metric);
      try {
        if (opts.pairs) {
          await runPairs(opts.pairs, metric, !!opts.explain, workersOf(opts.workers));
          return;
        }
        if (!a || !b) throw new Error('give two files (batcoder cssg A B) or --pairs FILE');
        const la = langOf(opts.lang, a, 'A');
        const lb = opts.langB ? parseLang(opts.langB) : opts.lang ? la : langOf(undefined, b, 'B');
        const ca = readFileSync(a, 'utf8');
        const cb = readFileSync(b, 'utf8');
        if (opts.explain) console.log(JSON.stringify(explain(ca, cb, la, { metric, langB: lb })));
        else console.log(similarity(ca, cb, la, { metric, langB: lb }).toFixed(6));
      } finally {
        await closeWorkers();
      }
    });
}
