// Decontamination against the evaluation sets: a training function is dropped when its
// name equals a benchmark entry point (compared case- and underscore-insensitively, so
// Go's HasCloseElements matches has_close_elements) or when its code is a near-duplicate of
// a benchmark solution or prompt (Jaccard similarity of token 5-gram sets >= 0.5).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../lang/parser.js';
import { loadHumanEval, loadMbpp, loadMultiplE, readJsonl } from '../benchmarks.js';
import { leafTokens } from './extract.js';

export function normName(name: string): string {
  const bare = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  return bare.toLowerCase().replace(/_/g, '');
}

const N = 5;

function shingles(tokens: string[]): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i + N <= tokens.length; i++) s.add(tokens.slice(i, i + N).join('\u0001'));
  return s;
}

export class Decontaminator {
  readonly names = new Set<string>();
  private readonly index = new Map<string, number[]>();
  private readonly sizes: number[] = [];
  readonly sources: string[] = [];

  constructor(readonly threshold = 0.5) {}

  addName(name: string): void {
    if (name) this.names.add(normName(name));
  }

  /** Adds a benchmark program (tokens compared against training code). */
  addCode(tokens: string[], label: string): void {
    const sh = shingles(tokens);
    if (sh.size === 0) return;
    const id = this.sizes.length;
    this.sizes.push(sh.size);
    this.sources.push(label);
    for (const g of sh) {
      let l = this.index.get(g);
      if (!l) this.index.set(g, (l = []));
      l.push(id);
    }
  }

  /** Why `funcName`/`tokens` must be dropped, or null. */
  check(funcName: string, tokens: string[]): string | null {
    if (this.names.has(normName(funcName))) return 'name';
    const sh = shingles(tokens);
    if (sh.size === 0) return null;
    const overlap = new Map<number, number>();
    for (const g of sh) for (const id of this.index.get(g) ?? []) overlap.set(id, (overlap.get(id) ?? 0) + 1);
    for (const [id, o] of overlap) if (o / (sh.size + this.sizes[id] - o) >= this.threshold) return `near-duplicate of ${this.sources[id]}`;
    return null;
  }

  get codeCount(): number {
    return this.sizes.length;
  }
}

/**
 * Entry points and solutions of HumanEval, MBPP (all three files) and MultiPL-E Ruby/Go
 * from the datasets directory. Missing files are skipped and listed in `missing`.
 */
export function benchmarkDecontaminator(dir: string, threshold = 0.5): { d: Decontaminator; missing: string[] } {
  const d = new Decontaminator(threshold);
  const missing: string[] = [];
  const tok = (code: string) => leafTokens(parse(code, 'python').rootNode);
  const tryLoad = (file: string, f: () => void) => {
    if (!existsSync(join(dir, file))) missing.push(file);
    else f();
  };
  tryLoad('HumanEval.jsonl.gz', () => {
    for (const p of loadHumanEval(dir).problems) {
      d.addName(p.entryPoint);
      d.addCode(tok(p.prompt + (p.reference ?? '')), p.id);
    }
  });
  tryLoad('mbpp.jsonl', () => {
    for (const p of loadMbpp('full', dir).problems) {
      d.addName(p.entryPoint);
      d.addCode(tok(p.reference ?? ''), `MBPP/${p.id}`);
    }
  });
  tryLoad('mbpp_test.jsonl', () => {
    for (const p of loadMbpp('test', dir).problems) d.addName(p.entryPoint);
  });
  tryLoad('sanitized-mbpp.json', () => {
    for (const p of loadMbpp('sanitized', dir).problems) d.addName(p.entryPoint);
  });
  for (const lang of ['rb', 'go'] as const) {
    tryLoad(`multiple-humaneval-${lang}.jsonl`, () => {
      for (const p of loadMultiplE(lang, dir).problems) d.addName(p.entryPoint);
    });
  }
  for (const f of ['humaneval-x_go.jsonl.gz', 'humaneval-x_js.jsonl.gz']) {
    if (!existsSync(join(dir, f))) continue;
    for (const r of readJsonl(join(dir, f))) {
      const m = /(?:func|const|function)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(String(r.declaration ?? ''));
      if (m) d.addName(m[1]);
    }
  }
  return { d, missing };
}
