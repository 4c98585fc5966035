// Loader for the ordering fixtures in test/fixtures/cssg/<lang>.txt (format described
// at the top of each file) and the ordering check shared by the test and the bench.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/util/paths.js';
import type { Lang } from '../../src/lang/parser.js';
import { similarity, type Metric, type CssgOptions } from '../../src/cssg/index.js';

export interface Triple {
  name: string;
  family: string;
  anchor: string;
  rewrite: string;
  mutant: string;
  unrelated: string;
}

/**
 * The unrelated function of triple i is the anchor of the first triple i + 7, i + 8, ...
 * (mod N) whose [family] differs (tasks of one family, e.g. counting loops, are related).
 */
export const UNRELATED_OFFSET = 7;

export function loadTriples(lang: Lang): Triple[] {
  const text = readFileSync(join(repoRoot(), 'test', 'fixtures', 'cssg', `${lang}.txt`), 'utf8');
  const raw: Omit<Triple, 'unrelated'>[] = [];
  let cur: Record<string, string[]> | null = null;
  let name = '';
  let family = '';
  let part = '';
  const flush = () => {
    if (!cur) return;
    const get = (k: string) => {
      if (!cur![k]) throw new Error(`fixture ${lang}/${name}: missing --- ${k}`);
      return cur![k].join('\n').replace(/\s+$/, '') + '\n';
    };
    raw.push({ name, family, anchor: get('anchor'), rewrite: get('rewrite'), mutant: get('mutant') });
  };
  for (const line of text.split('\n')) {
    const h = /^### (\S+)(?:\s+\[(\S+)\])?/.exec(line);
    if (h) {
      flush();
      cur = {};
      name = h[1];
      family = h[2] ?? h[1];
      part = '';
      continue;
    }
    const p = /^--- (anchor|rewrite|mutant)\s*$/.exec(line);
    if (p && cur) {
      part = p[1];
      cur[part] = [];
      continue;
    }
    if (cur && part) cur[part].push(line);
  }
  flush();
  return raw.map((t, i) => {
    let j = (i + UNRELATED_OFFSET) % raw.length;
    for (let k = 0; k < raw.length && raw[j].family === t.family; k++) j = (j + 1) % raw.length;
    return { ...t, unrelated: raw[j].anchor };
  });
}

export interface OrderResult {
  correct: number;
  total: number;
  /** names of triples ordered wrongly */
  wrong: string[];
}

/** Fraction of triples with S(anchor, rewrite) > S(anchor, mutant) > S(anchor, unrelated). */
export function ordering(lang: Lang, metric: Metric, triples = loadTriples(lang), opts: CssgOptions = {}): OrderResult {
  let correct = 0;
  const wrong: string[] = [];
  for (const t of triples) {
    const r = similarity(t.anchor, t.rewrite, lang, { metric, ...opts });
    const m = similarity(t.anchor, t.mutant, lang, { metric, ...opts });
    const u = similarity(t.anchor, t.unrelated, lang, { metric, ...opts });
    if (r > m && m > u) correct++;
    else wrong.push(`${t.name} (r=${r.toFixed(3)} m=${m.toFixed(3)} u=${u.toFixed(3)})`);
  }
  return { correct, total: triples.length, wrong };
}
