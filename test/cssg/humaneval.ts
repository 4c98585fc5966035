// HumanEval-X loader for the cross-language retrieval check: Python (HumanEval
// prompt + canonical solution) against the hand-written JavaScript and Go versions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedDir } from '../../src/util/paths.js';
import type { Metric } from '../../src/cssg/index.js';
import { topOne, type TopOneOptions } from '../../src/eval/retrieval.js';

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
 * Top-1 retrieval (src/eval/retrieval.ts): for each Python solution, is its own counterpart
 * in `lang` strictly the best-scoring among the candidates (all problems', or with
 * `candidates` the own one and k - 1 drawn, mean over the draws)?
 */
export async function retrieval(
  problems: Problem[],
  lang: 'javascript' | 'go',
  metric: Metric,
  workers?: number,
  candidates?: TopOneOptions['candidates'],
): Promise<{ correct: number; total: number; hit: number[] }> {
  const ps = problems.filter((p) => p[lang] !== undefined);
  const r = await topOne(ps.map((p) => ({ python: p.python, other: p[lang]! })), lang, metric, { workers, candidates });
  return { correct: r.correct, total: r.n, hit: r.hit };
}
