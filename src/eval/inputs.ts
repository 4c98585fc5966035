// Seeded, type-directed test inputs for a Python function, from its signature and the
// literals in its body (property-based testing, QuickCheck/Hypothesis style), for
// differential execution (src/eval/diffexec.ts).
//
// Types come from annotations (`xs: list[int]`, `s: str`); an unannotated parameter
// gets a guess from how the body uses it (`len(p)`, `for x in p`, `p.lower()`, `p + 1`)
// and, failing that, a mix of int / list[int] / str. Values: the code's own integer
// and string literals (and their neighbours v-1, v+1) mixed with small edge values
// (0, 1, -1, empty) and seeded random ones. Inputs the reference function rejects (it
// raises on them) are thinned out later by running it: type guessing is only a prior.
// Inputs are JSON arrays (one element per parameter) so that any language can read them.
import { Rng, fnv1a } from '../util/rng.js';

export type InputValue = number | string | boolean | null | InputValue[] | { [k: string]: InputValue };

export interface PySignature {
  name: string;
  params: { name: string; type: string }[];
}

/** The first top-level `def` of `code`: its name and parameters (self/cls, *args, **kw dropped). */
export function pythonSignature(code: string): PySignature | null {
  const m = /^def\s+([A-Za-z_]\w*)\s*\(([\s\S]*?)\)\s*(?:->[^:]*)?:/m.exec(code);
  if (!m) return null;
  const params: { name: string; type: string }[] = [];
  for (const raw of splitTopLevel(m[2])) {
    const p = raw.trim();
    if (!p || p.startsWith('*') || p === '/') continue;
    const pm = /^([A-Za-z_]\w*)\s*(?::\s*([^=]+?))?\s*(?:=.*)?$/s.exec(p);
    if (!pm) return null;
    if ((pm[1] === 'self' || pm[1] === 'cls') && params.length === 0) continue;
    params.push({ name: pm[1], type: (pm[2] ?? '').replace(/\s+/g, '') });
  }
  return { name: m[1], params };
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** Normalise an annotation to the generator's types; '' when unknown. */
export function normaliseType(t: string): string {
  const x = t.replace(/typing\./g, '').replace(/List\[/g, 'list[').replace(/Dict\[/g, 'dict[').replace(/Tuple\[/g, 'tuple[');
  if (/^(int|float|str|bool)$/.test(x)) return x;
  if (x === 'list' || x === 'List') return 'list[int]';
  const l = /^(?:list|tuple)\[(.+?)(?:,\.\.\.)?\]$/.exec(x);
  if (l) {
    const inner = normaliseType(l[1]);
    return inner ? `list[${inner}]` : '';
  }
  if (/^dict\[str,int\]$/.test(x)) return 'dict[str,int]';
  return '';
}

/** A guess from how the body uses parameter `p`; '' when the body says nothing. */
export function guessType(code: string, p: string): string {
  const e = p.replace(/[^\w]/g, '');
  const has = (re: string) => new RegExp(re).test(code);
  if (has(`\\b${e}\\.(lower|upper|split|strip|isdigit|isalpha|replace|startswith|endswith|count|find)\\(`)) return 'str';
  if (has(`\\b${e}\\.(append|sort|pop|extend|index)\\(`) || has(`sorted\\(${e}\\b`) || has(`sum\\(${e}\\)`) || has(`max\\(${e}\\)`) || has(`min\\(${e}\\)`)) return 'list[int]';
  if (has(`for\\s+\\w+\\s+in\\s+${e}\\b`) || has(`len\\(${e}\\)`) || has(`\\b${e}\\[`)) return 'list[int]';
  if (has(`range\\(${e}\\)`) || has(`\\b${e}\\s*[-+*%/<>]=?\\s*\\d`) || has(`\\d\\s*[-+*%/<>]=?\\s*${e}\\b`)) return 'int';
  return '';
}

interface Pools {
  ints: number[];
  strs: string[];
}

/** Integer and short string literals of the code, with neighbours of the integers. */
export function literalPools(code: string): Pools {
  const ints = new Set<number>([0, 1, -1, 2, 3, 5, 10]);
  for (const m of code.matchAll(/(?<![\w.])(\d{1,6})(?![\w.])/g)) {
    const v = Number(m[1]);
    ints.add(v);
    ints.add(v + 1);
    ints.add(v - 1);
  }
  const strs = new Set<string>(['', 'a', 'abc', 'hello world', 'Aba']);
  for (const m of code.matchAll(/'([^'\\\n]{0,12})'|"([^"\\\n]{0,12})"/g)) strs.add(m[1] ?? m[2]);
  return { ints: [...ints].slice(0, 64), strs: [...strs].slice(0, 32) };
}

function value(type: string, r: Rng, pools: Pools, depth = 0): InputValue {
  switch (type) {
    case 'int':
      return r.chance(0.5) ? r.pick(pools.ints) : r.between(-20, 100);
    case 'float':
      return r.chance(0.3) ? r.pick(pools.ints) : Math.round((r.next() * 200 - 50) * 100) / 100;
    case 'bool':
      return r.chance(0.5);
    case 'str': {
      if (r.chance(0.4)) return r.pick(pools.strs);
      const n = r.between(0, 10);
      const alphabet = 'abcdeAB xyz01';
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[r.between(0, alphabet.length - 1)];
      return s;
    }
    case 'dict[str,int]': {
      const o: Record<string, InputValue> = {};
      const n = r.between(0, 4);
      for (let i = 0; i < n; i++) o[String(value('str', r, pools, depth + 1))] = value('int', r, pools, depth + 1);
      return o;
    }
  }
  const l = /^list\[(.+)\]$/.exec(type);
  if (l && depth < 3) {
    const n = r.chance(0.1) ? 0 : r.between(1, 8);
    return Array.from({ length: n }, () => value(l[1], r, pools, depth + 1));
  }
  return r.between(-5, 20);
}

const FALLBACK_TYPES = ['int', 'list[int]', 'str'];

/**
 * `count` argument lists for the first function of `code`, seeded by `seed` and the
 * code itself (the same code always gets the same inputs); null when no signature.
 */
export function generateInputs(code: string, count: number, seed = 1): { sig: PySignature; inputs: InputValue[][] } | null {
  const sig = pythonSignature(code);
  if (!sig) return null;
  const r = new Rng(seed ^ fnv1a(code));
  const pools = literalPools(code);
  const types = sig.params.map((p) => normaliseType(p.type) || guessType(code, p.name));
  const inputs: InputValue[][] = [];
  const seen = new Set<string>();
  for (let i = 0; inputs.length < count && i < count * 4; i++) {
    const args = types.map((t) => value(t || (r.chance(0.7) ? 'int' : r.pick(FALLBACK_TYPES)), r, pools));
    const key = JSON.stringify(args);
    if (seen.has(key)) continue;
    seen.add(key);
    inputs.push(args);
  }
  return { sig, inputs };
}
