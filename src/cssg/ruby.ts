// Ruby block chains read as Python's comprehension forms (CSSG v2, normalisation
// 'ruby-blocks'; docs/cssg.md, "Ruby"). The shapes are those of chains.ts (JavaScript),
// written with blocks:
//
//   xs.select { |x| p }.map { |x| f }       = [f(x) for x in xs if p(x)]           (list)
//   xs.reject { |x| p }                      = [x for x in xs if not p(x)]          (list)
//   xs.select { |x| p }.sum                  = sum(x for x in xs if p(x))           (sum)
//   xs.sum { |x| f }; xs.inject(0) { |s, x| s + f }
//                                            = sum(f(x) for x in xs)                (sum)
//   xs.count { |x| p }; xs.select { .. }.size = sum(1 for x in xs if p(x))          (count)
//   xs.map { |x| f }.join                    = ''.join(f(x) for x in xs)            (concat)
//   xs.any? { |x| p } / all? / none?         = any(p(x) ...) / all(...) / not any   (search)
//   xs.find { |x| p } / detect               = next((x for x in xs if p(x)), None)  (search)
//   xs.find { |x| p } || d                   = next((x for x in xs if p(x)), d)
//   xs.index { |x| p } || d                  = next((i for i, x in enumerate(xs) if p(x)), d)
//
// A stage is a call of select/filter/reject/map/collect with a block of one plain
// parameter whose body is one expression; filters come first, then at most one map.
// `s.chars` as the base is `s` (Python iterates a string's characters directly).
// Anything else (two block parameters, `map(&:first)`, a filter after a map) is not a
// chain: the builder reads the calls as written.
//
// This file only recognises the shapes; src/cssg/build.ts builds the loop nodes.
import { field, type PNode } from '../lang/tree.js';
import { mapBody, named, plusFold, unparen, type Chain, type ChainStage, type ChainValue, type ChainSearch } from './chains.js';

type Text = (n: PNode) => string;

/** A filter stage may be a `reject`: its test is negated. */
export interface RubyStage extends ChainStage {
  negate?: boolean;
  /** every block parameter (`|a, b|` destructures a pair, as python's `for a, b in ...`) */
  params: PNode[];
}


/** `recv.name(args) { block }`: receiver, method name (without ?/!), arguments, block; else undefined. */
export function rubyCall(n: PNode, text: Text): { recv: PNode; name: string; args: PNode[]; block: PNode | undefined } | undefined {
  if (n.type !== 'call') return undefined;
  const recv = field(n, 'receiver');
  const m = field(n, 'method');
  if (!recv || !m) return undefined;
  const a = field(n, 'arguments');
  return { recv, name: text(m).replace(/[?!]$/, ''), args: a ? named(a) : [], block: field(n, 'block') };
}

/** A block's plain parameters and, when its body is one expression, that expression. */
export function rubyBlock(blk: PNode | undefined): { params: PNode[]; body: PNode | undefined } | undefined {
  if (!blk || (blk.type !== 'block' && blk.type !== 'do_block')) return undefined;
  const plist = field(blk, 'parameters');
  const params = plist ? named(plist) : [];
  if (!params.every((p) => p.type === 'identifier')) return undefined;
  const body = field(blk, 'body');
  const stmts = body ? named(body) : [];
  return { params, body: stmts.length === 1 ? unparen(stmts[0]) : undefined };
}

/** `s.chars` iterates as `s` does in Python: the base of a loop or chain. */
export function rubyIterBase(n: PNode, text: Text): PNode {
  n = unparen(n);
  const c = rubyCall(n, text);
  return c && c.name === 'chars' && c.args.length === 0 && !c.block ? c.recv : n;
}

const FILTERS = new Set(['select', 'filter', 'reject']);
const MAPS = new Set(['map', 'collect']);

/** One stage of a chain: a filter or map call with a one-parameter one-expression block. */
function stage(n: PNode, text: Text): { recv: PNode; st: RubyStage } | undefined | null {
  const c = rubyCall(n, text);
  if (!c || (!FILTERS.has(c.name) && !MAPS.has(c.name)) || c.args.length !== 0) return undefined;
  const b = rubyBlock(c.block);
  if (!b || b.params.length < 1 || b.params.length > 2 || !b.body) return null; // map(&:f): not a comprehension
  const kind = MAPS.has(c.name) ? 'map' : 'filter';
  return { recv: c.recv, st: { kind, fn: c.block!, param: b.params[0], params: b.params, body: b.body, negate: c.name === 'reject' } };
}

/** Peel filter/map stages off `n` (outermost last); a chain with no stages is `n` itself. */
export function rubyChain(n: PNode, text: Text): Chain | undefined {
  const stages: RubyStage[] = [];
  let cur = unparen(n);
  for (;;) {
    const s = stage(cur, text);
    if (s === null) return undefined;
    if (!s) break;
    stages.unshift(s.st);
    cur = unparen(s.recv);
  }
  const firstMap = stages.findIndex((s) => s.kind === 'map');
  if (firstMap >= 0 && firstMap !== stages.length - 1) return undefined;
  return { base: rubyIterBase(cur, text), stages };
}

