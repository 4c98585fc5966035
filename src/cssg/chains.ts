// JavaScript iteration-method chains read as Python's comprehension forms (CSSG v2,
// normalisations 'comprehension-loop' and 'accumulator'; docs/cssg.md).
//
//   xs.filter(p).map(f)                    = [f(x) for x in xs if p(x)]          (role list)
//   xs.filter(p).map(f).reduce((a, b) => a + b, 0)
//                                           = sum(f(x) for x in xs if p(x))       (role sum)
//   xs.filter(p).length                     = sum(1 for x in xs if p(x))          (role count)
//   xs.map(f).join('')                      = ''.join(f(x) for x in xs)           (role concat)
//   return xs.some(p) / xs.every(p)         = return any(p(x) ...) / all(...)     (search)
//   return xs.find(p) ?? d                  = return next((x for x in xs if p(x)), d)
//   return xs.findIndex(p)                  = return next((i for i, x in enumerate(xs) if p(x)), -1)
//   python list(filter(lambda x: p, xs))    = [x for x in xs if p]                (role list; 'map-filter')
//   xs.filter(p).flatMap((x) => [a, b])     = [v for x in xs if p(x) for v in (a, b)]  (role list; 'multi-append')
//
// A chain is `base` followed by stages: any number of `filter`s, then at most one `map`,
// each given a one-parameter function whose body is one expression (an arrow's
// expression body or a block that only returns it). `[...s]` as the base is `s` (a
// string's characters, which Python iterates directly); so is `xs.filter((_, i) => i % k
// === 0)`, python's `xs[::k]` (jsStepFilter; build.ts labels it a slice). Anything else (an index
// parameter, `map(Number)`, a filter after a map) is not a chain: the builder then reads
// the calls as written (closures of iteration functions).
//
// This file only recognises the shapes; src/cssg/build.ts builds the loop nodes.
import { field, type PNode } from '../lang/tree.js';

export interface ChainStage {
  kind: 'filter' | 'map';
  /** the function node (its parameter is the element) */
  fn: PNode;
  param: PNode;
  /** the returned expression */
  body: PNode;
}

export interface Chain {
  base: PNode;
  stages: ChainStage[];
  /**
   * 'index-zip': the chain walks zip(base, seq): js's first stage `(x, i) => ... ys[i]` (i
   * read only as `ys[i]`: `reads`, the index parameter `index`), python's `map(lambda x, y:
   * e, xs, ys)` (`param` y, the second element)
   */
  zip?: { seq: PNode; reads?: PNode[]; index?: PNode; param?: PNode };
  /** 'multi-append': the last stage is `flatMap((x) => [a, b])`: each element appends these, in order */
  multi?: PNode[];
}

/** A chain consumed whole by a value-producing call or property. */
export interface ChainValue {
  role: 'list' | 'sum' | 'count' | 'concat';
  chain: Chain;
  /** the per-element value (undefined for a count: one per element) */
  body: PNode | undefined;
  /** element names the loop defines (every stage's parameter, the reducer's element) */
  params: PNode[];
  /** 'best-so-far': `reduce((m, x) => Math.max(m, e), s)` is max of the list of e (role list), starting from s */
  fold?: { which: 'max' | 'min'; start: PNode };
  /** 'reduce-loop': `reduce((a, x) => a OP e, s)` is the loop `a = s; for x in xs: a OP= e` (role sum, from s with OP) */
  opFold?: { op: string; start: PNode };
}

/** A search in a return: any / all of a predicate, or the first element meeting it. */
export interface ChainSearch {
  which: 'any' | 'all' | 'next' | 'index';
  chain: Chain;
  /** the predicate (any, all, next) */
  test: PNode;
  /** the value returned when found (next: the element) */
  found: PNode | undefined;
  /** next: the default (`?? d`, required) */
  dflt: PNode | undefined;
  params: PNode[];
}

type Text = (n: PNode) => string;

export const named = (n: PNode): PNode[] => n.children.filter((c) => c.named && c.type !== 'comment');

/** Does `n` (itself or any node under it) read the identifier `name`? */
function mentions(n: PNode, name: string, text: Text): boolean {
  return (n.type === 'identifier' && text(n) === name) || named(n).some((c) => mentions(c, name, text));
}

/** `(e)` is e (JavaScript's parenthesized expression, Ruby's parenthesized statements too). */
export function unparen(n: PNode): PNode {
  while ((n.type === 'parenthesized_expression' || n.type === 'parenthesized_statements') && named(n).length === 1) n = named(n)[0];
  return n;
}

