// Task families. A family draws a composition of primitives (a *shape*, e.g.
// "fold/slice=first/pred=even/map=square/fold=sum") and constants, and knows:
//   - what the function computes (run), used to make the test cases;
//   - its English (summary, parameter and return descriptions);
//   - its body in each language, in two equivalent styles (explicit loop vs
//     comprehension / builtins / a second loop form in Go).
// Bodies are written with 4-space indentation relative to the function body and
// re-indented per language by render.ts.
import type { Lang } from '../../lang/parser.js';
import {
  AND, CHAR_PRED_KINDS, EQ, INT_MAP_KINDS, INT_PRED_KINDS, NE, STR_MAP_KINDS, STR_PRED_KINDS,
  charPred, intMap, intPred, paren, strMap, strPred, type CharPred, type IntMap, type IntPred, type StrMap, type StrPred,
} from './primitives.js';
import type { Rng } from '../../util/rng.js';
import type { Ty, Value } from './values.js';

export interface ParamRole {
  /** role key, e.g. 'xs', 'k' */
  role: string;
  type: Ty;
  /** candidate names (the generator picks one) */
  names: readonly string[];
  /** Args: description; `n` maps roles to chosen names */
  doc(n: Record<string, string>): string;
}

export interface Instance {
  family: string;
  /** structural id without constants: tasks with equal shapes differ only in constants and names */
  shape: string;
  /** constants, for the instance key */
  consts: string;
  roles: ParamRole[];
  returns: Ty;
  /** words for a descriptive function name */
  nameWords: string[];
  summary(n: Record<string, string>): string;
  returnsDoc: string;
  run(args: Record<string, Value>): Value;
  /** function body in `lang` using style 0 or 1; `n` maps roles to names */
  body(lang: Lang, style: number, n: Record<string, string>): string;
  genArgs(rng: Rng): Record<string, Value>;
}

export interface Family {
  name: string;
  weight: number;
  make(rng: Rng): Instance;
}

const LIST_NAMES = ['nums', 'values', 'numbers', 'items', 'data', 'arr', 'xs', 'seq', 'scores', 'readings'] as const;
const K_NAMES = ['k', 'm', 'limit', 'size', 'width'] as const;
const N_NAMES = ['n', 'num', 'number', 'value'] as const;
const S_NAMES = ['s', 'text', 'sentence', 'line', 'phrase'] as const;

const intList = (rng: Rng, lo: number, hi: number, maxLen = 7): number[] => Array.from({ length: rng.between(0, maxLen) }, () => rng.between(lo, hi));

function maybe<T>(rng: Rng, p: number, f: () => T): T | null {
  return rng.chance(p) ? f() : null;
}

const lines = (...xs: (string | false | null | undefined)[]): string => xs.filter((x): x is string => typeof x === 'string').join('\n');

