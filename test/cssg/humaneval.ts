// HumanEval-X loader for the cross-language retrieval check: Python (HumanEval
// prompt + canonical solution) against the hand-written JavaScript and Go versions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedDir } from '../../src/util/paths.js';
import type { Lang } from '../../src/lang/parser.js';
import { scorePairs, type Metric } from '../../src/cssg/index.js';
import { Rng } from '../../src/util/rng.js';

export interface Problem {
  id: number;
  python: string;
  javascript?: string;
  go?: string;
}

function readJsonlGz(path: string): Record<string, string>[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The problems, or null when ../shared/datasets is not there. */
export function loadHumanEvalX(): Problem[] | null {
  const dir = join(sharedDir(), 'datasets');
  const files = ['HumanEval.jsonl.gz', 'humaneval-x_js.jsonl.gz', 'humaneval-x_go.jsonl.gz'].map((f) => join(dir, f));
  if (!files.every(existsSync)) return null;
  const num = (id: string) => Number(/(\d+)$/.exec(id)?.[1]);
  const byId = new Map<number, Problem>();
  for (const r of readJsonlGz(files[0])) byId.set(num(r.task_id), { id: num(r.task_id), python: r.prompt + r.canonical_solution });
  for (const r of readJsonlGz(files[1])) {
    const p = byId.get(num(r.task_id));
    if (p) p.javascript = r.prompt + r.canonical_solution;
  }
  for (const r of readJsonlGz(files[2])) {
    const p = byId.get(num(r.task_id));
    if (p) p.go = r.prompt + r.canonical_solution;
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Top-1 retrieval: for each Python solution, is its own counterpart in `lang` the
 * best-scoring among the candidates? Ties count against (the counterpart must be strictly
 * best). Candidates: all `problems`' counterparts, or with `candidates` = { k, draws, seed }
 * the own one and k - 1 others drawn at random (seeded), `draws` times per problem:
 * correct is then the expected number of problems retrieved (mean over the draws).
 */
export async function retrieval(
  problems: Problem[],
  lang: 'javascript' | 'go',
  metric: Metric,
  workers?: number,
  candidates?: { k: number; draws: number; seed: number },
): Promise<{ correct: number; total: number }> {
  const ps = problems.filter((p) => p[lang] !== undefined);
  const n = ps.length;
  const pairs = [];
  for (const q of ps) for (const c of ps) pairs.push({ a: q.python, b: c[lang]!, lang: 'python' as Lang, langB: lang as Lang });
  const s = await scorePairs(pairs, { metric, workers });
  const strictlyBest = (i: number, others: Iterable<number>) => {
    for (const j of others) if (j !== i && s[i * n + j] >= s[i * n + i]) return false;
    return true;
  };
  let correct = 0;
  if (!candidates) {
    const all = [...Array(n).keys()];
    for (let i = 0; i < n; i++) if (strictlyBest(i, all)) correct++;
    return { correct, total: n };
  }
  const { k, draws, seed } = candidates;
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new Error(`candidates must be an integer in [2, ${n}], got ${k}`);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    let hits = 0;
    for (let d = 0; d < draws; d++) {
      const others = [...Array(n).keys()].filter((j) => j !== i);
      for (let m = 0; m < k - 1; m++) {
        const r = m + rng.int(others.length - m);
        [others[m], others[r]] = [others[r], others[m]];
      }
      if (strictlyBest(i, others.slice(0, k - 1))) hits++;
    }
    correct += hits / draws;
  }
  return { correct, total: n };
}