/** `obj.name(args...)`: [obj, name, args], else undefined. */
function methodCall(n: PNode, text: Text): [PNode, string, PNode[]] | undefined {
  if (n.type !== 'call_expression') return undefined;
  const f = field(n, 'function');
  const a = field(n, 'arguments');
  if (!f || f.type !== 'member_expression' || !a) return undefined;
  const obj = field(f, 'object');
  const p = field(f, 'property');
  return obj && p ? [obj, text(p), named(a)] : undefined;
}

/**
 * A function of `arity` plain parameters whose body is one expression: [params, body].
 * `patterns` ('spread-max'): a parameter may be an array pattern of names (`([a, b]) =>`,
 * python's `for a, b in xs`).
 */
function simpleFn(n: PNode | undefined, arity: number, patterns = false): [PNode[], PNode] | undefined {
  if (!n || (n.type !== 'arrow_function' && n.type !== 'function_expression' && n.type !== 'function')) return undefined;
  const one = field(n, 'parameter');
  const list = field(n, 'parameters');
  const params = one ? [one] : list ? named(list) : [];
  const plain = (p: PNode): boolean => p.type === 'identifier' || (patterns && p.type === 'array_pattern' && named(p).length > 0 && named(p).every((q) => q.type === 'identifier'));
  if (params.length !== arity || !params.every(plain)) return undefined;
  let body = field(n, 'body');
  if (body && body.type === 'statement_block') {
    const stmts = named(body);
    const ret = stmts.length === 1 && stmts[0].type === 'return_statement' ? named(stmts[0]) : [];
    body = ret.length === 1 ? ret[0] : undefined;
  }
  return body ? [params, unparen(body)] : undefined;
}

/**
 * `xs.filter((_, i) => i % k === 0)` (the element unused, k a number): python's `xs[::k]`,
 * every k-th element. [xs, k], else undefined.
 */
export function jsStepFilter(n: PNode, text: Text): [PNode, PNode] | undefined {
  const m = methodCall(unparen(n), text);
  if (!m || m[1] !== 'filter' || m[2].length !== 1) return undefined;
  const fn = simpleFn(m[2][0], 2);
  if (!fn) return undefined;
  const [x, i] = fn[0].map(text);
  const body = fn[1];
  const op = field(body, 'operator')?.type;
  let l = field(body, 'left');
  let r = field(body, 'right');
  if (body.type !== 'binary_expression' || (op !== '===' && op !== '==') || !l || !r) return undefined;
  if (text(unparen(l)) === '0') [l, r] = [r, l];
  l = unparen(l);
  const il = field(l, 'left');
  const k = field(l, 'right');
  if (text(r).trim() !== '0' || l.type !== 'binary_expression' || field(l, 'operator')?.type !== '%' || !il || !k || text(il) !== i || k.type !== 'number') return undefined;
  return mentions(body, x, text) ? undefined : [m[0], k];
}

/** 'index-zip': `body` reads index `i` only as `ys[i]`, one name ys: ys and those reads, else undefined. */
function indexZip(body: PNode, i: string, text: Text): Chain['zip'] | undefined {
  const reads: PNode[] = [];
  let seq: PNode | undefined;
  let ok = true;
  const walk = (n: PNode): void => {
    if (!ok) return;
    if (n.type === 'subscript_expression') {
      const o = field(n, 'object');
      const k = field(n, 'index');
      if (o && k && o.type === 'identifier' && k.type === 'identifier' && text(k) === i) {
        if (seq && text(seq) !== text(o)) ok = false;
        seq ??= o;
        reads.push(n);
        return;
      }
    }
    if (n.type === 'identifier' && text(n) === i) ok = false;
    for (const c of named(n)) walk(c);
  };
  walk(body);
  return ok && seq && text(seq) !== i ? { seq, reads } : undefined;
}