const elementOf = (c: Chain): PNode | undefined => mapBody(c) ?? ((c.stages[0] as RubyStage | undefined)?.params.length === 1 ? c.stages[0].param : undefined);
const params = (c: Chain): PNode[] => c.stages.flatMap((s) => (s as RubyStage).params ?? [s.param]);

/** The chain `recv` with one more stage from a block-taking consumer (`sum { |x| f }`, `count { |x| p }`). */
function withBlockStage(recv: PNode, blk: PNode | undefined, kind: 'filter' | 'map', text: Text): Chain | undefined {
  const b = rubyBlock(blk);
  if (!b || b.params.length < 1 || b.params.length > 2 || !b.body) return undefined;
  const c = rubyChain(recv, text);
  if (!c || mapBody(c)) return undefined;
  const st: RubyStage = { kind, fn: blk!, param: b.params[0], params: b.params, body: b.body };
  return { base: c.base, stages: [...c.stages, st] };
}

/** `n` as a chain consumed whole (see the file comment), else undefined. */
export function rubyChainValue(n: PNode, text: Text): ChainValue | undefined {
  n = unparen(n);
  const c = rubyCall(n, text);
  if (!c) return undefined;
  const { recv, name, args, block } = c;
  if (name === 'sum' && args.length === 0) {
    const ch = block ? withBlockStage(recv, block, 'map', text) : rubyChain(recv, text);
    return ch && ch.stages.length ? { role: 'sum', chain: ch, body: elementOf(ch), params: params(ch) } : undefined;
  }
  if ((name === 'count' || name === 'length' || name === 'size') && args.length === 0) {
    const ch = block ? (name === 'count' ? withBlockStage(recv, block, 'filter', text) : undefined) : rubyChain(recv, text);
    // a count of a mapped list counts its elements: the map does not matter, but keep it a loop
    return ch && ch.stages.length ? { role: 'count', chain: ch, body: undefined, params: params(ch) } : undefined;
  }
  if (name === 'join' && !block && (args.length === 0 || (args.length === 1 && /^(""|'')$/.test(text(args[0]).trim())))) {
    const ch = rubyChain(recv, text);
    return ch && ch.stages.length ? { role: 'concat', chain: ch, body: elementOf(ch), params: params(ch) } : undefined;
  }
  if ((name === 'inject' || name === 'reduce') && args.length === 1 && text(args[0]).trim() === '0') {
    // { |s, x| s + e }: a sum of e (e is the element, or the map's value when e is x)
    const b = rubyBlock(block);
    const ch = b && b.params.length === 2 && b.body ? rubyChain(recv, text) : undefined;
    const fold = b && ch && b.body ? plusFold(ch, b.params[0], b.params[1], b.body, text) : undefined;
    if (!b || !ch || !fold) return undefined;
    const { e, isElem } = fold;
    return { role: 'sum', chain: ch, body: isElem ? elementOf(ch) ?? b.params[1] : e, params: [...params(ch), b.params[1]] };
  }
  if ((FILTERS.has(name) || MAPS.has(name)) && !args.length) {
    const ch = rubyChain(n, text);
    return ch && ch.stages.length ? { role: 'list', chain: ch, body: elementOf(ch), params: params(ch) } : undefined;
  }
  return undefined;
}

/** The returned expression `e` as a search (`none` is `not any`; `next` has no default: nil). */
export function rubyChainSearch(e: PNode, text: Text): (Omit<ChainSearch, 'which'> & { which: ChainSearch['which'] | 'none' | 'index' }) | undefined {
  e = unparen(e);
  // `xs.find { |x| p } || d`: the default d (sound where no element found is nil or false)
  let dflt: PNode | undefined;
  const l = e.type === 'binary' && field(e, 'operator')?.type === '||' ? field(e, 'left') : undefined;
  if (l) {
    dflt = field(e, 'right');
    e = unparen(l);
  }
  const c = rubyCall(e, text);
  if (!c || c.args.length !== 0) return undefined;
  const which = c.name === 'any' ? 'any' : c.name === 'all' ? 'all' : c.name === 'none' ? 'none' : c.name === 'find' || c.name === 'detect' ? 'next' : c.name === 'index' || c.name === 'find_index' ? 'index' : undefined;
  const b = rubyBlock(c.block);
  if (!which || !b || b.params.length < 1 || b.params.length > 2 || !b.body || ((which === 'next' || which === 'index') && b.params.length !== 1) || (dflt && which !== 'next' && which !== 'index')) return undefined;
  const ch = rubyChain(c.recv, text);
  // after a map the predicate reads the mapped value: not one of python's forms
  if (!ch || mapBody(ch)) return undefined;
  return { which, chain: ch, test: b.body, found: which === 'next' ? b.params[0] : undefined, dflt, params: [...params(ch), ...b.params] };
}
