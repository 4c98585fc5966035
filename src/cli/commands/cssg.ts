// `batcoder cssg A B [--lang L]`: structural similarity of two source files.
// `batcoder cssg --pairs pairs.jsonl [--explain] [--metric cssg|wl|tokens]`: one JSON
// line out per input line, in order. Input lines: {"a": code, "b": code, "lang": L,
// "lang_b": L2} (lang_b defaults to lang). A line that cannot be read gives
// {"score": 0, "error": "..."} so output lines always match input lines.
import type { Command } from 'commander';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseLang, langFromPath, type Lang } from '../../lang/parser.js';
import { similarity, explain, scorePairs, closeWorkers, METRICS, type Metric, type Pair } from '../../cssg/index.js';

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
    return { pair: { a: r.a, b: r.b, lang, langB } };
  } catch (e) {
    return { error: `line ${n}: ${(e as Error).message}` };
  }
}

async function runPairs(path: string, metric: Metric, withExplain: boolean, workers: number | undefined): Promise<void> {
  const input = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let buf: Parsed[] = [];
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
  };
  for await (const line of rl) {
    n++;
    buf.push(line.trim() === '' ? { error: `line ${n}: empty` } : parseLine(line, n));
    if (buf.length >= CHUNK) await flush();
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
    .option('--metric <m>', 'cssg | wl | tokens', 'cssg')
    .option('--workers <n>', 'worker threads for --pairs (default: CPU count)')
    .action(async (a: string | undefined, b: string | undefined, opts: Opts) => {
      const metric = metricOf(opts.metric);
      try {
        if (opts.pairs) {
          await runPairs(opts.pairs, metric, !!opts.explain, opts.workers ? Number(opts.workers) : undefined);
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