/** Peel filter/map stages off `n` (outermost last); a chain with no stages is `n` itself. `patterns`: see simpleFn. */
export function jsChain(n: PNode, text: Text, patterns = false, zips = false): Chain | undefined {
  const stages: ChainStage[] = [];
  let cur = unparen(n);
  let zip: Chain['zip'];
  for (;;) {
    const m = methodCall(cur, text);
    if (!m || (m[1] !== 'filter' && m[1] !== 'map') || m[2].length !== 1 || zip) break;
    // every k-th element (`xs[::k]`) is the base the rest iterates
    if (jsStepFilter(cur, text)) break;
    let fn = simpleFn(m[2][0], 1, patterns);
    // 'index-zip': `(x, i) => ... ys[i]`: the stage walks zip(xs, ys); it must be the first (a filter before it renumbers)
    const two = !fn && zips ? simpleFn(m[2][0], 2, patterns) : undefined;
    zip = two && two[0][1].type === 'identifier' ? indexZip(two[1], text(two[0][1]), text) : undefined;
    if (zip && two) {
      zip.index = two[0][1];
      fn = [[two[0][0]], two[1]];
    }
    if (!fn) return undefined; // map(Number), filter((x, i) => ...): not a comprehension
    stages.unshift({ kind: m[1], fn: m[2][0], param: fn[0][0], body: fn[1] });
    cur = unparen(m[0]);
  }
  if (zip && (text(zip.seq) === text(cur) || methodCall(cur, text)?.[1] === 'filter')) return undefined;
  // filters first, then at most one map: a comprehension's order
  const firstMap = stages.findIndex((s) => s.kind === 'map');
  if (firstMap >= 0 && firstMap !== stages.length - 1) return undefined;
  // `[...s]` iterates what `s` iterates
  const els = cur.type === 'array' ? named(cur) : [];
  if (els.length === 1 && els[0].type === 'spread_element' && named(els[0]).length === 1) cur = named(els[0])[0];
  return zip ? { base: cur, stages, zip } : { base: cur, stages };
}

export const mapBody = (c: Chain): PNode | undefined => c.stages.find((s) => s.kind === 'map')?.body;
const elementOf = (c: Chain): PNode | undefined => mapBody(c) ?? c.stages[0]?.param;
/** The element names a loop over `c` defines: every stage's parameter, then `more` (a reducer's or a predicate's). */
const loopParams = (c: Chain, ...more: PNode[]): PNode[] => [...c.stages.map((s) => s.param), ...more];
/** A reducer's per-element value over `c`: the chain's element when it is the reducer's element `elem` itself (`isElem`), else `e`. */
const foldValue = (c: Chain, e: PNode, elem: PNode, isElem: boolean): PNode => (isElem ? elementOf(c) ?? elem : e);
/** `c` consumed whole as `role` when it has a stage (a count has no per-element value). */
const wholeChain = (role: 'list' | 'count' | 'concat', c: Chain | undefined): ChainValue | undefined =>
  c && c.stages.length ? { role, chain: c, body: role === 'count' ? undefined : elementOf(c), params: loopParams(c) } : undefined;

/**
 * A reducer `acc + e` over the chain `c` (JavaScript's `reduce((a, x) => a + e, 0)`, Ruby's
 * `inject(0) { |a, x| a + e }`) as a sum of e: e must not read the accumulator, and after a
 * map it must be the element itself. Undefined when it is not such a sum.
 */
export function plusFold(c: Chain, acc: PNode, elem: PNode, body: PNode, text: Text): { e: PNode; isElem: boolean } | undefined {
  if ((body.type !== 'binary_expression' && body.type !== 'binary') || field(body, 'operator')?.type !== '+') return undefined;
  const a = text(acc);
  const l = field(body, 'left');
  const r = field(body, 'right');
  if (!l || !r || l.type !== 'identifier' || text(l) !== a) return undefined;
  const e = unparen(r);
  if (mentions(e, a, text)) return undefined;
  const isElem = e.type === 'identifier' && text(e) === text(elem);
  if (mapBody(c) && !isElem) return undefined;
  return { e, isElem };
}

/**
 * 'reduce-loop': a reducer `(a, x) => a OP e` (or `e OP a` for OP one of * & | ^; e does
 * not read a) over the chain `c`: JavaScript's reduce with a start value s is by definition
 * the left fold `a = s; for x in xs: a = a OP e`, whatever OP. After a map e must be the
 * element itself (as plusFold). The operator's token and e, else undefined.
 */
function opFold(c: Chain, f: PNode, text: Text): { op: string; e: PNode; elem: PNode; isElem: boolean } | undefined {
  const fn = simpleFn(f, 2);
  const body = fn?.[1];
  const op = body && body.type === 'binary_expression' ? field(body, 'operator')?.type : undefined;
  if (!fn || !body || !op || !/^([-+*\/%&|^]|\*\*|<<|>>)$/.test(op)) return undefined;
  const a = text(fn[0][0]);
  const l = unparen(field(body, 'left')!);
  const r = unparen(field(body, 'right')!);
  const isA = (k: PNode) => k.type === 'identifier' && text(k) === a;
  const e = isA(l) ? r : isA(r) && /^[*&|^]$/.test(op) ? l : undefined;
  if (!e || mentions(e, a, text)) return undefined;
  const isElem = e.type === 'identifier' && text(e) === text(fn[0][1]);
  if (mapBody(c) && !isElem) return undefined;
  return { op, e, elem: fn[0][1], isElem };
}

