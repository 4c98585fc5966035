// HumanEval-X loader for the cross-language retrieval check: Python (HumanEval
// prompt + canonical solution) against the hand-written JavaScript and Go versions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedDir } from '../../src/util/paths.js';
import type { Lang } from '../../src/lang/parser.js';
import { scorePairs, type Metric } from '../../src/cssg/index.js';

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
 * best-scoring among all `problems`' counterparts? Ties count against (the counterpart
 * must be strictly best).
 */
export async function retrieval(problems: Problem[], lang: 'javascript' | 'go', metric: Metric, workers?: number): Promise<{ correct: number; total: number }> {
  const ps = problems.filter((p) => p[lang] !== undefined);
  const pairs = [];
  for (const q of ps) for (const c of ps) pairs.push({ a: q.python, b: c[lang]!, lang: 'python' as Lang, langB: lang as Lang });
  const s = await scorePairs(pairs, { metric, workers });
  let correct = 0;
  for (let i = 0; i < ps.length; i++) {
    const own = s[i * ps.length + i];
    let best = true;
    for (let j = 0; j < ps.length; j++) if (j !== i && s[i * ps.length + j] >= own) best = false;
    if (best) correct++;
  }
  return { correct, total: ps.length };
}