/** Indents every line of a block by `levels` 4-space steps. */
function ind(block: string, levels = 1): string {
  const pad = '    '.repeat(levels);
  return block
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

// ---- slices of a list (shared by fold and transform) ----------------------------------

type SliceKind = 'none' | 'first' | 'last' | 'alt';

function sliceSrc(lang: Lang, kind: SliceKind, xs: string, k: string): string {
  switch (kind) {
    case 'none':
      return xs;
    case 'first':
      return { python: `${xs}[:${k}]`, ruby: `${xs}.first(${k})`, javascript: `${xs}.slice(0, ${k})`, go: 'part' }[lang];
    case 'last':
      return { python: `${xs}[-${k}:]`, ruby: `${xs}.last(${k})`, javascript: `${xs}.slice(-${k})`, go: 'part' }[lang];
    case 'alt':
      return { python: `${xs}[::2]`, ruby: `${xs}.each_slice(2).map(&:first)`, javascript: `${xs}.filter((_, i) => i % 2 === 0)`, go: 'part' }[lang];
  }
}

/** Go has no slice expression that clamps: the slice becomes statements. */
function goSlicePrelude(kind: SliceKind, xs: string, k: string): string | null {
  switch (kind) {
    case 'none':
      return null;
    case 'first':
      return lines(`upto := ${k}`, `if upto > len(${xs}) {`, `    upto = len(${xs})`, '}', `part := ${xs}[:upto]`);
    case 'last':
      return lines(`upto := ${k}`, `if upto > len(${xs}) {`, `    upto = len(${xs})`, '}', `part := ${xs}[len(${xs})-upto:]`);
    case 'alt':
      return lines('part := []int{}', `for i := 0; i < len(${xs}); i += 2 {`, `    part = append(part, ${xs}[i])`, '}');
  }
}

function applySlice(kind: SliceKind, xs: number[], k: number): number[] {
  switch (kind) {
    case 'none':
      return xs;
    case 'first':
      return xs.slice(0, k);
    case 'last':
      return xs.slice(Math.max(0, xs.length - k));
    case 'alt':
      return xs.filter((_, i) => i % 2 === 0);
  }
}

function sliceWords(kind: SliceKind, xs: string, k: string): string {
  switch (kind) {
    case 'none':
      return `the elements of ${xs}`;
    case 'first':
      return `the first ${k} elements of ${xs}`;
    case 'last':
      return `the last ${k} elements of ${xs}`;
    case 'alt':
      return `the elements at even positions (0, 2, 4, ...) of ${xs}`;
  }
}

function listRoles(slice: SliceKind): ParamRole[] {
  const roles: ParamRole[] = [{ role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'a list of integers.' }];
  if (slice === 'first' || slice === 'last')
    roles.push({ role: 'k', type: 'int', names: K_NAMES, doc: (n) => `how many elements to take from the ${slice === 'first' ? 'start' : 'end'} of ${n.xs} (at least 1).` });
  return roles;
}

function pickSlice(rng: Rng): SliceKind {
  return rng.pick(['none', 'none', 'none', 'first', 'last', 'alt'] as const);
}

// ---- fold: slice -> filter -> map -> sum/product/count/max/min -------------------------

type FoldKind = 'sum' | 'product' | 'count' | 'max' | 'min';

const fold: Family = {
  name: 'fold',
  weight: 3,
  make(rng) {
    const slice = pickSlice(rng);
    const f = rng.pick(['sum', 'sum', 'product', 'count', 'max', 'min'] as const) as FoldKind;
    const p: IntPred | null = f === 'count' ? intPred(rng.pick(INT_PRED_KINDS), rng) : maybe(rng, 0.7, () => intPred(rng.pick(INT_PRED_KINDS), rng));
    const mapKinds = f === 'product' ? (['shift', 'minus', 'negate', 'scale'] as const) : INT_MAP_KINDS;
    const m: IntMap | null = f === 'count' ? null : maybe(rng, 0.6, () => intMap(rng.pick(mapKinds), rng));
    const shape = `fold/slice=${slice}/pred=${p?.kind ?? '-'}/map=${m?.kind ?? '-'}/fold=${f}`;
    const foldNoun = { sum: 'sum', product: 'product', count: 'number', max: 'largest', min: 'smallest' }[f];
    const V = (l: Lang, x: string) => (m ? m.render(l, x) : x);
    const P = (l: Lang, x: string) => (p ? p.render(l, x) : null);
    return {
      family: 'fold',
      shape,
      consts: JSON.stringify([p?.consts, m?.consts]),
      roles: listRoles(slice),
      returns: 'int',
      nameWords: [{ sum: 'sum', product: 'product', count: 'count', max: 'max', min: 'min' }[f], m?.kind ?? '', p?.kind ?? '', slice === 'none' ? '' : slice].filter(Boolean),
      summary(n) {
        const scope = sliceWords(slice, n.xs, n.k);
        const which = p ? `${scope} that are ${p.adj}` : scope;
        if (f === 'count') return `Count ${which}.`;
        const what = m ? `${m.of('x')} for each x among ${which}` : which;
        if (f === 'max' || f === 'min') return `Return the ${foldNoun} value of ${what}.`;
        return `Return the ${foldNoun} of ${what}.`;
      },
      returnsDoc:
        f === 'sum' ? 'The sum, 0 when nothing qualifies.' : f === 'product' ? 'The product, 1 when nothing qualifies.' : f === 'count' ? 'The count.' : `The ${foldNoun} value, or 0 when nothing qualifies.`,
      run(a) {
        let xs = applySlice(slice, a.xs as number[], a.k as number);
        if (p) xs = xs.filter((x) => p.test(x));
        const vs = m ? xs.map((x) => m.apply(x)) : xs;
        switch (f) {
          case 'sum':
            return vs.reduce((s, v) => s + v, 0);
          case 'product':
            return vs.reduce((s, v) => s * v, 1);
          case 'count':
            return vs.length;
          case 'max':
            return vs.length ? Math.max(...vs) : 0;
          case 'min':
            return vs.length ? Math.min(...vs) : 0;
        }
      },
      genArgs(rng) {
        const lim = f === 'product' ? 6 : 20;
        const a: Record<string, Value> = { xs: intList(rng, -lim, lim, f === 'product' ? 6 : 8) };
        if (slice === 'first' || slice === 'last') a.k = rng.between(1, 5);
        return a;
      },
      body(l, style, n) {
        const xs = n.xs;
        const src = sliceSrc(l, slice, xs, n.k);
        const acc = { sum: 'total', product: 'result', count: 'count', max: 'best', min: 'best' }[f];
        const cmp = f === 'max' ? '>' : '<';
        if (l === 'python') {
          if (style === 1) {
            const cond = p ? ` if ${P(l, 'x')}` : '';
            switch (f) {
              case 'sum':
                return `return sum(${V(l, 'x')} for x in ${src}${cond})`;
              case 'product':
                return lines('result = 1', `for v in [${V(l, 'x')} for x in ${src}${cond}]:`, '    result *= v', 'return result');
              case 'count':
                return `return len([x for x in ${src}${cond}])`;
              default:
                return `return ${f}((${V(l, 'x')} for x in ${src}${cond}), default=0)`;
            }
          }
          const upd =
            f === 'sum' ? `total += ${V(l, 'x')}` : f === 'product' ? `result *= ${V(l, 'x')}` : f === 'count' ? 'count += 1' : lines(`v = ${V(l, 'x')}`, `if best is None or v ${cmp} best:`, '    best = v');
          const init = f === 'sum' || f === 'count' ? `${acc} = 0` : f === 'product' ? 'result = 1' : 'best = None';
          const inner = p ? lines(`if ${P(l, 'x')}:`, ind(upd)) : upd;
          return lines(init, `for x in ${src}:`, ind(inner), f === 'max' || f === 'min' ? 'return 0 if best is None else best' : `return ${acc}`);
        }
        if (l === 'ruby') {
          if (style === 1) {
            if (f === 'count') return `${src}.count { |x| ${P(l, 'x')} }`;
            let chain = src + (p ? `.select { |x| ${P(l, 'x')} }` : '') + (m ? `.map { |x| ${V(l, 'x')} }` : '');
            if (f === 'sum') return `${chain}.sum`;
            if (f === 'product') return `${chain}.reduce(1, :*)`;
            return `${chain}.${f} || 0`;
          }
          const upd =
            f === 'sum' ? `total += ${V(l, 'x')}` : f === 'product' ? `result *= ${V(l, 'x')}` : f === 'count' ? 'count += 1' : lines(`v = ${V(l, 'x')}`, `best = v if best.nil? || v ${cmp} best`);
          const init = f === 'sum' || f === 'count' ? `${acc} = 0` : f === 'product' ? 'result = 1' : 'best = nil';
          const inner = p ? lines(`if ${P(l, 'x')}`, ind(upd), 'end') : upd;
          return lines(init, `${src}.each do |x|`, ind(inner), 'end', f === 'max' || f === 'min' ? 'best || 0' : acc);
        }
        if (l === 'javascript') {
          if (style === 1) {
            if (f === 'count') return `return ${src}.filter((x) => ${P(l, 'x')}).length;`;
            const chain = src + (p ? `.filter((x) => ${P(l, 'x')})` : '') + (m ? `.map((x) => ${V(l, 'x')})` : '');
            if (f === 'sum') return `return ${chain}.reduce((a, b) => a + b, 0);`;
            if (f === 'product') return `return ${chain}.reduce((a, b) => a * b, 1);`;
            return lines(`const vals = ${chain};`, `return vals.length > 0 ? Math.${f}(...vals) : 0;`);
          }
          const upd =
            f === 'sum' ? `total += ${V(l, 'x')};` : f === 'product' ? `result *= ${V(l, 'x')};` : f === 'count' ? 'count += 1;' : lines(`const v = ${V(l, 'x')};`, `if (best === null || v ${cmp} best) best = v;`);
          const init = f === 'sum' || f === 'count' ? `let ${acc} = 0;` : f === 'product' ? 'let result = 1;' : 'let best = null;';
          const inner = p ? lines(`if (${P(l, 'x')}) {`, ind(upd), '}') : upd;
          return lines(init, `for (const x of ${src}) {`, ind(inner), '}', f === 'max' || f === 'min' ? 'return best === null ? 0 : best;' : `return ${acc};`);
        }
        // go
        const pre = goSlicePrelude(slice, xs, n.k);
        const upd =
          f === 'sum' ? `total += ${V(l, 'x')}` : f === 'product' ? `result *= ${V(l, 'x')}` : f === 'count' ? 'count++' : lines(`v := ${V(l, 'x')}`, `if !found || v ${cmp} best {`, '    best, found = v, true', '}');
        const init = f === 'sum' || f === 'count' ? `${acc} := 0` : f === 'product' ? 'result := 1' : lines('best := 0', 'found := false');
        const inner = p ? lines(`if ${P(l, 'x')} {`, ind(upd), '}') : upd;
        const usesX = !!p || f !== 'count';
        const loop =
          style === 1
            ? lines(`for i := 0; i < len(${src}); i++ {`, usesX ? `    x := ${src}[i]` : null, ind(inner), '}')
            : lines(`for ${usesX ? '_, x' : '_'} := range ${src} {`, ind(inner), '}');
        return lines(pre, init, loop, `return ${acc}`);
      },
    };
  },
};

// ---- transform: slice -> filter -> map -> list -----------------------------------------

const transform: Family = {
  name: 'transform',
  weight: 2,
  make(rng) {
    const slice = pickSlice(rng);
    let p: IntPred | null = maybe(rng, 0.7, () => intPred(rng.pick(INT_PRED_KINDS), rng));
    const m: IntMap | null = p ? maybe(rng, 0.6, () => intMap(rng.pick(INT_MAP_KINDS), rng)) : intMap(rng.pick(INT_MAP_KINDS), rng);
    if (!p && !m) p = intPred('even', rng);
    const V = (l: Lang, x: string) => (m ? m.render(l, x) : x);
    return {
      family: 'transform',
      shape: `transform/slice=${slice}/pred=${p?.kind ?? '-'}/map=${m?.kind ?? '-'}`,
      consts: JSON.stringify([p?.consts, m?.consts]),
      roles: listRoles(slice),
      returns: 'int[]',
      nameWords: [m ? m.kind : 'keep', p?.kind ?? '', slice === 'none' ? '' : slice].filter(Boolean),
      summary(n) {
        const scope = sliceWords(slice, n.xs, n.k);
        const which = p ? `${scope} that are ${p.adj}` : scope;
        return m ? `Return a list holding ${m.of('x')} for each x among ${which}, in order.` : `Return a list of ${which}, in order.`;
      },
      returnsDoc: 'A new list (empty when nothing qualifies); the input is not modified.',
      run(a) {
        let xs = applySlice(slice, a.xs as number[], a.k as number);
        if (p) xs = xs.filter((x) => p!.test(x));
        return m ? xs.map((x) => m.apply(x)) : xs;
      },
      genArgs(rng) {
        const a: Record<string, Value> = { xs: intList(rng, -15, 15) };
        if (slice === 'first' || slice === 'last') a.k = rng.between(1, 5);
        return a;
      },
      body(l, style, n) {
        const src = sliceSrc(l, slice, n.xs, n.k);
        const P = p ? p.render(l, 'x') : null;
        if (l === 'python') {
          if (style === 1) return `return [${V(l, 'x')} for x in ${src}${P ? ` if ${P}` : ''}]`;
          const add = `out.append(${V(l, 'x')})`;
          return lines('out = []', `for x in ${src}:`, ind(P ? lines(`if ${P}:`, ind(add)) : add), 'return out');
        }
        if (l === 'ruby') {
          if (style === 1) return src + (P ? `.select { |x| ${P} }` : '') + (m ? `.map { |x| ${V(l, 'x')} }` : '');
          return lines('out = []', `${src}.each do |x|`, ind(`out << ${V(l, 'x')}${P ? ` if ${P}` : ''}`), 'end', 'out');
        }
        if (l === 'javascript') {
          if (style === 1) return `return ${src}${P ? `.filter((x) => ${P})` : ''}${m ? `.map((x) => ${V(l, 'x')})` : ''};`;
          const add = `out.push(${V(l, 'x')});`;
          return lines('const out = [];', `for (const x of ${src}) {`, ind(P ? lines(`if (${P}) {`, ind(add), '}') : add), '}', 'return out;');
        }
        const add = `out = append(out, ${V(l, 'x')})`;
        const inner = P ? lines(`if ${P} {`, ind(add), '}') : add;
        const loop = style === 1 ? lines(`for i := 0; i < len(${src}); i++ {`, `    x := ${src}[i]`, ind(inner), '}') : lines(`for _, x := range ${src} {`, ind(inner), '}');
        return lines(goSlicePrelude(slice, n.xs, n.k), 'out := []int{}', loop, 'return out');
      },
    };
  },
};

// ---- search: first/last index or element whose (mapped) value satisfies a predicate ----

const search: Family = {
  name: 'search',
  weight: 2,
  make(rng) {
    const dir = rng.pick(['first', 'last'] as const);
    const target = rng.pick(['index', 'index', 'value'] as const);
    const p = intPred(rng.pick(INT_PRED_KINDS), rng);
    const m = maybe(rng, 0.35, () => intMap(rng.pick(['square', 'scale', 'shift', 'minus', 'negate'] as const), rng));
    const dflt = target === 'index' ? -1 : rng.pick([0, -1, 100]);
    const C = (l: Lang, x: string) => p.render(l, m ? m.render(l, x) : x);
    const test = (x: number) => p.test(m ? m.apply(x) : x);
    return {
      family: 'search',
      shape: `search/dir=${dir}/target=${target}/pred=${p.kind}/map=${m?.kind ?? '-'}`,
      consts: JSON.stringify([p.consts, m?.consts, dflt]),
      roles: [{ role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'the list of integers to search.' }],
      returns: 'int',
      nameWords: [dir, target === 'index' ? 'index' : '', m?.kind ?? '', p.kind].filter(Boolean),
      summary(n) {
        const cond = m ? `${m.of('the element')} ${p.clause}` : `the element ${p.clause}`;
        return target === 'index'
          ? `Find the position of the ${dir} element of ${n.xs} such that ${cond}.`
          : `Find the ${dir} element of ${n.xs} such that ${cond}.`;
      },
      returnsDoc: target === 'index' ? 'Its zero-based index, or -1 when there is no such element.' : `That element, or ${dflt} when there is no such element.`,
      run(a) {
        const xs = a.xs as number[];
        const order = dir === 'first' ? xs.map((_, i) => i) : xs.map((_, i) => xs.length - 1 - i);
        for (const i of order) if (test(xs[i])) return target === 'index' ? i : xs[i];
        return dflt;
      },
      genArgs(rng) {
        return { xs: intList(rng, -12, 12, 8) };
      },
      body(l, style, n) {
        const xs = n.xs;
        const ret = (i: string, x: string) => (target === 'index' ? i : x);
        if (l === 'python') {
          if (style === 1) {
            if (target === 'index')
              return dir === 'first' ? `return next((i for i, x in enumerate(${xs}) if ${C(l, 'x')}), -1)` : `return max((i for i, x in enumerate(${xs}) if ${C(l, 'x')}), default=-1)`;
            return `return next((x for x in ${dir === 'first' ? xs : `reversed(${xs})`} if ${C(l, 'x')}), ${dflt})`;
          }
          if (dir === 'first') return lines(`for i, x in enumerate(${xs}):`, `    if ${C(l, 'x')}:`, `        return ${ret('i', 'x')}`, `return ${dflt}`);
          return lines(`for i in range(len(${xs}) - 1, -1, -1):`, `    if ${C(l, `${xs}[i]`)}:`, `        return ${ret('i', `${xs}[i]`)}`, `return ${dflt}`);
        }
        if (l === 'ruby') {
          if (style === 1) {
            if (target === 'index') return `${xs}.${dir === 'first' ? 'index' : 'rindex'} { |x| ${C(l, 'x')} } || -1`;
            return `${dir === 'first' ? xs : `${xs}.reverse`}.find { |x| ${C(l, 'x')} } || ${dflt}`;
          }
          if (dir === 'first') return lines(`${xs}.each_with_index do |x, i|`, `    return ${ret('i', 'x')} if ${C(l, 'x')}`, 'end', String(dflt));
          return lines(`(${xs}.length - 1).downto(0) do |i|`, `    return ${ret('i', `${xs}[i]`)} if ${C(l, `${xs}[i]`)}`, 'end', String(dflt));
        }
        if (l === 'javascript') {
          if (style === 1) {
            if (target === 'index') return `return ${xs}.${dir === 'first' ? 'findIndex' : 'findLastIndex'}((x) => ${C(l, 'x')});`;
            return `return ${xs}.${dir === 'first' ? 'find' : 'findLast'}((x) => ${C(l, 'x')}) ?? ${dflt};`;
          }
          if (dir === 'first') return lines(`for (let i = 0; i < ${xs}.length; i++) {`, `    if (${C(l, `${xs}[i]`)}) return ${ret('i', `${xs}[i]`)};`, '}', `return ${dflt};`);
          return lines(`for (let i = ${xs}.length - 1; i >= 0; i--) {`, `    if (${C(l, `${xs}[i]`)}) return ${ret('i', `${xs}[i]`)};`, '}', `return ${dflt};`);
        }
        // go
        if (style === 1) {
          // forward scan remembering the latest match (last) or stopping at the first
          if (dir === 'last')
            return lines(`result := ${dflt}`, `for ${target === 'index' ? 'i, x' : '_, x'} := range ${xs} {`, `    if ${C(l, 'x')} {`, `        result = ${ret('i', 'x')}`, '    }', '}', 'return result');
          return lines(`for i := 0; i < len(${xs}); i++ {`, `    if ${C(l, `${xs}[i]`)} {`, `        return ${ret('i', `${xs}[i]`)}`, '    }', '}', `return ${dflt}`);
        }
        if (dir === 'first')
          return lines(`for ${target === 'index' ? 'i, x' : '_, x'} := range ${xs} {`, `    if ${C(l, 'x')} {`, `        return ${ret('i', 'x')}`, '    }', '}', `return ${dflt}`);
        return lines(`for i := len(${xs}) - 1; i >= 0; i-- {`, `    if ${C(l, `${xs}[i]`)} {`, `        return ${ret('i', `${xs}[i]`)}`, '    }', '}', `return ${dflt}`);
      },
    };
  },
};

// ---- quantifier: all / any / none ------------------------------------------------------

const quantifier: Family = {
  name: 'quantifier',
  weight: 1,
  make(rng) {
    const q = rng.pick(['all', 'any', 'none'] as const);
    const p = intPred(rng.pick(INT_PRED_KINDS), rng);
    const m = maybe(rng, 0.3, () => intMap(rng.pick(['square', 'shift', 'minus', 'negate', 'scale'] as const), rng));
    const C = (l: Lang, x: string) => p.render(l, m ? m.render(l, x) : x);
    const test = (x: number) => p.test(m ? m.apply(x) : x);
    return {
      family: 'quantifier',
      shape: `quantifier/q=${q}/pred=${p.kind}/map=${m?.kind ?? '-'}`,
      consts: JSON.stringify([p.consts, m?.consts]),
      roles: [{ role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'a list of integers (possibly empty).' }],
      returns: 'bool',
      nameWords: [q, m?.kind ?? '', p.kind],
      summary(n) {
        const what = m ? `${m.of('the element')} ${p.clause}` : `it ${p.clause}`;
        return { all: `Check whether every element of ${n.xs} is such that ${what}.`, any: `Check whether some element of ${n.xs} is such that ${what}.`, none: `Check that no element of ${n.xs} is such that ${what}.` }[q];
      },
      returnsDoc: { all: 'true when all elements qualify (also for an empty list), else false.', any: 'true when at least one element qualifies, else false.', none: 'true when no element qualifies (also for an empty list), else false.' }[q],
      run(a) {
        const xs = a.xs as number[];
        return q === 'all' ? xs.every(test) : q === 'any' ? xs.some(test) : !xs.some(test);
      },
      genArgs(rng) {
        return { xs: intList(rng, -10, 10, 5) };
      },
      body(l, style, n) {
        const xs = n.xs;
        const c = C(l, 'x');
        // loop: return early on the first element that decides the answer
        const decide = q === 'all' ? 'fail' : 'hit';
        const early = q === 'any' ? 'true' : 'false';
        const late = q === 'any' ? 'false' : 'true';
        if (l === 'python') {
          const T = (b: string) => (b === 'true' ? 'True' : 'False');
          if (style === 1) return { all: `return all(${c} for x in ${xs})`, any: `return any(${c} for x in ${xs})`, none: `return not any(${c} for x in ${xs})` }[q];
          return lines(`for x in ${xs}:`, `    if ${decide === 'fail' ? `not (${c})` : c}:`, `        return ${T(early)}`, `return ${T(late)}`);
        }
        if (l === 'ruby') {
          if (style === 1) return `${xs}.${q}? { |x| ${c} }`;
          return lines(`${xs}.each do |x|`, `    return ${early} ${decide === 'fail' ? 'unless' : 'if'} ${c}`, 'end', late);
        }
        if (l === 'javascript') {
          if (style === 1) return { all: `return ${xs}.every((x) => ${c});`, any: `return ${xs}.some((x) => ${c});`, none: `return !${xs}.some((x) => ${c});` }[q];
          return lines(`for (const x of ${xs}) {`, `    if (${decide === 'fail' ? `!(${c})` : c}) return ${early};`, '}', `return ${late};`);
        }
        if (style === 1)
          return lines(`ok := ${late}`, `for _, x := range ${xs} {`, `    if ${decide === 'fail' ? `!(${c})` : c} {`, `        ok = ${early}`, '        break', '    }', '}', 'return ok');
        return lines(`for _, x := range ${xs} {`, `    if ${decide === 'fail' ? `!(${c})` : c} {`, `        return ${early}`, '    }', '}', `return ${late}`);
      },
    };
  },
};

// ---- words: split -> filter -> map -> join / count / list ------------------------------

const SEPS = [
  [' ', 'single spaces'],
  [',', 'commas'],
  [';', 'semicolons'],
  ['-', 'hyphens'],
] as const;

function word(rng: Rng): string {
  const letters = 'abcdefghiklmnoprstuwaeiou';
  let w = Array.from({ length: rng.between(1, 7) }, () => rng.pick([...letters])).join('');
  if (rng.chance(0.3)) w = w[0].toUpperCase() + w.slice(1);
  return w;
}

const words: Family = {
  name: 'words',
  weight: 2,
  make(rng) {
    const [sep, sepName] = rng.pick(SEPS);
    const out = rng.pick(['join', 'join', 'count', 'list'] as const);
    const p: StrPred | null = out === 'count' ? strPred(rng.pick(STR_PRED_KINDS), rng) : maybe(rng, 0.7, () => strPred(rng.pick(STR_PRED_KINDS), rng));
    let m: StrMap | null = out === 'count' ? null : maybe(rng, 0.7, () => strMap(rng.pick(STR_MAP_KINDS)));
    if (out !== 'count' && !p && !m) m = strMap('upper');
    const [sep2, sep2Name] = rng.pick(SEPS);
    const q = JSON.stringify(sep);
    const q2 = JSON.stringify(sep2);
    const Pr = (l: Lang) => (p ? p.render(l, 'w') : null);
    const M = (l: Lang) => (m ? m.render(l, 'w') : 'w');
    return {
      family: 'words',
      shape: `words/out=${out}/pred=${p?.kind ?? '-'}/map=${m?.kind ?? '-'}`,
      consts: JSON.stringify([sep, sep2, p?.consts]),
      roles: [{ role: 's', type: 'str', names: S_NAMES, doc: () => `non-empty words separated by single ${sepName.replace(/s$/, '')} characters.` }],
      returns: out === 'count' ? 'int' : out === 'list' ? 'str[]' : 'str',
      nameWords: [out === 'count' ? 'count' : m?.kind ?? 'keep', p?.kind ?? '', 'words'].filter(Boolean),
      summary(n) {
        const split = `Split ${n.s} on ${sepName}`;
        const keep = p ? `, keep each word that ${p.clause}` : '';
        if (out === 'count') return `${split} and count the words that ${p!.clause.replace(/^has /, 'have ').replace(/^(start|end|contain)s /, '$1 ')}.`;
        const each = m ? `, replace each by ${m.of('the word')}` : '';
        return out === 'list' ? `${split}${keep}${each}, and return the words as a list, in order.` : `${split}${keep}${each}, and join the words with ${sep2Name.replace(/s$/, '')} characters between them.`;
      },
      returnsDoc: out === 'count' ? 'The number of such words.' : out === 'list' ? 'A list of strings, empty when no word qualifies.' : 'The joined string, empty when no word qualifies.',
      run(a) {
        let ws = (a.s as string).split(sep);
        if (p) ws = ws.filter((w) => p.test(w));
        if (out === 'count') return ws.length;
        if (m) ws = ws.map((w) => m!.apply(w));
        return out === 'list' ? ws : ws.join(sep2);
      },
      genArgs(rng) {
        return { s: Array.from({ length: rng.between(1, 6) }, () => word(rng)).join(sep) };
      },
      body(l, style, n) {
        const s = n.s;
        const P = Pr(l);
        if (l === 'python') {
          if (style === 1) {
            const gen = `${M(l)} for w in ${s}.split(${q})${P ? ` if ${P}` : ''}`;
            return out === 'count' ? `return sum(1 for w in ${s}.split(${q}) if ${P})` : out === 'list' ? `return [${gen}]` : `return ${q2}.join(${gen})`;
          }
          const upd = out === 'count' ? 'count += 1' : `out.append(${M(l)})`;
          return lines(out === 'count' ? 'count = 0' : 'out = []', `for w in ${s}.split(${q}):`, ind(P ? lines(`if ${P}:`, ind(upd)) : upd), out === 'count' ? 'return count' : out === 'list' ? 'return out' : `return ${q2}.join(out)`);
        }
        if (l === 'ruby') {
          if (style === 1) {
            if (out === 'count') return `${s}.split(${q}).count { |w| ${P} }`;
            const chain = `${s}.split(${q})${P ? `.select { |w| ${P} }` : ''}${m ? `.map { |w| ${M(l)} }` : ''}`;
            return out === 'list' ? chain : `${chain}.join(${q2})`;
          }
          const upd = out === 'count' ? 'count += 1' : `out << ${M(l)}`;
          return lines(out === 'count' ? 'count = 0' : 'out = []', `${s}.split(${q}).each do |w|`, ind(P ? `${upd} if ${P}` : upd), 'end', out === 'count' ? 'count' : out === 'list' ? 'out' : `out.join(${q2})`);
        }
        if (l === 'javascript') {
          if (style === 1) {
            if (out === 'count') return `return ${s}.split(${q}).filter((w) => ${P}).length;`;
            const chain = `${s}.split(${q})${P ? `.filter((w) => ${P})` : ''}${m ? `.map((w) => ${M(l)})` : ''}`;
            return out === 'list' ? `return ${chain};` : `return ${chain}.join(${q2});`;
          }
          const upd = out === 'count' ? 'count += 1;' : `out.push(${M(l)});`;
          return lines(out === 'count' ? 'let count = 0;' : 'const out = [];', `for (const w of ${s}.split(${q})) {`, ind(P ? lines(`if (${P}) {`, ind(upd), '}') : upd), '}', out === 'count' ? 'return count;' : out === 'list' ? 'return out;' : `return out.join(${q2});`);
        }
        const upd = out === 'count' ? 'count++' : `out = append(out, ${M(l)})`;
        const inner = P ? lines(`if ${P} {`, ind(upd), '}') : upd;
        const loop =
          style === 1
            ? lines(`parts := strings.Split(${s}, ${q})`, 'for i := 0; i < len(parts); i++ {', '    w := parts[i]', ind(inner), '}')
            : lines(`for _, w := range strings.Split(${s}, ${q}) {`, ind(inner), '}');
        return lines(out === 'count' ? 'count := 0' : 'out := []string{}', loop, out === 'count' ? 'return count' : out === 'list' ? 'return out' : `return strings.Join(out, ${q2})`);
      },
    };
  },
};

// ---- chars: count / keep / remove characters of a class, optionally changing case ------

const chars: Family = {
  name: 'chars',
  weight: 1.5,
  make(rng) {
    const out = rng.pick(['count', 'keep', 'remove'] as const);
    const p: CharPred = charPred(rng.pick(CHAR_PRED_KINDS), rng);
    const cm = out === 'count' ? 'none' : rng.pick(['none', 'upper', 'lower'] as const);
    const neg = out === 'remove';
    const P = (l: Lang) => {
      const c = p.render(l, 'ch');
      return neg ? (l === 'python' ? `not (${c})` : `!(${c})`) : c;
    };
    const CM: Record<Lang, string> = {
      python: cm === 'none' ? 'ch' : `ch.${cm}()`,
      ruby: cm === 'none' ? 'ch' : cm === 'upper' ? 'ch.upcase' : 'ch.downcase',
      javascript: cm === 'none' ? 'ch' : cm === 'upper' ? 'ch.toUpperCase()' : 'ch.toLowerCase()',
      go: cm === 'none' ? 'ch' : cm === 'upper' ? 'unicode.ToUpper(ch)' : 'unicode.ToLower(ch)',
    };
    return {
      family: 'chars',
      shape: `chars/out=${out}/pred=${p.kind}/case=${cm}`,
      consts: JSON.stringify(p.consts),
      roles: [{ role: 's', type: 'str', names: S_NAMES, doc: () => 'an ASCII string.' }],
      returns: out === 'count' ? 'int' : 'str',
      nameWords: [out, p.kind, cm === 'none' ? '' : cm].filter(Boolean),
      summary(n) {
        const caseW = cm === 'none' ? '' : `, converted to ${cm}case`;
        if (out === 'count') return `Count the ${p.noun} in ${n.s}.`;
        if (out === 'keep') return `Return only the ${p.noun} of ${n.s}${caseW}, in their original order.`;
        return `Return ${n.s} with all ${p.noun} removed${cm === 'none' ? '' : ` and the remaining characters converted to ${cm}case`}.`;
      },
      returnsDoc: out === 'count' ? 'The number of matching characters.' : 'The resulting string (possibly empty).',
      run(a) {
        const cs = [...(a.s as string)].filter((c) => p.test(c) !== neg);
        if (out === 'count') return cs.length;
        return cs.map((c) => (cm === 'upper' ? c.toUpperCase() : cm === 'lower' ? c.toLowerCase() : c)).join('');
      },
      genArgs(rng) {
        const alphabet = 'abcdeiouxyzAEIOXYZ 0123456789';
        const extra = p.consts.join('');
        return { s: Array.from({ length: rng.between(0, 12) }, () => (extra && rng.chance(0.2) ? extra : rng.pick([...alphabet]))).join('') };
      },
      body(l, style, n) {
        const s = n.s;
        const c = P(l);
        if (l === 'python') {
          if (style === 1) return out === 'count' ? `return sum(1 for ch in ${s} if ${c})` : `return "".join(${CM.python} for ch in ${s} if ${c})`;
          const upd = out === 'count' ? 'count += 1' : `out += ${CM.python}`;
          return lines(out === 'count' ? 'count = 0' : 'out = ""', `for ch in ${s}:`, `    if ${c}:`, `        ${upd}`, `return ${out === 'count' ? 'count' : 'out'}`);
        }
        if (l === 'ruby') {
          if (style === 1) return out === 'count' ? `${s}.chars.count { |ch| ${c} }` : `${s}.chars.select { |ch| ${c} }${cm === 'none' ? '' : `.map { |ch| ${CM.ruby} }`}.join`;
          const upd = out === 'count' ? 'count += 1' : `out += ${CM.ruby}`;
          return lines(out === 'count' ? 'count = 0' : 'out = ""', `${s}.each_char do |ch|`, `    ${upd} if ${c}`, 'end', out === 'count' ? 'count' : 'out');
        }
        if (l === 'javascript') {
          if (style === 1) return out === 'count' ? `return [...${s}].filter((ch) => ${c}).length;` : `return [...${s}].filter((ch) => ${c})${cm === 'none' ? '' : `.map((ch) => ${CM.javascript})`}.join("");`;
          const upd = out === 'count' ? 'count += 1;' : `out += ${CM.javascript};`;
          return lines(out === 'count' ? 'let count = 0;' : 'let out = "";', `for (const ch of ${s}) {`, `    if (${c}) ${upd}`, '}', `return ${out === 'count' ? 'count' : 'out'};`);
        }
        const upd = out === 'count' ? 'count++' : `b.WriteRune(${CM.go})`;
        const head = style === 1 ? lines(`for i := 0; i < len(${s}); i++ {`, `    ch := rune(${s}[i])`) : `for _, ch := range ${s} {`;
        return lines(out === 'count' ? 'count := 0' : 'var b strings.Builder', head, `    if ${c} {`, `        ${upd}`, '    }', '}', `return ${out === 'count' ? 'count' : 'b.String()'}`);
      },
    };
  },
};

// ---- digits: fold over the decimal digits of a positive integer ------------------------

const digits: Family = {
  name: 'digits',
  weight: 1.5,
  make(rng) {
    const f = rng.pick(['sum', 'product', 'count', 'max'] as const);
    const p: IntPred | null = f === 'count' ? intPred(rng.pick(['even', 'odd', 'gt', 'lt', 'between'] as const), rng, true) : maybe(rng, 0.6, () => intPred(rng.pick(['even', 'odd', 'gt', 'lt'] as const), rng, true));
    const P = (l: Lang) => (p ? p.render(l, 'd') : null);
    const acc = { sum: 'total', product: 'result', count: 'count', max: 'best' }[f];
    const init = f === 'product' ? 1 : 0;
    return {
      family: 'digits',
      shape: `digits/pred=${p?.kind ?? '-'}/fold=${f}`,
      consts: JSON.stringify(p?.consts),
      roles: [{ role: 'n', type: 'int', names: N_NAMES, doc: () => 'a positive integer.' }],
      returns: 'int',
      nameWords: [f, p?.kind ?? '', 'digits'].filter(Boolean),
      summary(n) {
        const which = p ? `the decimal digits of ${n.n} that are ${p.adj}` : `the decimal digits of ${n.n}`;
        return f === 'count' ? `Count ${which}.` : f === 'max' ? `Return the largest of ${which}.` : `Return the ${f} of ${which}.`;
      },
      returnsDoc: f === 'sum' ? 'The sum, 0 when no digit qualifies.' : f === 'product' ? 'The product, 1 when no digit qualifies.' : f === 'count' ? 'The count.' : 'The largest such digit, 0 when none qualifies.',
      run(a) {
        let ds = String(a.n).split('').map(Number);
        if (p) ds = ds.filter((d) => p.test(d));
        return f === 'sum' ? ds.reduce((s, d) => s + d, 0) : f === 'product' ? ds.reduce((s, d) => s * d, 1) : f === 'count' ? ds.length : Math.max(0, ...ds);
      },
      genArgs(rng) {
        return { n: rng.between(1, 10 ** rng.between(1, 7)) };
      },
      body(l, style, nm) {
        const n = nm.n;
        const c = P(l);
        const updOf = (op: string) =>
          f === 'sum' ? `total += d${op}` : f === 'product' ? `result *= d${op}` : f === 'count' ? `count += 1${op}` : null;
        if (l === 'python') {
          if (style === 1) {
            const gen = `d for d in [int(c) for c in str(${n})]${c ? ` if ${c}` : ''}`;
            if (f === 'sum') return `return sum(${gen})`;
            if (f === 'count') return `return len([${gen}])`;
            if (f === 'max') return `return max((${gen}), default=0)`;
            return lines('result = 1', `for d in [int(c) for c in str(${n})]:`, c ? `    if ${c}:\n        result *= d` : '    result *= d', 'return result');
          }
          const upd = f === 'max' ? lines('if d > best:', '    best = d') : updOf('')!;
          return lines(`${acc} = ${init}`, `while ${n} > 0:`, `    d = ${n} % 10`, ind(c ? lines(`if ${c}:`, ind(upd)) : upd), `    ${n} //= 10`, `return ${acc}`);
        }
        if (l === 'ruby') {
          if (style === 1) {
            const sel = c ? `.select { |d| ${c} }` : '';
            return f === 'sum' ? `${n}.digits${sel}.sum` : f === 'product' ? `${n}.digits${sel}.reduce(1, :*)` : f === 'count' ? `${n}.digits.count { |d| ${c} }` : `${n}.digits${sel}.max || 0`;
          }
          const upd = f === 'max' ? 'best = d if d > best' : updOf('')!;
          return lines(`${acc} = ${init}`, `while ${n} > 0`, `    d = ${n} % 10`, ind(c ? (f === 'max' ? lines(`if ${c}`, ind(upd), 'end') : `${upd} if ${c}`) : upd), `    ${n} /= 10`, 'end', acc);
        }
        if (l === 'javascript') {
          if (style === 1) {
            const chain = `String(${n}).split("").map(Number)${c ? `.filter((d) => ${c})` : ''}`;
            return f === 'sum' ? `return ${chain}.reduce((a, b) => a + b, 0);` : f === 'product' ? `return ${chain}.reduce((a, b) => a * b, 1);` : f === 'count' ? `return ${chain}.length;` : `return Math.max(0, ...${chain});`;
          }
          const upd = f === 'max' ? 'if (d > best) best = d;' : updOf(';')!;
          return lines(`let ${acc} = ${init};`, `while (${n} > 0) {`, `    const d = ${n} % 10;`, ind(c ? lines(`if (${c}) {`, ind(upd), '}') : upd), `    ${n} = Math.floor(${n} / 10);`, '}', `return ${acc};`);
        }
        const upd = f === 'max' ? lines('if d > best {', '    best = d', '}') : f === 'count' ? 'count++' : updOf('')!;
        const inner = c ? lines(`if ${c} {`, ind(upd), '}') : upd;
        if (style === 1) return lines(`${acc} := ${init}`, `for _, c := range strconv.Itoa(${n}) {`, "    d := int(c - '0')", ind(inner), '}', `return ${acc}`);
        return lines(`${acc} := ${init}`, `for ${n} > 0 {`, `    d := ${n} % 10`, ind(inner), `    ${n} /= 10`, '}', `return ${acc}`);
      },
    };
  },
};

// ---- piecewise: conditionals with early returns ----------------------------------------

interface Branch {
  kind: string;
  of(w: string): string;
  apply(x: number): number;
  render(l: Lang, x: string): string;
}

function branchExpr(rng: Rng): Branch {
  const k = rng.pick(['identity', 'const', 'square', 'scale', 'shift', 'minus', 'negate', 'affine'] as const);
  if (k === 'identity') return { kind: k, of: (w) => w, apply: (x) => x, render: (_l, x) => x };
  if (k === 'const') {
    const c = rng.between(-3, 9);
    return { kind: k, of: () => String(c), apply: () => c, render: () => String(c) };
  }
  return intMap(k, rng);
}

const piecewise: Family = {
  name: 'piecewise',
  weight: 1.5,
  make(rng) {
    const k1 = rng.pick(INT_PRED_KINDS);
    const k2 = rng.pick(INT_PRED_KINDS.filter((k) => k !== k1));
    const c1 = intPred(k1, rng);
    const c2 = intPred(k2, rng);
    const e = [branchExpr(rng), branchExpr(rng), branchExpr(rng)];
    return {
      family: 'piecewise',
      shape: `piecewise/c1=${c1.kind}/c2=${c2.kind}/e=${e.map((x) => x.kind).join(',')}`,
      consts: JSON.stringify([c1.consts, c2.consts, e.map((x) => x.render('python', 'x'))]),
      roles: [{ role: 'n', type: 'int', names: N_NAMES, doc: () => 'the input integer.' }],
      returns: 'int',
      nameWords: ['classify', c1.kind, c2.kind],
      summary(nm) {
        const n = nm.n;
        return `Return ${e[0].of(n)} when ${n} ${c1.clause}; otherwise ${e[1].of(n)} when ${n} ${c2.clause}; otherwise ${e[2].of(n)}.`;
      },
      returnsDoc: 'The value of the first branch whose condition holds.',
      run(a) {
        const n = a.n as number;
        return c1.test(n) ? e[0].apply(n) : c2.test(n) ? e[1].apply(n) : e[2].apply(n);
      },
      genArgs(rng) {
        return { n: rng.between(-20, 20) };
      },
      body(l, style, nm) {
        const n = nm.n;
        const [a, b, c] = e.map((x) => x.render(l, n));
        const [p1, p2] = [c1.render(l, n), c2.render(l, n)];
        if (l === 'python')
          return style === 1 ? `return ${a} if ${p1} else ${b} if ${p2} else ${c}` : lines(`if ${p1}:`, `    return ${a}`, `elif ${p2}:`, `    return ${b}`, 'else:', `    return ${c}`);
        if (l === 'ruby') return style === 1 ? lines(`return ${a} if ${p1}`, `return ${b} if ${p2}`, c) : lines(`if ${p1}`, `    ${a}`, `elsif ${p2}`, `    ${b}`, 'else', `    ${c}`, 'end');
        if (l === 'javascript')
          return style === 1 ? `return ${p1} ? ${a} : ${p2} ? ${b} : ${c};` : lines(`if (${p1}) {`, `    return ${a};`, `} else if (${p2}) {`, `    return ${b};`, '}', `return ${c};`);
        return style === 1
          ? lines('switch {', `case ${p1}:`, `    return ${a}`, `case ${p2}:`, `    return ${b}`, 'default:', `    return ${c}`, '}')
          : lines(`if ${p1} {`, `    return ${a}`, `} else if ${p2} {`, `    return ${b}`, '}', `return ${c}`);
      },
    };
  },
};

// ---- pairs: count adjacent pairs in a relation -----------------------------------------

const pairs: Family = {
  name: 'pairs',
  weight: 1,
  make(rng) {
    const rel = rng.pick(['lt', 'gt', 'eq', 'ne', 'sumEven', 'stepGt'] as const);
    const c = rng.between(1, 5);
    const R = (l: Lang, a: string, b: string): string =>
      ({
        lt: `${a} < ${b}`,
        gt: `${a} > ${b}`,
        eq: `${a} ${EQ[l]} ${b}`,
        ne: `${a} ${NE[l]} ${b}`,
        sumEven: `(${a} + ${b}) % 2 ${EQ[l]} 0`,
        stepGt: `${b} - ${a} > ${c}`,
      })[rel];
    const test = (a: number, b: number) => ({ lt: a < b, gt: a > b, eq: a === b, ne: a !== b, sumEven: (a + b) % 2 === 0, stepGt: b - a > c })[rel];
    const words = {
      lt: 'the second is greater than the first',
      gt: 'the second is smaller than the first',
      eq: 'both are equal',
      ne: 'the two differ',
      sumEven: 'their sum is even',
      stepGt: `the second exceeds the first by more than ${c}`,
    }[rel];
    return {
      family: 'pairs',
      shape: `pairs/rel=${rel}`,
      consts: JSON.stringify(rel === 'stepGt' ? c : null),
      roles: [{ role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'a list of integers.' }],
      returns: 'int',
      nameWords: ['count', rel, 'pairs'],
      summary: (n) => `Count the neighbouring pairs (${n.xs}[i], ${n.xs}[i + 1]) of ${n.xs} in which ${words}.`,
      returnsDoc: 'The number of such pairs, 0 for lists shorter than two.',
      run(a) {
        const xs = a.xs as number[];
        let k = 0;
        for (let i = 0; i + 1 < xs.length; i++) if (test(xs[i], xs[i + 1])) k++;
        return k;
      },
      genArgs(rng) {
        return { xs: intList(rng, -6, 9, 8) };
      },
      body(l, style, n) {
        const xs = n.xs;
        if (l === 'python') {
          if (style === 1) return `return sum(1 for a, b in zip(${xs}, ${xs}[1:]) if ${R(l, 'a', 'b')})`;
          return lines('count = 0', `for i in range(len(${xs}) - 1):`, `    if ${R(l, `${xs}[i]`, `${xs}[i + 1]`)}:`, '        count += 1', 'return count');
        }
        if (l === 'ruby') {
          if (style === 1) return `${xs}.each_cons(2).count { |a, b| ${R(l, 'a', 'b')} }`;
          return lines('count = 0', `(0...${xs}.length - 1).each do |i|`, `    count += 1 if ${R(l, `${xs}[i]`, `${xs}[i + 1]`)}`, 'end', 'count');
        }
        if (l === 'javascript') {
          if (style === 1) return `return ${xs}.slice(1).filter((b, i) => ${R(l, `${xs}[i]`, 'b')}).length;`;
          return lines('let count = 0;', `for (let i = 0; i + 1 < ${xs}.length; i++) {`, `    if (${R(l, `${xs}[i]`, `${xs}[i + 1]`)}) count++;`, '}', 'return count;');
        }
        if (style === 1) return lines('count := 0', `for i := 1; i < len(${xs}); i++ {`, `    a, b := ${xs}[i-1], ${xs}[i]`, `    if ${R(l, 'a', 'b')} {`, '        count++', '    }', '}', 'return count');
        return lines('count := 0', `for i := 0; i+1 < len(${xs}); i++ {`, `    if ${R(l, `${xs}[i]`, `${xs}[i+1]`)} {`, '        count++', '    }', '}', 'return count');
      },
    };
  },
};

// ---- run: longest run of consecutive elements satisfying a predicate --------------------

const longestRun: Family = {
  name: 'run',
  weight: 1,
  make(rng) {
    const p = intPred(rng.pick(INT_PRED_KINDS), rng);
    return {
      family: 'run',
      shape: `run/pred=${p.kind}`,
      consts: JSON.stringify(p.consts),
      roles: [{ role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'a list of integers.' }],
      returns: 'int',
      nameWords: ['longest', p.kind, 'run'],
      summary: (n) => `Return the length of the longest stretch of consecutive elements of ${n.xs} that are all ${p.adj}.`,
      returnsDoc: 'The length of that stretch, 0 when no element qualifies.',
      run(a) {
        let best = 0;
        let cur = 0;
        for (const x of a.xs as number[]) {
          cur = p.test(x) ? cur + 1 : 0;
          best = Math.max(best, cur);
        }
        return best;
      },
      genArgs(rng) {
        return { xs: intList(rng, -8, 12, 10) };
      },
      body(l, style, n) {
        const xs = n.xs;
        const c = p.render(l, 'x');
        if (l === 'python') {
          if (style === 1) return lines('best = cur = 0', `for x in ${xs}:`, `    cur = cur + 1 if ${c} else 0`, '    best = max(best, cur)', 'return best');
          return lines('best = 0', 'cur = 0', `for x in ${xs}:`, `    if ${c}:`, '        cur += 1', '        if cur > best:', '            best = cur', '    else:', '        cur = 0', 'return best');
        }
        if (l === 'ruby') {
          if (style === 1) return lines('best = cur = 0', `${xs}.each do |x|`, `    cur = ${c} ? cur + 1 : 0`, '    best = [best, cur].max', 'end', 'best');
          return lines('best = 0', 'cur = 0', `${xs}.each do |x|`, `    if ${c}`, '        cur += 1', '        best = cur if cur > best', '    else', '        cur = 0', '    end', 'end', 'best');
        }
        if (l === 'javascript') {
          if (style === 1) return lines('let best = 0;', 'let cur = 0;', `for (const x of ${xs}) {`, `    cur = ${c} ? cur + 1 : 0;`, '    best = Math.max(best, cur);', '}', 'return best;');
          return lines('let best = 0;', 'let cur = 0;', `for (const x of ${xs}) {`, `    if (${c}) {`, '        cur++;', '        if (cur > best) best = cur;', '    } else {', '        cur = 0;', '    }', '}', 'return best;');
        }
        if (style === 1)
          return lines('best, cur := 0, 0', `for i := 0; i < len(${xs}); i++ {`, `    x := ${xs}[i]`, `    if !(${c}) {`, '        cur = 0', '        continue', '    }', '    cur++', '    if cur > best {', '        best = cur', '    }', '}', 'return best');
        return lines('best := 0', 'cur := 0', `for _, x := range ${xs} {`, `    if ${c} {`, '        cur++', '        if cur > best {', '            best = cur', '        }', '    } else {', '        cur = 0', '    }', '}', 'return best');
      },
    };
  },
};

// ---- sort: stable sort by a key, optionally keep the first k ---------------------------

const sortBy: Family = {
  name: 'sort',
  weight: 1.5,
  make(rng) {
    const key = rng.pick(['value', 'desc', 'lastDigit', 'dist', 'mod'] as const);
    const c = key === 'mod' ? rng.between(3, 7) : rng.between(5, 30);
    const out = rng.pick(['all', 'firstK'] as const);
    const K = (l: Lang, x: string): string =>
      ({
        value: x,
        desc: `-${x}`,
        lastDigit: `${x} % 10`,
        mod: `${x} % ${c}`,
        dist: { python: `abs(${x} - ${c})`, ruby: `(${x} - ${c}).abs`, javascript: `Math.abs(${x} - ${c})`, go: `key(${x})` }[l],
      })[key];
    const kf = (x: number) => ({ value: x, desc: -x, lastDigit: x % 10, mod: x % c, dist: Math.abs(x - c) })[key];
    const keyWords = {
      value: 'in increasing order',
      desc: 'in decreasing order',
      lastDigit: 'by their last decimal digit',
      mod: `by their remainder modulo ${c}`,
      dist: `by their distance from ${c}`,
    }[key];
    const roles: ParamRole[] = [{ role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'a list of non-negative integers.' }];
    if (out === 'firstK') roles.push({ role: 'k', type: 'int', names: K_NAMES, doc: () => 'how many elements to return.' });
    return {
      family: 'sort',
      shape: `sort/key=${key}/out=${out}`,
      consts: JSON.stringify(key === 'mod' || key === 'dist' ? c : null),
      roles,
      returns: 'int[]',
      nameWords: [out === 'firstK' ? 'top' : 'sort', key],
      summary(n) {
        const stable = key === 'value' || key === 'desc' ? '' : ' (elements with equal keys keep their original order)';
        return out === 'firstK' ? `Sort the elements of ${n.xs} ${keyWords}${stable} and return the first ${n.k} of them.` : `Return the elements of ${n.xs} sorted ${keyWords}${stable}.`;
      },
      returnsDoc: out === 'firstK' ? 'A new list of at most that many elements.' : 'A new sorted list; the input is not modified.',
      run(a) {
        const xs = (a.xs as number[]).map((x, i) => [x, i] as const);
        xs.sort((p, q) => kf(p[0]) - kf(q[0]) || p[1] - q[1]);
        const s = xs.map((p) => p[0]);
        return out === 'firstK' ? s.slice(0, a.k as number) : s;
      },
      genArgs(rng) {
        const a: Record<string, Value> = { xs: intList(rng, 0, 40, 8) };
        if (out === 'firstK') a.k = rng.between(0, 5);
        return a;
      },
      body(l, style, n) {
        const xs = n.xs;
        const k = n.k;
        if (l === 'python') {
          const cut = out === 'firstK' ? `[:${k}]` : '';
          if (style === 1) {
            if (key === 'value') return `return sorted(${xs})${cut}`;
            if (key === 'desc') return `return sorted(${xs}, reverse=True)${cut}`;
            return `return sorted(${xs}, key=lambda x: ${K(l, 'x')})${cut}`;
          }
          return lines('out = []', `for x in ${xs}:`, '    i = len(out)', `    while i > 0 and ${K(l, 'out[i - 1]')} > ${K(l, 'x')}:`, '        i -= 1', '    out.insert(i, x)', `return out${cut}`);
        }
        if (l === 'ruby') {
          const cut = out === 'firstK' ? `.first(${k})` : '';
          if (style === 1) {
            if (key === 'value') return `${xs}.sort${cut}`;
            if (key === 'desc') return `${xs}.sort.reverse${cut}`;
            // sort_by is not stable in Ruby: the index breaks ties
            return `${xs}.each_with_index.sort_by { |x, i| [${K(l, 'x')}, i] }.map(&:first)${cut}`;
          }
          return lines('out = []', `${xs}.each do |x|`, '    i = out.length', `    i -= 1 while i > 0 && ${K(l, 'out[i - 1]')} > ${K(l, 'x')}`, '    out.insert(i, x)', 'end', `out${cut}`);
        }
        if (l === 'javascript') {
          const cut = out === 'firstK' ? `.slice(0, ${k})` : '';
          if (style === 1) return `return [...${xs}].sort((a, b) => ${paren(K(l, 'a'))} - ${paren(K(l, 'b'))})${cut};`;
          return lines('const out = [];', `for (const x of ${xs}) {`, '    let i = out.length;', `    while (i > 0 && ${K(l, 'out[i - 1]')} > ${K(l, 'x')}) i--;`, '    out.splice(i, 0, x);', '}', `return out${cut};`);
        }
        const keyFn =
          key === 'dist'
            ? lines('key := func(x int) int {', `    if x < ${c} {`, `        return ${c} - x`, '    }', `    return x - ${c}`, '}')
            : null;
        const cut =
          out === 'firstK' ? lines(`if ${k} < len(out) {`, `    out = out[:${k}]`, '}') : null;
        if (style === 1)
          return lines(keyFn, `out := append([]int{}, ${xs}...)`, 'sort.SliceStable(out, func(i, j int) bool {', `    return ${K(l, 'out[i]')} < ${K(l, 'out[j]')}`, '})', cut, 'return out');
        return lines(
          keyFn,
          'out := []int{}',
          `for _, x := range ${xs} {`,
          '    i := len(out)',
          `    for i > 0 && ${K(l, 'out[i-1]')} > ${K(l, 'x')} {`,
          '        i--',
          '    }',
          '    out = append(out, 0)',
          '    copy(out[i+1:], out[i:])',
          '    out[i] = x',
          '}',
          cut,
          'return out',
        );
      },
    };
  },
};

// ---- zip: two lists combined position by position (argument order matters) -----------

const zipLists: Family = {
  name: 'zip',
  weight: 1.5,
  make(rng) {
    const out = rng.pick(['list', 'sum', 'count'] as const);
    const op = rng.pick(['add', 'sub', 'mul', 'lin'] as const);
    const rel = rng.pick(['lt', 'gt', 'eq', 'ne', 'parity'] as const);
    const OP = (a: string, b: string) => ({ add: `${a} + ${b}`, sub: `${a} - ${b}`, mul: `${a} * ${b}`, lin: `2 * ${a} + ${b}` })[op];
    const opf = (a: number, b: number) => ({ add: a + b, sub: a - b, mul: a * b, lin: 2 * a + b })[op];
    const REL = (l: Lang, a: string, b: string) => ({ lt: `${a} < ${b}`, gt: `${a} > ${b}`, eq: `${a} ${EQ[l]} ${b}`, ne: `${a} ${NE[l]} ${b}`, parity: `(${a} - ${b}) % 2 ${EQ[l]} 0` })[rel];
    const relf = (a: number, b: number) => ({ lt: a < b, gt: a > b, eq: a === b, ne: a !== b, parity: (a - b) % 2 === 0 })[rel];
    const opWords = (a: string, b: string) => ({ add: `${a} + ${b}`, sub: `${a} - ${b}`, mul: `${a} * ${b}`, lin: `2 * ${a} + ${b}` })[op];
    const relWords = { lt: 'a < b', gt: 'a > b', eq: 'a == b', ne: 'a != b', parity: 'a and b have the same parity' }[rel];
    return {
      family: 'zip',
      shape: out === 'count' ? `zip/out=count/rel=${rel}` : `zip/out=${out}/op=${op}`,
      consts: '',
      roles: [
        { role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'the first list of integers.' },
        { role: 'ys', type: 'int[]', names: LIST_NAMES, doc: () => 'the second list of integers.' },
      ],
      returns: out === 'list' ? 'int[]' : 'int',
      nameWords: [out === 'count' ? 'count' : out === 'sum' ? 'sum' : 'combine', out === 'count' ? rel : op, 'pairs'],
      summary(n) {
        const pairs = `each pair (a, b) with a from ${n.xs} and b from ${n.ys} at the same position, up to the length of the shorter list`;
        if (out === 'count') return `Count the positions where ${relWords}, over ${pairs}.`;
        if (out === 'sum') return `Return the sum of ${opWords('a', 'b')} over ${pairs}.`;
        return `Return a list holding ${opWords('a', 'b')} for ${pairs}.`;
      },
      returnsDoc: out === 'count' ? 'The number of such positions.' : out === 'sum' ? 'The sum, 0 when either list is empty.' : 'A list as long as the shorter input.',
      run(a) {
        const xs = a.xs as number[];
        const ys = a.ys as number[];
        const m = Math.min(xs.length, ys.length);
        const idx = Array.from({ length: m }, (_, i) => i);
        if (out === 'count') return idx.filter((i) => relf(xs[i], ys[i])).length;
        const vs = idx.map((i) => opf(xs[i], ys[i]));
        return out === 'sum' ? vs.reduce((x, y) => x + y, 0) : vs;
      },
      genArgs(rng) {
        return { xs: intList(rng, -9, 9, 6), ys: intList(rng, -9, 9, 6) };
      },
      body(l, style, n) {
        const { xs, ys } = n;
        const upd = out === 'count' ? null : OP(`${xs}[i]`, `${ys}[i]`);
        if (l === 'python') {
          if (style === 1) {
            if (out === 'count') return `return sum(1 for a, b in zip(${xs}, ${ys}) if ${REL(l, 'a', 'b')})`;
            return out === 'sum' ? `return sum(${OP('a', 'b')} for a, b in zip(${xs}, ${ys}))` : `return [${OP('a', 'b')} for a, b in zip(${xs}, ${ys})]`;
          }
          const step = out === 'count' ? lines(`if ${REL(l, `${xs}[i]`, `${ys}[i]`)}:`, '    count += 1') : out === 'sum' ? `total += ${upd}` : `out.append(${upd})`;
          const acc = { count: 'count', sum: 'total', list: 'out' }[out];
          return lines(out === 'list' ? 'out = []' : `${acc} = 0`, `for i in range(min(len(${xs}), len(${ys}))):`, ind(step), `return ${acc}`);
        }
        if (l === 'ruby') {
          if (style === 1) {
            const pairs = `${xs}.first(${ys}.length).zip(${ys})`;
            if (out === 'count') return `${pairs}.count { |a, b| ${REL(l, 'a', 'b')} }`;
            return out === 'sum' ? `${pairs}.sum { |a, b| ${OP('a', 'b')} }` : `${pairs}.map { |a, b| ${OP('a', 'b')} }`;
          }
          const step = out === 'count' ? `count += 1 if ${REL(l, `${xs}[i]`, `${ys}[i]`)}` : out === 'sum' ? `total += ${upd}` : `out << ${upd}`;
          const acc = { count: 'count', sum: 'total', list: 'out' }[out];
          return lines(out === 'list' ? 'out = []' : `${acc} = 0`, `(0...[${xs}.length, ${ys}.length].min).each do |i|`, ind(step), 'end', acc);
        }
        if (l === 'javascript') {
          if (style === 1) {
            const head = `${xs}.slice(0, ${ys}.length)`;
            if (out === 'count') return `return ${head}.filter((a, i) => ${REL(l, 'a', `${ys}[i]`)}).length;`;
            return out === 'sum' ? `return ${head}.reduce((acc, a, i) => acc + ${paren(OP('a', `${ys}[i]`))}, 0);` : `return ${head}.map((a, i) => ${OP('a', `${ys}[i]`)});`;
          }
          const step = out === 'count' ? `if (${REL(l, `${xs}[i]`, `${ys}[i]`)}) count++;` : out === 'sum' ? `total += ${upd};` : `out.push(${upd});`;
          const acc = { count: 'count', sum: 'total', list: 'out' }[out];
          return lines(out === 'list' ? 'const out = [];' : `let ${acc} = 0;`, `const n = Math.min(${xs}.length, ${ys}.length);`, 'for (let i = 0; i < n; i++) {', ind(step), '}', `return ${acc};`);
        }
        const step = out === 'count' ? lines(`if ${REL(l, `${xs}[i]`, `${ys}[i]`)} {`, '    count++', '}') : out === 'sum' ? `total += ${upd}` : `out = append(out, ${upd})`;
        const acc = { count: 'count', sum: 'total', list: 'out' }[out];
        const init = out === 'list' ? 'out := []int{}' : `${acc} := 0`;
        if (style === 1) return lines(init, `for i := range ${xs} {`, `    if i >= len(${ys}) {`, '        break', '    }', ind(step), '}', `return ${acc}`);
        return lines(init, `n := len(${xs})`, `if len(${ys}) < n {`, `    n = len(${ys})`, '}', 'for i := 0; i < n; i++ {', ind(step), '}', `return ${acc}`);
      },
    };
  },
};

// ---- compare: elements against a threshold given as an argument ------------------------

const compare: Family = {
  name: 'compare',
  weight: 1.5,
  make(rng) {
    const rel = rng.pick(['gt', 'ge', 'lt', 'eq', 'div'] as const);
    const out = rng.pick(['count', 'sum', 'list', 'index'] as const);
    const C = (l: Lang, x: string, t: string) => ({ gt: `${x} > ${t}`, ge: `${x} >= ${t}`, lt: `${x} < ${t}`, eq: `${x} ${EQ[l]} ${t}`, div: `${x} % ${t} ${EQ[l]} 0` })[rel];
    const test = (x: number, t: number) => ({ gt: x > t, ge: x >= t, lt: x < t, eq: x === t, div: x % t === 0 })[rel];
    const relWords = (t: string) => ({ gt: `greater than ${t}`, ge: `at least ${t}`, lt: `less than ${t}`, eq: `equal to ${t}`, div: `divisible by ${t}` })[rel];
    return {
      family: 'compare',
      shape: `compare/rel=${rel}/out=${out}`,
      consts: '',
      roles: [
        { role: 'xs', type: 'int[]', names: LIST_NAMES, doc: () => 'a list of integers.' },
        { role: 't', type: 'int', names: ['threshold', 'bound', 'target', 'limit', 'pivot'], doc: () => (rel === 'div' ? 'a positive divisor.' : 'the value to compare against.') },
      ],
      returns: out === 'list' ? 'int[]' : 'int',
      nameWords: [out === 'index' ? 'find' : out === 'list' ? 'select' : out, rel],
      summary(n) {
        const which = `the elements of ${n.xs} that are ${relWords(n.t)}`;
        return { count: `Count ${which}.`, sum: `Return the sum of ${which}.`, list: `Return ${which}, in order.`, index: `Return the index of the first element of ${n.xs} that is ${relWords(n.t)}.` }[out];
      },
      returnsDoc: { count: 'The count.', sum: 'The sum, 0 when nothing qualifies.', list: 'A new list, empty when nothing qualifies.', index: 'The zero-based index, or -1 when there is none.' }[out],
      run(a) {
        const xs = a.xs as number[];
        const t = a.t as number;
        if (out === 'index') return xs.findIndex((x) => test(x, t));
        const ks = xs.filter((x) => test(x, t));
        return out === 'count' ? ks.length : out === 'sum' ? ks.reduce((p, q) => p + q, 0) : ks;
      },
      genArgs(rng) {
        const xs = intList(rng, -10, 15, 8);
        const t = rel === 'div' ? rng.between(2, 5) : rel === 'eq' && xs.length && rng.chance(0.7) ? rng.pick(xs) : rng.between(-5, 10);
        return { xs, t };
      },
      body(l, style, n) {
        const { xs, t } = n;
        const c = C(l, 'x', t);
        if (l === 'python') {
          if (style === 1)
            return { count: `return sum(1 for x in ${xs} if ${c})`, sum: `return sum(x for x in ${xs} if ${c})`, list: `return [x for x in ${xs} if ${c}]`, index: `return next((i for i, x in enumerate(${xs}) if ${c}), -1)` }[out];
          if (out === 'index') return lines(`for i, x in enumerate(${xs}):`, `    if ${c}:`, '        return i', 'return -1');
          const acc = { count: 'count', sum: 'total', list: 'out' }[out];
          const step = { count: 'count += 1', sum: 'total += x', list: 'out.append(x)' }[out];
          return lines(out === 'list' ? 'out = []' : `${acc} = 0`, `for x in ${xs}:`, `    if ${c}:`, `        ${step}`, `return ${acc}`);
        }
        if (l === 'ruby') {
          if (style === 1)
            return { count: `${xs}.count { |x| ${c} }`, sum: `${xs}.select { |x| ${c} }.sum`, list: `${xs}.select { |x| ${c} }`, index: `${xs}.index { |x| ${c} } || -1` }[out];
          if (out === 'index') return lines(`${xs}.each_with_index do |x, i|`, `    return i if ${c}`, 'end', '-1');
          const acc = { count: 'count', sum: 'total', list: 'out' }[out];
          const step = { count: 'count += 1', sum: 'total += x', list: 'out << x' }[out];
          return lines(out === 'list' ? 'out = []' : `${acc} = 0`, `${xs}.each do |x|`, `    ${step} if ${c}`, 'end', acc);
        }
        if (l === 'javascript') {
          if (style === 1)
            return {
              count: `return ${xs}.filter((x) => ${c}).length;`,
              sum: `return ${xs}.filter((x) => ${c}).reduce((a, b) => a + b, 0);`,
              list: `return ${xs}.filter((x) => ${c});`,
              index: `return ${xs}.findIndex((x) => ${c});`,
            }[out];
          if (out === 'index') return lines(`for (let i = 0; i < ${xs}.length; i++) {`, `    const x = ${xs}[i];`, `    if (${c}) return i;`, '}', 'return -1;');
          const acc = { count: 'count', sum: 'total', list: 'out' }[out];
          const step = { count: 'count++;', sum: 'total += x;', list: 'out.push(x);' }[out];
          return lines(out === 'list' ? 'const out = [];' : `let ${acc} = 0;`, `for (const x of ${xs}) {`, `    if (${c}) ${step}`, '}', `return ${acc};`);
        }
        if (out === 'index') {
          if (style === 1) return lines(`for i := 0; i < len(${xs}); i++ {`, `    if ${C(l, `${xs}[i]`, t)} {`, '        return i', '    }', '}', 'return -1');
          return lines(`for i, x := range ${xs} {`, `    if ${c} {`, '        return i', '    }', '}', 'return -1');
        }
        const acc = { count: 'count', sum: 'total', list: 'out' }[out];
        const step = { count: 'count++', sum: 'total += x', list: 'out = append(out, x)' }[out];
        const head = style === 1 ? lines(`for i := 0; i < len(${xs}); i++ {`, `    x := ${xs}[i]`) : `for _, x := range ${xs} {`;
        return lines(out === 'list' ? 'out := []int{}' : `${acc} := 0`, head, `    if ${c} {`, `        ${step}`, '    }', '}', `return ${acc}`);
      },
    };
  },
};

export const FAMILIES: readonly Family[] = [fold, transform, search, quantifier, words, chars, digits, piecewise, pairs, longestRun, sortBy, zipLists, compare];

/** Number of implementation styles every family offers. */
export const STYLES = 2;