/** A reducer `(m, x) => Math.max(m, e)` (or `Math.max(e, m)`, min likewise; e does not read m): which, e and the element parameter. */
function maxFold(f: PNode, text: Text, patterns: boolean): { which: 'max' | 'min'; e: PNode; elem: PNode } | undefined {
  const fn = simpleFn(f, 2, patterns);
  const m = fn && fn[1].type === 'call_expression' ? methodCall(fn[1], text) : undefined;
  if (!fn || !m || m[0].type !== 'identifier' || text(m[0]) !== 'Math' || (m[1] !== 'max' && m[1] !== 'min') || m[2].length !== 2 || fn[0][0].type !== 'identifier') return undefined;
  const a = text(fn[0][0]);
  const [l, r] = m[2];
  const e = l.type === 'identifier' && text(l) === a ? r : r.type === 'identifier' && text(r) === a ? l : undefined;
  return e && !mentions(e, a, text) ? { which: m[1], e: unparen(e), elem: fn[0][1] } : undefined;
}

/**
 * Python's `filter(lambda x: p, xs)` and `map(lambda x: f, xs)` (nested: `map(f,
 * filter(p, xs))`; filters first, at most one map, one-parameter lambdas, one sequence)
 * are the comprehension `[f(x) for x in xs if p(x)]`, as a JavaScript chain is
 * (normalisation 'map-filter'). The caller checks that `map` / `filter` are the builtins.
 */
export function pythonMapFilter(n: PNode, text: Text, zips = false): ChainValue | undefined {
  const stages: ChainStage[] = [];
  let cur = unparen(n);
  for (;;) {
    const f = cur.type === 'call' ? field(cur, 'function') : undefined;
    const a = cur.type === 'call' ? field(cur, 'arguments') : undefined;
    const name = f && f.type === 'identifier' ? text(f) : '';
    const args = a && a.type === 'argument_list' ? named(a) : [];
    // 'index-zip': map(lambda x, y: e, xs, ys), the first stage, walks zip(xs, ys)
    const pair = zips && name === 'map' && args.length === 3 && stages.length === 0;
    if ((name !== 'map' && name !== 'filter') || (args.length !== 2 && !pair) || args[0].type !== 'lambda') break;
    const ps = field(args[0], 'parameters');
    const params = ps ? named(ps) : [];
    const body = field(args[0], 'body');
    if (params.length !== args.length - 1 || !params.every((p) => p.type === 'identifier') || !body) return undefined;
    stages.unshift({ kind: name, fn: args[0], param: params[0], body: unparen(body) });
    if (pair) {
      const c: Chain = { base: unparen(args[1]), stages, zip: { seq: unparen(args[2]), param: params[1] } };
      return { role: 'list', chain: c, body: elementOf(c), params: [params[0]] };
    }
    cur = unparen(args[1]);
  }
  const firstMap = stages.findIndex((s) => s.kind === 'map');
  if (firstMap >= 0 && firstMap !== stages.length - 1) return undefined;
  return wholeChain('list', { base: cur, stages });
}

/**
 * `n` as a chain consumed whole (see the file comment), else undefined. `plainSum`
 * ('sum-loop'): `xs.reduce((a, b) => a + b, 0)` with no stages is the sum of xs, a loop too.
 */
export function jsChainValue(n: PNode, text: Text, plainSum = false, patterns = false, folds = false, zips = false, opFolds = false, multis = false): ChainValue | undefined {
  n = unparen(n);
  // xs.filter(p).length: a count
  if (n.type === 'member_expression') {
    const obj = field(n, 'object');
    const p = field(n, 'property');
    return obj && p && text(p) === 'length' ? wholeChain('count', jsChain(obj, text, patterns, zips)) : undefined;
  }
  const m = methodCall(n, text);
  if (!m) return undefined;
  const [obj, name, args] = m;
  const fold = folds && name === 'reduce' && args.length === 2 ? maxFold(args[0], text, patterns) : undefined;
  if (fold) {
    // (m, x) => Math.max(m, e): max of the list of e (e is the element, or the map's value when e is x)
    const c = jsChain(obj, text, patterns, zips);
    const isElem = fold.e.type === 'identifier' && text(fold.e) === text(fold.elem);
    if (!c || (mapBody(c) && !isElem)) return undefined;
    return { role: 'list', chain: c, body: foldValue(c, fold.e, fold.elem, isElem), params: loopParams(c, fold.elem), fold: { which: fold.which, start: args[1] } };
  }
  const c0 = opFolds && name === 'reduce' && args.length === 2 && !(text(args[1]).trim() === '0' && plusFold0(args[0], text)) ? jsChain(obj, text, patterns, zips) : undefined;
  const of = c0 ? opFold(c0, args[0], text) : undefined;
  if (c0 && of) {
    // 'reduce-loop': (a, x) => a OP e from s: the loop `a = s; for x in xs: a OP= e`
    return { role: 'sum', chain: c0, body: foldValue(c0, of.e, of.elem, of.isElem), params: loopParams(c0, of.elem), opFold: { op: of.op, start: args[1] } };
  }
  if (name === 'reduce' && args.length === 2 && text(args[1]).trim() === '0') {
    // (a, x) => a + e: a sum of e (e is the element, or the map's value when e is x)
    const fn = simpleFn(args[0], 2);
    const c = fn && jsChain(obj, text, patterns, zips);
    const fold = fn && c ? plusFold(c, fn[0][0], fn[0][1], fn[1], text) : undefined;
    if (!fn || !c || !fold) return undefined;
    const { e, isElem } = fold;
    if (c.stages.length === 0 && isElem && !plainSum) return undefined; // xs.reduce((a, b) => a + b, 0) is sum(xs): no loop to build
    return { role: 'sum', chain: c, body: foldValue(c, e, fn[0][1], isElem), params: loopParams(c, fn[0][1]) };
  }
  if (name === 'join' && args.length === 1 && /^(""|''|``)$/.test(text(args[0]).trim())) {
    return wholeChain('concat', jsChain(obj, text, patterns, zips));
  }
  if (name === 'flatMap' && multis && args.length === 1) {
    // 'multi-append': xs.filter(p).flatMap((x) => [a, b]) is [v for x in xs if p(x) for v in (a, b)], the loop appending a then b
    const fn = simpleFn(args[0], 1, patterns);
    const els = fn && fn[1].type === 'array' ? named(fn[1]) : [];
    const c = els.length && !els.some((e) => e.type === 'spread_element') ? jsChain(obj, text, patterns, zips) : undefined;
    if (!fn || !c || mapBody(c) || c.zip) return undefined;
    const chain: Chain = { base: c.base, stages: [...c.stages, { kind: 'map', fn: args[0], param: fn[0][0], body: fn[1] }], multi: els };
    return { role: 'list', chain, body: fn[1], params: loopParams(chain) };
  }
  if (name === 'filter' || name === 'map') {
    return wholeChain('list', jsChain(n, text, patterns, zips));
  }
  return undefined;
}

/** A reducer `(a, x) => a + e` (the shape the sum from 0 reads, plusFold). */
function plusFold0(f: PNode, text: Text): boolean {
  const fn = simpleFn(f, 2);
  const l = fn && fn[1].type === 'binary_expression' && field(fn[1], 'operator')?.type === '+' ? field(fn[1], 'left') : undefined;
  return !!l && l.type === 'identifier' && text(l) === text(fn![0][0]);
}

/** The returned expression `e` as a search (see the file comment), else undefined. */
export function jsChainSearch(e: PNode, text: Text): ChainSearch | undefined {
  e = unparen(e);
  let dflt: PNode | undefined;
  if (e.type === 'binary_expression' && field(e, 'operator')?.type === '??') {
    const l = field(e, 'left');
    const r = field(e, 'right');
    if (!l || !r) return undefined;
    dflt = r;
    e = unparen(l);
  }
  const m = methodCall(e, text);
  if (!m || m[2].length !== 1) return undefined;
  const [obj, name, args] = m;
  const which = name === 'some' ? 'any' : name === 'every' ? 'all' : name === 'find' ? 'next' : name === 'findIndex' ? 'index' : undefined;
  if (!which || (dflt !== undefined) !== (which === 'next')) return undefined;
  const fn = simpleFn(args[0], 1);
  const c = fn && jsChain(obj, text);
  // after a map the predicate reads the mapped value: not one of python's forms; after a
  // filter findIndex counts positions in the filtered list
  if (!fn || !c || mapBody(c) || (which === 'index' && c.stages.length)) return undefined;
  return { which, chain: c, test: fn[1], found: which === 'next' ? fn[0][0] : undefined, dflt, params: loopParams(c, fn[0][0]) };
}
