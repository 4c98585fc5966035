// Language-neutral program dependence graph builder over tree-sitter trees.
//
// One walk over the structured syntax tree computes, together:
//  - statement/predicate nodes labelled by category (src/cssg/graph.ts Kind) and a bag
//    of normalised features (operators, literal types, library names, operand roles);
//  - control dependence: each statement hangs off its nearest enclosing predicate
//    (if/loop/case/try/closure) or its function entry; after a statement that may leave
//    the block early (return/break/continue/throw under a condition) the rest of the
//    block depends on that condition, as in a PDG of structured code;
//  - data dependence: reaching definitions, with branch states merged (union) and loop
//    bodies iterated until the state stops changing (a fixpoint; bounded);
//  - call edges from call sites to the entries of functions defined in the snippet.
// Normalisation (so that what does not change behaviour does not change the graph):
//  - parameters are labelled by position (p0, p1, ...), other locals by role only ('v'):
//    their identity is carried by the data edges, so renaming and reordering of
//    independent statements leave the graph unchanged; `self`/`this` is 'self';
//  - library and builtin names are kept, lower-cased and mapped to one spelling across
//    languages (len/length/size, push/append/<<, ...; src/lang/tables.ts SYNONYMS);
//    namespaces (math., Math., strings.) are dropped; calls to functions of the snippet
//    are 'n:fn' plus a call edge;
//  - literals by type (int, float, str, bool values, null), except 0, 1 and 2, which
//    mark loop bounds and off-by-one changes;
//  - spellings of one operation agree: x = x + y and i++ are x += y / i += 1; a counted
//    C-style for loop is Python's range loop; comprehensions and map/filter lambdas
//    are loops; ruby a..b is range(a, b + 1);
//  - comments, docstrings and statements without effect (a bare name or literal) are
//    ignored; imports, package clauses and type declarations are skipped.
// Everything language-specific is in src/lang/tables.ts.
//
// Version 2 (the default metric 'cssg'; version 1 stays as 'cssg-v1', docs/cssg.md):
// labels carry meaning and equivalent spellings meet.
//  - every statement/predicate node also carries its canonical text `x:<canon>` (weight
//    CANON_WEIGHT): operators with operand order, constants by value (ints |v| < 1000,
//    strings up to 10 characters; else a class and magnitude), callee and attribute
//    names, argument order; parameters are p0, p1..., other locals 'v';
//  - canonical forms: commutative operands sorted (`b*a` -> `*(a,b)`; `+` only when an
//    operand is numeric); `a > b` -> `<(b,a)`, `a >= b` -> `<=(b,a)`; negation pushed
//    into comparisons (`not a < b` -> `<=(b,a)`, `not a == b` -> `!=(a,b)`); `x op= y`,
//    `x = x op y` and `i++` are one update `upd op(y)`; `if not c: A else: B` is
//    `if c: B else: A` (statements on the false side carry `br:F`, so branch order is
//    seen and swapping it back is free); a temporary assigned once and read once is
//    substituted into its reader and its node removed (collapseTemps);
//  - comparison and negation operators leave the feature bag (the canonical text holds
//    them, in canonical direction), so the two spellings of one comparison agree;
//  - cross-language forms (docs/cssg.md lists each with an example): slices by position
//    (`slice(xs,lo,hi,step)`), a lambda's expression body labelled as that expression and
//    its head by parameter count; flag-and-break searches are returning searches
//    (flagBreaks), go's strings.Builder is string `+=`, chained comparisons are ands,
//    character ranges are isdigit/islower/isupper, every k-th element is `xs[::k]`
//    (stepLoops, chains.ts jsStepFilter), `len(xs) - e` in a bound of xs is `-e`, an
//    assignment clamped by the next `if` is min/max (clamps).
//  - third round (names in options.ts; docs/cssg.md "Third round"): a conditional
//    expression assigned is the if/else of assignments and `a = b = 0` two assignments
//    (splitAssign); `if b > v: v = b` is `v = max(v, b)` (selfClamp); an index loop reading
//    i and xs[i] is enumerate; a descending index loop is the loop over reversed(xs), and
//    `max` of matching indices / the last match kept by assignment are the search from the
//    end (lastMatches, extremeIndexReturn); the stable insertion sort is `sorted`
//    (insertionSorts); names bound at module level are locals.
//  - cross-language idioms of hand-written translations (docs/cssg.md "Cross-language on
//    MBPP"): go zero values and empty makes (goZero, goEmptyMake); python map/filter
//    lambdas and list/tuple of generators as comprehensions (chains.ts pythonMapFilter,
//    listCopy); `or` of equalities as membership; go value switches as if chains;
//    `if c: return True` + `return False` as `return c` (boolReturns); products of equal
//    factors as powers; independent parallel assignments split; constants nothing reads
//    dropped (a second build, buildGraph); `sum(xs)` and js's plain reduce-sum as the
//    accumulator loop (sumLoop); `Math.max(...xs)`; a kept match with break as the
//    returning search (searchBreaks); named literal constants; min/max returns and go's
//    min/max/abs helpers (minMaxReturns, findHelperBuiltins); `range(0, n)` and go's
//    clause loops labelled by their condition.
//  - fifth round (docs/cssg.md "Fifth round"): `if v < 0: v = -v` is `v = abs(v)` (absIfs);
//    a loop's tuple read by position is `v<k>` in every language (unpackTarget); a
//    best-so-far loop (and js's Math.max reduce) is max/min of the list it would build,
//    of the loop's own element max(xs) itself (bestSoFars, chains.ts maxFold); an index
//    loop that also reads ys[i] walks zip(xs, ys) (indexedOther; js's `map((x, i) =>
//    ... ys[i])` and python's two-sequence map in chains.ts); an index loop from 1 over
//    xs[i - 1], xs[i] walks the adjacent pairs (over xs[i] alone, xs[1:]); a local bound
//    once to len(xs) reads as that length (namedConstants, fn.lens).
//  - inline-helper: a one-return helper called once from the entry function is its
//    returned expression at the call, arguments for parameters (findInlineHelpers, subst);
//    a helper of several statements called once (`return h(x)`, `y = h(x)`, `if h(x):`) is
//    written at its call in the source, which is parsed and built instead (inlinedSource).
//  - sixth round (docs/cssg.md "Sixth round"): an if/elif chain picking the least (greatest)
//    of k >= 2 candidates, and clamps of one variable in a row, are min/max of them all
//    (extremeChains, clamps); js's reduce with any operator and start value is its fold
//    loop (chains.ts opFold, jsOpFolds); appending several values in order is one
//    multi-append (go's append, python's extend of a display, a comprehension's last
//    `for v in (a, b)`, js's flatMap to an array: appendAssign, extendDisplay, multiClause).
//    A counting while (`i = a; while i < b: ...; i += 1`) is the counted range loop (countingWhiles).
//    An index loop reading ys[i], zs[i] beside xs[i] walks zip(xs, ys, zs) (indexedOther).
//  - ruby in python's words (names ruby-*; shapes in src/cssg/ruby.ts): block chains are
//    the comprehension / accumulator / search loops (chainRole, rubySearchReturn), block
//    loops (`each`, ranges, `times`, `upto`, `downto`, `each_with_index`) are python's
//    loop heads (rubyLoopHead), method calls and `<<` are python's calls (rubyCallCanon),
//    and the last expression of a body is a `return` of it.
import { plainTree, field, fields, type PNode } from '../lang/tree.js';
import { TABLES, OPERATORS, SYNONYMS, type LangTable, type StmtRole } from '../lang/tables.js';
import type { Lang } from '../lang/parser.js';
import { CTRL, DATA, CALL, MISSING_CHARS, type Graph, type Kind } from './graph.js';
import { hashString as hashText } from './wl.js';
import { offSet, type CssgOptions, type Normalisation } from './options.js';
import { subwords } from './interface.js';
import { jsChainValue, jsChainSearch, jsStepFilter, pythonMapFilter, type Chain } from './chains.js';
import { rubyChainValue, rubyChainSearch, rubyCall, rubyBlock, rubyIterBase, type RubyStage } from './ruby.js';

/** The size cap: at most this many graph nodes per snippet (statements beyond are dropped). */
export const MAX_NODES = 200;
/** Input beyond this many characters (about 400 lines) is not parsed: the rest is ignored. */
export const MAX_CHARS = 16_000;
/** Syntax nodes copied from the tree at most (a bound on the walk for pathological text). */
export const MAX_TREE_NODES = 8_000;
/** Loop bodies are re-walked at most this many times while reaching definitions settle. */
const MAX_FIXPOINT = 6;
/**
 * Statement visits per snippet before loops stop iterating to a fixpoint (nested loops
 * re-walk inner bodies, 2^depth times at least): a bound on time for pathological nesting.
 */
export const MAX_VISITS = 20_000;
const CODE_SYMBOLS = /[()[\]{}=<>+*\/%&|^]/;
/** v2: weight of a node's canonical-text feature in its bag. */
export const CANON_WEIGHT = 2;
/** v2: canonical texts longer than this are replaced by a hash (bounded label size). */
const MAX_CANON = 240;
/** v2: operators that leave the feature bag (the canonical text holds them). */
const BAG_DROPPED_OPS = new Set(['<', '<=', '>', '>=', '==', '!=', 'not']);
/** Operators whose operands may be sorted. `+` only with a numeric operand (see binary). */
const COMMUTATIVE = new Set(['*', '==', '!=', '&', '|', '^']);
/** v2 'char-class': a range of characters `lo <= c <= hi` (canonical literals) and the predicate it spells. */
const CHAR_CLASSES: Record<string, string> = { 's:0-s:9': 'isdigit', 's:a-s:z': 'islower', 's:A-s:Z': 'isupper' };
const ARITH = new Set(['+', '-', '*', '/', '%', '//', 'pow', '&', '|', '^', '<<', '>>', 'and', 'or']);

/** v2 'inline-helper': the assignments whose value may be an inlined helper's call (`y = h(x)`, `const y = h(x)`). */
/** An ordering comparison with its operands swapped: `a < b` is `b > a`. */
const FLIP_COMPARISON: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const INLINE_ASSIGN = new Set(['assignment', 'augmented_assignment', 'assignment_expression', 'augmented_assignment_expression', 'variable_declarator']);

/** v2 'dead-store': the label of a plain assignment of a constant (a number, short string, bool, null, empty list or map). */
const DEAD_VALUE = /^x:=\(,(-?\d+|f[-\d.e]+|s:[^,()]*|true|false|null|none|nil|list\(\)|map\(\))\)$/;

/** Split the canonical text "a,b(c,d),e" at top-level commas (parentheses only: source text, with brackets and strings, is split in the tree). */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 40) depth++;
    else if (ch === 41) depth--;
    else if (ch === 44 && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/**
 * A counted loop's step of one, `ut` its update's text without spaces: `v++`, `++v`, `v += 1`,
 * `v = v + 1` (`up`), or the same downward (cfor's and counting-while's update).
 */
function unitStep(ut: string, v: string, up: boolean): boolean {
  const [twice, op] = up ? ['++', '+'] : ['--', '-'];
  return ut === v + twice || ut === twice + v || ut === v + op + '=1' || ut === v + '=' + v + op + '1';
}

/**
 * v2 'abs-if', 'min-max': the sign test under which `-v` is abs(v): `v < 0` or `0 > v`
 * (`orZero`: `v <= 0`, `0 >= v` too), `cond` the condition's text without spaces and parentheses.
 */
function negativeTest(cond: string, v: string, orZero: boolean): boolean {
  return cond === v + '<0' || cond === '0>' + v || (orZero && (cond === v + '<=0' || cond === '0>=' + v));
}

/** `l op r`: one operator token (its OPERATORS name) between two named operands: [op, l, r], else undefined. */
function binaryParts(c: PNode): [string, PNode, PNode] | undefined {
  const ops = c.children.filter((x) => !x.named && OPERATORS[x.type] !== undefined);
  const kids = c.children.filter((x) => x.named);
  return ops.length === 1 && kids.length === 2 ? [OPERATORS[ops[0].type], kids[0], kids[1]] : undefined;
}

/** How many named children `n` has (no array built). */
function namedCount(n: PNode): number {
  let k = 0;
  const cs = n.children;
  for (let i = 0; i < cs.length; i++) if (cs[i].named) k++;
  return k;
}

/** op(a,b) -> [op, a, b] when `c` is a binary canonical text, else undefined. */
function unBinary(c: string): [string, string, string] | undefined {
  const open = c.indexOf('(');
  if (open <= 0 || !c.endsWith(')')) return undefined;
  const args = splitTop(c.slice(open + 1, -1));
  return args.length === 2 ? [c.slice(0, open), args[0], args[1]] : undefined;
}

function looksNumeric(c: string): boolean {
  return /^-?\d/.test(c) || /^(-|\*|\/|%|\/\/|pow|len)\(/.test(c);
}

const ALL_ON: ReadonlySet<Normalisation> = new Set();

/** Canonical binary: comparisons point left (<, <=), commutative operands sorted (unless switched `off`). */
export function binaryCanon(op: string, a: string, b: string, off = ALL_ON): string {
  if (op === '>' && !off.has('comparison-direction')) return binaryCanon('<', b, a, off);
  if (op === '>=' && !off.has('comparison-direction')) return binaryCanon('<=', b, a, off);
  if (!off.has('commutative') && (COMMUTATIVE.has(op) || (op === '+' && (looksNumeric(a) || looksNumeric(b)))) && b < a) [a, b] = [b, a];
  return op + '(' + a + ',' + b + ')';
}

/** Sound negation of a canonical condition (integers and strings: no NaN). */
export function negateCanon(c: string, off = ALL_ON): string {
  if (c.startsWith('not(') && c.endsWith(')') && splitTop(c.slice(4, -1)).length === 1) return c.slice(4, -1);
  const b = off.has('negation') ? undefined : unBinary(c);
  if (b) {
    const [op, x, y] = b;
    if (op === '==') return binaryCanon('!=', x, y, off);
    if (op === '!=') return binaryCanon('==', x, y, off);
    if (op === '<') return binaryCanon('<=', y, x, off);
    if (op === '<=') return binaryCanon('<', y, x, off);
  }
  return 'not(' + c + ')';
}

/** A condition whose negation is the canonical one: `if` swaps its branches instead. */
function negativeCanon(c: string): boolean {
  return c.startsWith('not(') || c.startsWith('!=(') || c.startsWith('<=(');
}

function escapeCanon(s: string): string {
  return s.replace(/[(),%]/g, (ch) => '%' + ch.charCodeAt(0).toString(16));
}

type State = Map<string, Set<number>> | null;

interface LoopCtx {
  isSwitch: boolean;
  breaks: State[];
  conts: State[];
}

interface FnCtx {
  params: Map<string, number>;
  locals: Set<string>;
  selfNames: Set<string>;
  loops: LoopCtx[];
  implicit: Set<PNode>;
  /** v2: identifier occurrences per name in the function body (def + reads) */
  counts: Map<string, number>;
  /** v2: single-use temporaries met so far: name -> canonical text of their value */
  temps: Map<string, string>;
  /** v2 'named-constant': locals bound once, at the top of the body, to a literal: name -> the literal */
  consts?: Map<string, PNode>;
  /** v2 'named-length': locals bound once to `len(xs)` (xs never changed): name -> xs */
  lens?: Map<string, PNode>;
  /** v2 'element-unpack': names a loop binds as the k-th element of its tuple (`for a, b in xs`): their canonical text is `v<k>` */
  unpack?: Map<string, number>;
  /** v2: the last plain assignment of each local read more than once (a temporary if an element loop takes every read) */
  pending?: Map<string, { id: number; canon: string }>;
}

/** Features, uses and definitions gathered from one statement's expressions. */
interface Acc {
  bag: Map<string, number>;
  uses: string[];
  defs: string[];
  weakDefs: string[];
  calls: string[];
  lambdas: PNode[];
  /** lambdas passed to an iteration function (map, filter...): the function's canonical name */
  iterLambdas?: Map<PNode, string>;
  /** comprehensions, expanded into loop/if/element nodes */
  comps: PNode[];
  /** v2: comprehensions that are a sum's argument (their element is an accumulation) */
  compRoles?: Map<PNode, CompRole>;
}

/** What a comprehension builds: a list, a set, a sum (v2 loop forms), or a bare loop ('gen'). */
type CompRole = 'list' | 'set' | 'sum' | 'count' | 'concat' | 'gen';
/** What an element loop iterates: one sequence, adjacent pairs of one, or two in step. */
interface ElementLoop {
  shape: 'elem' | 'pairs' | 'zip';
  seqs: PNode[];
  /** 'pairs-from-one': the index runs from 1, the pair is `xs[i - 1], xs[i]` (not `xs[i], xs[i + 1]`) */
  fromOne?: boolean;
  /** `xs[i]`-like reads that stand for the loop's element(s) */
  reads: PNode[];
  /** a first statement `x := xs[i]` / `const x = xs[i]` naming the element: the loop defines x instead */
  binding?: { stmt: PNode; name: string };
  /** 'enumerate-index': the body also reads the index itself: the loop is `for i, x in enumerate(xs)` */
  indexed?: boolean;
  /** 'reverse-loop': the index runs down from the last element: the loop is over `reversed(...)` */
  reverse?: boolean;
}

/** A comprehension's clauses in order (`names`: a js chain's element names, defined by its loop). */
type Clause = { kind: 'for'; node: PNode; left?: PNode; right?: PNode; names?: string[]; enumerate?: boolean; reverse?: boolean; comp?: PNode; zipWith?: PNode } | { kind: 'if'; node: PNode; cond: PNode[]; negate?: boolean };
/** A comprehension in any language: python's, or a js iteration chain read as one (chains.ts). */
interface CompSpec {
  clauses: Clause[];
  /** the element expression (undefined: a count, or no element) */
  body: PNode | undefined;
  /** 'multi-append': each element appends these values in order (the body is their display) */
  multi?: PNode[];
}

/** A counted C-style loop read as python's range loop: head features, `range(...)` text, index, element-loop shape. */
interface CountedLoop {
  acc: Acc;
  canon: string;
  index: string;
  shape?: Pick<ElementLoop, 'shape' | 'seqs' | 'fromOne'>;
  /** the shape's indices run down from the last one (countedDown) */
  reverse?: boolean;
}

/** v2 'best-so-far': start values (whitespace removed) a max (min) fold never returns for a non-empty list: -infinity and the least int (+infinity, the greatest). */
const FOLD_FREE_START = {
  max: /^(?:-Infinity|Number\.NEGATIVE_INFINITY|float\(['"]-inf['"]\)|-math\.inf|math\.Inf\(-1\)|math\.MinInt(?:64|32)?|-sys\.maxsize-1)$/,
  min: /^(?:Infinity|Number\.POSITIVE_INFINITY|float\(['"]inf['"]\)|math\.inf|math\.Inf\(1\)|math\.MaxInt(?:64|32)?|sys\.maxsize)$/,
};
/** Roles whose call (`sum(...)`, `len([...])`, `''.join(...)`) is the accumulator itself. */
const WHOLE_ROLES = new Set<CompRole>(['sum', 'count', 'concat']);
/** Builtins that consume a generator as they would the list its loop builds. */
const LIST_CONSUMERS = new Set(['list', 'tuple', 'sorted', 'min', 'max']);

/** v2: the accumulator a comprehension's loop form starts from: its canonical text and bag feature. */
const ACC_INIT: Record<Exclude<CompRole, 'gen'>, { canon: string; feature: string }> = {
  list: { canon: 'list()', feature: 'coll:list' },
  set: { canon: 'set()', feature: 'n:set' },
  sum: { canon: '0', feature: 'lit:0' },
  count: { canon: '0', feature: 'lit:0' },
  concat: { canon: 's:', feature: 'lit:s:' },
};

/** Library functions whose lambda argument runs once per element: the lambda is a loop body. */
const ITER_FUNCS = new Set(['map', 'filter', 'reduce', 'any', 'all', 'find', 'sum', 'count', 'flat_map', 'reject', 'each_with_object', 'find_index', 'findindex', 'max_by', 'min_by', 'group_by', 'partition', 'foreach']);
const MUTATORS = new Set(['append', 'pop', 'insert', 'concat', 'sort', 'reverse', 'clear', 'update', 'remove', 'delete', 'popfront', 'pushfront', 'setdefault', 'discard', 'fill', 'splice', 'set']);
const PATTERN_SKIP_FIELDS = new Set(['value', 'default', 'type', 'right']);
const CASE_TYPES = new Set(['expression_case', 'default_case', 'type_case', 'communication_case', 'when', 'else', 'in_clause', 'case_clause', 'switch_case', 'switch_default']);

/** v2 'reverse-loop': a loop's bag with its head reversed (`loop:H` -> `loop:reverse(H)`, plus `n:reverse`). */
function reversedLoop(bag: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  bag.forEach((v, k) => out.set(k.startsWith('x:loop:') ? 'x:loop:reverse(' + k.slice(7) + ')' : k, v));
  out.set('n:reverse', (out.get('n:reverse') ?? 0) + 1);
  return out;
}

function newAcc(): Acc {
  // iterLambdas and compRoles are made when first set: most statements have neither
  return { bag: new Map(), uses: [], defs: [], weakDefs: [], calls: [], lambdas: [], comps: [] };
}

function bump(bag: Map<string, number>, k: string, by = 1): void {
  bag.set(k, (bag.get(k) ?? 0) + by);
}

// States share their definition sets: a set is never changed once it is in a state
// (copy on write: `wire` and `merge` make a new set where one grows), so copying a state
// copies only its map. Every set holds its ids in the order the deep copies held them
// (a grown set is the old one followed by the new ids in the order met), so the edges
// built from them come out in the same order.
function copyState(s: State): State {
  return s === null ? null : copyMap(s);
}

/**
 * A copy of `m` in its insertion order. By forEach, not `new Map(m)`: the constructor
 * walks an iterator and allocates an entry pair per key (hot: states, bags).
 */
function copyMap<K, V>(m: Map<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  m.forEach((v, k) => out.set(k, v));
  return out;
}

function merge(...states: State[]): State {
  let out: Map<string, Set<number>> | null = null;
  for (const s of states) {
    if (s === null) continue;
    if (out === null) {
      out = copyState(s)!;
      continue;
    }
    for (const [k, v] of s) {
      const o = out.get(k);
      if (!o) out.set(k, v);
      else if (o !== v) {
        let grown: Set<number> | undefined;
        for (const d of v) if (!o.has(d)) (grown ??= new Set(o)).add(d);
        if (grown) out.set(k, grown);
      }
    }
  }
  return out;
}

function sameState(a: State, b: State): boolean {
  if (a === null || b === null) return a === b;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === v) continue;
    if (!w || w.size !== v.size) return false;
    for (const d of v) if (!w.has(d)) return false;
  }
  return true;
}

/** Canonical name for a library / member / free name kept in labels. */
export function canonName(raw: string): string {
  const n = raw.replace(/[?!]$/, '').toLowerCase();
  const s = SYNONYMS[n];
  return s === undefined ? n : s;
}

class Builder {
  readonly t: LangTable;
  readonly code: string;
  kinds: Kind[] = ['root'];
  bags: Map<string, number>[] = [new Map()];
  edges: number[] = [];
  private edgeSet = new Set<number>();
  funcs: number[] = [];
  capped = false;
  private nodeOf = new Map<PNode, number>();
  private fnEntries = new Map<string, number>();
  private pendingCalls: [number, string][] = [];
  private localFns = new Set<string>();
  private fn: FnCtx;
  private returns = 0; // counts return/throw statements met (for the early-exit rule)
  private jumps = 0; // break/continue met
  private visits = 0; // statement visits, bounded by MAX_VISITS
  /** v2: node id -> the temporary it defines (collapsed into its reader after the walk) */
  temps = new Map<number, string>();
  /** v2: controller id -> which branch its next children are on ('F': the false side) */
  private sideOf = new Map<number, 'T' | 'F'>();
  /** v2 'index-loop': `xs[i]` reads that stand for the loop variable `i` (see indexLoop) */
  private elementReads = new Map<PNode, string>();
  /** v2: canonical texts fixed before the node is made (flipped ifs, comprehension elements) */
  private canonOverride = new Map<PNode, string>();
  /** v2: js chains read as comprehensions (chains.ts), by the node that holds their value */
  private jsSpecs = new Map<PNode, CompSpec>();
  private jsRoles = new Map<PNode, CompRole | null>();
  /** v2 'index-loop': statements that only name a loop's element (elementBinding) */
  private skipped = new Set<PNode>();
  /** v2 'flag-break': statements that stand for `return <literal>` (flagBreaks) */
  private flagReturns = new Map<PNode, string>();
  /** v2 'step-slice': go stepping loops that stand for `out = xs[::k]` (stepLoops) */
  private stepLoopOf = new Map<PNode, { name: string; seq: PNode; step: PNode }>();
  /** v2 'clamp': assignments clamped by the next statement (clamps), and those ifs */
  private clampOf = new Map<PNode, { which: 'min' | 'max' | 'abs'; other?: PNode; more?: PNode[] }>();
  private clampIfs = new Set<PNode>();
  /** v2 'abs-if': ifs that stand for `v = abs(v)` (absIfs; the ones after `v = e` are skipped, that assignment is `v = abs(e)`) */
  private absIfOf = new Map<PNode, PNode>();
  /** v2 'best-so-far': fold loops read as max/min of the list they build: the initialisation (-> name, start value if it matters), the update (-> `out.append(e)`), reads after the loop (-> `max(v)`), loops whose index only guarded the first element */
  private foldInits = new Map<PNode, { name: string; start?: PNode; skip?: boolean }>();
  /** v2 'best-so-far': reads of a fold of the loop's own element: `max(xs)` itself */
  private foldWhole = new Map<PNode, { which: 'max' | 'min'; seq: PNode }>();
  private foldUpdates = new Map<PNode, { name: string; value: PNode }>();
  private foldReads = new Map<PNode, 'max' | 'min'>();
  private indexFreeLoops = new Set<PNode>();
  /** v2 'element-unpack': `p[k]` reads of a loop element read only so (-> k, p) */
  private unpackReads = new Map<PNode, [number, string]>();
  /** v2 'best-so-far': js `reduce((m, x) => Math.max(m, e), s)` chains (their value is max of the list they build) */
  private jsFolds = new Map<PNode, { which: 'max' | 'min'; start: PNode }>();
  /** v2 'reduce-loop': js `reduce((a, x) => a OP e, s)` chains (the loop `a = s; for x in xs: a OP= e`): OP's token and s */
  private jsOpFolds = new Map<PNode, { op: string; start: PNode }>();
  /** v2 'string-builder': go strings.Builder variables (declared `var b strings.Builder`) */
  private builders = new Set<string>();
  /** v2 'insertion-sort': python insertion-sort loops that stand for `out = sorted(xs, ...)` (insertionSorts) */
  private sortLoopOf = new Map<PNode, { name: string; seq: PNode; key: PNode; elem: string }>();
  /** v2 'reverse-loop': statements that stand for `return <expression>` (lastMatches), and the loops that run reversed */
  private matchReturns = new Map<PNode, PNode>();
  private reversedLoops = new Set<PNode>();
  /** v2 'dead-store': assignment nodes of a constant inside a function (dropped if nothing reads them): id -> [syntax key, target name] */
  deadCandidates = new Map<number, [string, string, boolean]>();
  /** v2 'dead-store', second build: the statements found dead by the first (syntax key -> target name), skipped */
  deadStores: ReadonlyMap<string, string> = new Map();
  private readonly moduleFn: FnCtx;
  /** v2 'counting-while': while loops that stand for a counted range loop (countingWhiles): index, start, comparison, bound, update */
  private countingOf = new Map<PNode, { v: string; start: PNode; op: string; bound: PNode; update: PNode }>();
  /** v2 'counting-while', 'extreme-chain': the whiles and ifs already looked at (a loop body is walked again until its state settles) */
  private looked = new Set<PNode>();
  /**
   * v2 'extreme-chain', 'min-max': ifs that stand for `return min(x1, ..., xk)` / `v = min(...)`: if/elif chains
   * (extremeChains) and the two-way `if a < b: return a` + `return b` (minMaxReturns; k = 2, no target)
   */
  private extremeOf = new Map<PNode, { which: 'min' | 'max'; target?: PNode; cands: PNode[] }>();
  /** v2 'min-max': helper functions that are min/max/abs (by name) */
  private helperBuiltins = new Map<string, string>();
  /** v2 'inline-helper': helpers read at their one call (findInlineHelpers): name -> parameters and the returned expression */
  private inlined = new Map<string, { params: string[]; ret: PNode }>();
  /** v2 'inline-helper': while an inlined helper's returned expression is read, its parameters -> the call's arguments */
  private subst: Map<string, PNode> | undefined;
  /** v2 'inline-helper': the statements binding an inlined named closure (not built: read at the call) */
  private inlinedBindings = new Set<PNode>();
  /** v2 'fill-loop': go makes filled by the next loop (the make call), the `out[i]` targets, the fill statements (-> out name, value) and loops whose index only fills */
  private fillMakes = new Set<PNode>();
  private fillTargets = new Set<PNode>();
  private fillOf = new Map<PNode, { out: string; value: PNode }>();
  private fillLoops = new Map<PNode, PNode>();
  /** v2 'bool-return': ifs that stand for `return <condition>` (negated when they return False first) */
  private boolReturnOf = new Map<PNode, { cond: PNode; negate: boolean }>();
  /** v2: names the snippet assigns at module level (read in a function, they are locals of the snippet, 'v', not free names) */
  private globals: ReadonlySet<string> = new Set();

  constructor(code: string, lang: Lang, readonly v2 = false, readonly off: ReadonlySet<Normalisation> = ALL_ON) {
    this.t = TABLES[lang];
    this.code = code;
    this.fn = this.newFn();
    this.moduleFn = this.fn;
  }

  /** v2 normalisation `n` is on (not switched off by the options). */
  on(n: Normalisation): boolean {
    return !this.off.has(n);
  }

  private newFn(): FnCtx {
    return { params: new Map(), locals: new Set(), selfNames: new Set(), loops: [], implicit: new Set(), counts: new Map(), temps: new Map() };
  }

  text(n: PNode): string {
    return this.code.slice(n.start, n.end);
  }

  role(n: PNode): StmtRole | undefined {
    if (n.type === 'ERROR') return 'block';
    return this.t.stmt[n.type];
  }

  // ---------------------------------------------------------------- graph primitives

  private addEdge(from: number, to: number, type: number): void {
    if (from < 0 || to < 0 || from === to) return;
    const key = (from * 4096 + to) * 4 + type;
    if (this.edgeSet.has(key)) return;
    this.edgeSet.add(key);
    this.edges.push(from, to, type);
  }

  /** The graph node for syntax node `n` (created once, also across loop re-walks). */
  private node(n: PNode, kind: Kind, bag: Map<string, number>, ctrl: number): number {
    const seen = this.nodeOf.get(n);
    if (seen !== undefined) return seen;
    if (this.kinds.length >= MAX_NODES) {
      this.capped = true;
      this.nodeOf.set(n, -1);
      return -1;
    }
    const id = this.kinds.length;
    if (this.v2) bag = this.labelV2(n, kind, bag, ctrl, id);
    if (this.v2 && this.reversedLoops.has(n)) bag = reversedLoop(bag);
    if (this.v2 && kind === 'assign' && n.start >= 0 && this.fn !== this.moduleFn && this.on('dead-store')) {
      const target = this.assignedName(n);
      // `refold`: without this statement the name occurs 2 or 3 times, so a temporary or a search rule may see it
      const left = target ? (this.fn.counts.get(target) ?? 0) - 1 : 0;
      for (const k of bag.keys()) if (target && DEAD_VALUE.test(k)) this.deadCandidates.set(id, [n.start + ':' + n.end, target, left === 2 || left === 3]);
    }
    this.kinds.push(kind);
    this.bags.push(bag);
    this.nodeOf.set(n, id);
    this.addEdge(ctrl, id, CTRL);
    return id;
  }

  /** Wire a statement node: data edges from reaching definitions, then its own definitions. */
  private wire(id: number, acc: Acc, st: State): State {
    if (id < 0) return st;
    if (st !== null) {
      for (const u of acc.uses) {
        const defs = st.get(u);
        if (defs) for (const d of defs) this.addEdge(d, id, DATA);
      }
      for (const d of acc.defs) st.set(d, new Set([id]));
      for (const d of acc.weakDefs) {
        const s = st.get(d);
        st.set(d, s ? new Set(s).add(id) : new Set([id])); // a new set: `s` may be shared (copy on write)
      }
    }
    for (const c of acc.calls) this.pendingCalls.push([id, c]);
    return st;
  }

  /** Create, wire, and expand closures of a statement. */
  private emit(n: PNode, kind: Kind, acc: Acc, ctrl: number, st: State): { id: number; st: State } {
    const id = this.node(n, kind, acc.bag, ctrl);
    // closures and comprehensions run while the statement is evaluated: they see the
    // definitions reaching it, not the ones it makes
    const before = acc.lambdas.length || acc.comps.length ? copyState(st) : st;
    st = this.wire(id, acc, st);
    for (const lam of acc.lambdas) this.closure(lam, id, before, acc.iterLambdas?.get(lam));
    for (const c of acc.comps) this.comprehension(c, id, ctrl, before, this.compRole(c, acc));
    return { id, st };
  }

  // ---------------------------------------------------------------- whole snippet

  build(root: PNode): void {
    // Top-level statements hang off the root, in a module-level context. One walk finds
    // the module's locals and the snippet's function names.
    this.fn.locals = this.scanLocals(root, this.localFns);
    if (this.v2) this.globals = this.moduleNames(root);
    if (this.v2 && this.on('min-max')) this.findHelperBuiltins(root);
    if (this.v2 && this.on('inline-helper')) this.findInlineHelpers(root);
    this.block(this.stmtsOf(root), 0, new Map());
    for (const [site, name] of this.pendingCalls) {
      const entry = this.fnEntries.get(name);
      if (entry !== undefined) this.addEdge(site, entry, CALL);
    }
  }

  /** v2: names bound by the module's own statements (not inside functions or classes): renaming one renames every read. */
  private moduleNames(root: PNode): Set<string> {
    const out = new Set<string>();
    for (const s of this.stmtsOf(root)) {
      const r = this.role(s);
      if (r === 'function' || r === 'class' || r === 'decorated' || r === 'skip') continue;
      for (const n of this.scanLocals(s)) out.add(n);
    }
    return out;
  }

  /** Names of functions defined at `n`, into `out`: calls to them become call edges. */
  private functionNames(n: PNode, out: Set<string>): void {
    if (this.role(n) === 'function') {
      const name = field(n, 'name');
      if (name) out.add(this.text(name));
    } else if (this.isLambdaBinding(n)) {
      out.add(this.text(this.bindingTarget(n)!));
    }
  }

  /** `const f = (x) => ...`, `f = lambda x: ...`: a named function in disguise. */
  private isLambdaBinding(n: PNode): boolean {
    if (n.type !== 'variable_declarator' && n.type !== 'assignment') return false;
    const target = this.bindingTarget(n);
    const value = field(n, 'value') ?? field(n, 'right');
    return !!target && !!value && target.type === 'identifier' && this.role(value) === 'lambda' && value.type !== 'block' && value.type !== 'do_block';
  }

  private bindingTarget(n: PNode): PNode | undefined {
    return field(n, 'name') ?? field(n, 'left');
  }

  /**
   * Identifiers bound anywhere in `scope` (assignment targets, loop variables, params).
   * The same walk (named children, in one order) also gathers, when asked, the names of
   * functions defined in `scope` (`fnNames`) and identifier occurrences per name
   * (`counts`, for single-use temporaries): one pass instead of three.
   */
  private scanLocals(scope: PNode, fnNames?: Set<string>, counts?: Map<string, number>): Set<string> {
    const out = new Set<string>();
    const stack = [scope];
    while (stack.length) {
      const n = stack.pop()!;
      const cs = n.children;
      if (fnNames) this.functionNames(n, fnNames);
      if (counts && this.t.ident.has(n.type)) {
        const k = this.text(n);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const f = this.t.defs[n.type];
      if (f) {
        // the targets in child order, no list built: named children ('') or one field's
        for (const fname of f) for (let i = 0; i < cs.length; i++) if (fname === '' ? cs[i].named : cs[i].field === fname) this.patternNames(cs[i], out);
      }
      // paramNames' names in its order, straight into the set (the same first insertions)
      if (this.t.params.has(n.type)) for (let i = 0; i < cs.length; i++) if (cs[i].named) this.patternNames(cs[i], out);
      if (n.type === 'parameter' || n.type === 'parameter_declaration') this.patternNames(field(n, 'name') ?? n, out);
      if ((n.field === 'parameter' || n.field === 'parameters') && n.type === 'identifier') out.add(this.text(n));
      for (let i = 0; i < cs.length; i++) if (cs[i].named) stack.push(cs[i]);
    }
    return out;
  }

  /** Identifiers in a binding pattern (a, (b, c), [d, ...e], {f}); subscripts/attributes bind nothing. */
  private patternNames(n: PNode, out: Set<string>): void {
    if (this.t.ident.has(n.type)) {
      out.add(this.text(n));
      return;
    }
    if (this.t.attr[n.type] || this.t.index[n.type] || this.t.call.has(n.type)) return;
    for (const c of n.children) if (c.named && !PATTERN_SKIP_FIELDS.has(c.field)) this.patternNames(c, out);
  }

  private paramNames(list: PNode): string[] {
    const out: string[] = [];
    for (const c of list.children) {
      if (!c.named) continue;
      const s = new Set<string>();
      this.patternNames(c, s);
      out.push(...s);
    }
    return out;
  }

  // ---------------------------------------------------------------- functions

  private functionName(n: PNode): string {
    const nm = field(n, 'name');
    return nm ? this.text(nm) : '';
  }

  /**
   * The snippet's entry function: its last top-level function (helpers are written before
   * it; the caller, every test, calls this one). 'inline-helper' rewrites around it. With
   * `bindings` (the interface gate) a top-level `const f = (x) => ...` / `f = lambda x: ...`
   * is a function too (its lambda is returned, with the bound name).
   */
  entryFunction(root: PNode, bindings = false): { fn: PNode; name: string } | undefined {
    let out: { fn: PNode; name: string } | undefined;
    for (const s of this.stmtsOf(root)) {
      if (this.role(s) === 'function') out = { fn: s, name: this.functionName(s) };
      else if (bindings && (s.type === 'expression_statement' || s.type === 'lexical_declaration' || s.type === 'variable_declaration')) {
        const d = s.children.filter((c) => c.named);
        if (d.length === 1 && this.isLambdaBinding(d[0])) out = { fn: (field(d[0], 'value') ?? field(d[0], 'right'))!, name: this.text(this.bindingTarget(d[0])!) };
      }
    }
    return out;
  }

  /** v2: the entry function's name as lower-cased subwords (src/cssg/interface.ts); undefined without an entry or a name. */
  entryWords(root: PNode): string[] | undefined {
    const e = this.entryFunction(root, true);
    const words = e ? subwords(e.name) : [];
    return words.length ? words : undefined;
  }

  /** Build one function's PDG under the root. */
  private func(n: PNode, name: string): void {
    if (this.nodeOf.has(n)) return;
    const entry = this.node(n, 'func', new Map(), 0);
    if (entry < 0) return;
    this.funcs.push(entry);
    if (name && !this.fnEntries.has(name)) this.fnEntries.set(name, entry);
    const saved = this.fn;
    const savedR = this.returns;
    const savedJ = this.jumps;
    this.fn = this.newFn();
    const st: State = new Map();
    // Go receivers and Python's self/cls are the object itself, not a parameter.
    const recv = field(n, 'receiver');
    if (recv) this.paramNames(recv).forEach((r) => this.fn.selfNames.add(r));
    const plist = field(n, 'parameters') ?? field(n, 'parameter');
    let names: string[] = [];
    if (plist) names = this.t.ident.has(plist.type) ? [this.text(plist)] : this.paramNames(plist);
    let pi = 0;
    for (const p of names) {
      if ((p === 'self' || p === 'cls') && pi === 0 && names.length && this.t === TABLES.python) {
        this.fn.selfNames.add(p);
        continue;
      }
      this.fn.params.set(p, pi);
      const pid = this.node(this.synth(n, 'param' + pi), 'param', new Map([['p' + pi, 1]]), entry);
      if (pid >= 0) st.set(p, new Set([pid]));
      pi++;
    }
    const body = field(n, 'body');
    this.fn.locals = body ? this.scanLocals(body, undefined, this.v2 ? this.fn.counts : undefined) : new Set();
    for (const p of names) this.fn.locals.add(p);
    if (body && this.v2 && this.on('power') && this.code.lastIndexOf('*', body.end) >= body.start) this.powerCounts(body);
    if (body && this.v2 && (this.on('named-constant') || this.on('named-length'))) this.namedConstants(body);
    // 'dead-store' (second build): a skipped dead assignment's name occurs once less
    if (body) {
      for (const [key, name] of this.deadStores) {
        const at = Number(key.slice(0, key.indexOf(':')));
        const c = this.fn.counts.get(name);
        if (at >= body.start && at < body.end && c !== undefined) this.fn.counts.set(name, c - 1);
      }
    }
    if (body) {
      if (this.t.implicitReturn) this.markImplicit(body);
      if (this.role(body) === undefined && !this.isBlockLike(body)) this.exprBodyReturn(body, entry, st);
      else this.block(this.stmtsOf(body), entry, st);
    }
    this.fn = saved;
    this.returns = savedR;
    this.jumps = savedJ;
  }

  private isBlockLike(n: PNode): boolean {
    const r = this.role(n);
    return r === 'block';
  }

  /** The per-element expression of map/filter/...: a filter's test is an if, the rest an update. */
  private elementNode(expr: PNode, iter: string, ctrl: number, st: State): void {
    const acc = newAcc();
    this.expr(expr, acc);
    const filter = iter === 'filter' || iter === 'reject' || iter === 'any' || iter === 'all' || iter === 'find' || iter === 'count';
    if (iter === 'map' || iter === 'filter') bump(acc.bag, 'n:append');
    this.exprLabel(expr, filter ? 'if' : 'aug');
    this.emit(expr, filter ? 'if' : 'aug', acc, ctrl, st);
  }

  /** Arrow functions / lambdas with an expression body return that expression. */
  private exprBodyReturn(expr: PNode, ctrl: number, st: State): void {
    const acc = newAcc();
    this.expr(expr, acc);
    this.exprLabel(expr, 'return');
    this.emit(expr, 'return', acc, ctrl, st);
  }

  /**
   * v2: a node made from a bare expression (a lambda's expression body, a map/filter
   * element) is labelled `kind:<canon of the expression>`, as the statement it stands for
   * (`lambda x: x % 2 == 0` returns `==(%(v,2),0)`); a statement's label reads its parts.
   */
  private exprLabel(expr: PNode, kind: Kind): void {
    if (this.v2 && !this.canonOverride.has(expr) && !this.role(expr)) this.canonOverride.set(expr, kind + ':' + this.canon(expr));
  }

  /** Ruby: the last expression of a body is its value; mark it as a return. */
  private markImplicit(body: PNode): void {
    const stmts = this.stmtsOf(body);
    const last = stmts[stmts.length - 1];
    if (!last) return;
    const r = this.role(last);
    if (r === 'if' || r === 'switch') {
      for (const c of last.children) {
        if (!c.named) continue;
        if (c.type === 'then' || c.type === 'else' || c.type === 'elsif' || c.type === 'when' || c.type === 'in_clause') this.markImplicit(c);
        if (c.type === 'elsif') {
          const alt = field(c, 'alternative');
          if (alt) this.markImplicit(alt);
        }
      }
      const alt = field(last, 'alternative');
      if (alt) this.markImplicit(alt);
      return;
    }
    if (r === undefined && !this.t.defs[last.type]) this.fn.implicit.add(last);
  }

  /** Anonymous function inside a statement: a closure node hanging off that statement. */
  /**
   * `[f(x) for x in xs if p(x)]` is the loop `for x in xs: if p(x): out.append(f(x))`:
   * one loop node per `for` clause, an if node per `if` clause, an element node, and a
   * data edge from the element to the statement that uses the result. The same code
   * written as a loop (other languages' usual spelling) then has the same shape.
   */
  private comprehension(c: PNode, stmt: number, ctrl: number, st: State, role: CompRole): void {
    if (stmt < 0) return;
    // v2: the accumulator the loop form starts with (`out = []`, `out = set()`, `s = 0`)
    let init = -1;
    // 'reduce-loop': a js reduce with any operator starts from its own start value
    const opFold = role === 'sum' ? this.jsOpFolds.get(c) : undefined;
    if (role !== 'gen') {
      const node = this.synth(c, 'init');
      this.canonOverride.set(node, '=(,' + (opFold ? this.canon(opFold.start) : ACC_INIT[role].canon) + ')');
      // 'best-so-far': a js max-reduce's start value, where it may win, is in the bag (as a fold loop's)
      const fold = this.jsFolds.get(c);
      const start = fold?.start ?? opFold?.start;
      const bag = new Map(opFold ? [] : [[ACC_INIT[role].feature, 1]]);
      if (start && (opFold || (fold && !FOLD_FREE_START[fold.which].test(this.text(start).replace(/\s+/g, ''))))) {
        const sa = newAcc();
        this.expr(start, sa);
        for (const [k, x] of sa.bag) bump(bag, k, x);
      }
      init = this.node(node, 'assign', bag, ctrl);
      if (init >= 0) this.addEdge(init, stmt, DATA);
    }
    let spec = this.compSpec(c);
    // 'multi-append': python's last clause `for v in (a, b)` yielding v appends a then b
    if (role === 'list' && !spec.multi && this.v2 && this.on('multi-append')) spec = this.multiClause(spec);
    const { parent, state } = this.compClauses(spec, ctrl, st);
    const body = spec.body;
    const acc = newAcc();
    if (role === 'list' || (role === 'gen' && c.type !== 'generator_expression')) bump(acc.bag, 'n:append');
    else if (role === 'set') bump(acc.bag, 'n:' + canonName('add'));
    else if (role !== 'gen') bump(acc.bag, 'op:' + (opFold ? OPERATORS[opFold.op] ?? opFold.op : '+'));
    if (role !== 'gen') bump(acc.bag, 'v');
    // a count adds 1 per element: the element's own value is not read
    if (role === 'count') bump(acc.bag, 'lit:1');
    else if (spec.multi) for (const m of spec.multi) this.expr(m, acc);
    else if (body) this.expr(body, acc);
    const elem = this.synth(c, 'element');
    const b = role === 'count' ? '1' : body ? this.canon(body) : '';
    if (this.v2 && (body || role === 'count')) this.canonOverride.set(elem, role === 'list' ? 'expr:' + this.methodCanon('v', 'append', spec.multi ? spec.multi.map((m) => this.canon(m)) : [b]) : role === 'set' ? 'expr:' + this.methodCanon('v', canonName('add'), [b]) : role === 'gen' ? 'aug:' + this.methodCanon('v', 'append', [b]) : 'upd' + (opFold ? OPERATORS[opFold.op] ?? opFold.op : '+') + '(,' + b + ')');
    const e = this.emit(elem, role === 'list' || role === 'set' ? 'expr' : 'aug', acc, parent, state);
    if (e.id >= 0) this.addEdge(e.id, stmt, DATA);
    if (e.id >= 0 && init >= 0) this.addEdge(init, e.id, DATA);
  }

  /**
   * v2 'multi-append': a comprehension whose last clause is `for v in (a, b)` (a tuple or
   * list display, no starred element, a and b not reading v) and whose element is v
   * appends a then b per element of the clauses before: that clause goes, the element is
   * the multi-append `out.append(a, b)`. Else `spec` itself.
   */
  private multiClause(spec: CompSpec): CompSpec {
    const last = spec.clauses[spec.clauses.length - 1];
    const body = spec.body && this.unparen(spec.body);
    if (spec.clauses.length < 2 || last.kind !== 'for' || !last.left || !last.right || !body || !this.t.ident.has(last.left.type) || this.text(body) !== this.text(last.left)) return spec;
    const right = this.unparen(last.right);
    // `for t in zip(xs, ys, zs) for v in t` (t named nowhere else): v runs over the k values of t, in order
    const p2 = spec.clauses[spec.clauses.length - 2];
    const prev = p2.kind === 'for' ? p2 : undefined;
    const zip = prev && prev.left && prev.right && prev.comp && this.t.ident.has(right.type) && this.text(prev.left) === this.text(right) ? this.unparen(prev.right) : undefined;
    const zargs = zip && zip.type === 'call' && field(zip, 'function') && this.text(field(zip, 'function')!) === 'zip' && this.isFree('zip') ? field(zip, 'arguments')?.children.filter((x) => x.named) ?? [] : [];
    if (zargs.length >= 2 && !zargs.some((x) => x.type === 'list_splat' || x.type === 'keyword_argument') && this.countIn(prev!.comp!, this.text(right)) === 2) return { clauses: spec.clauses.slice(0, -1), body: right, multi: zargs.map(() => right) };
    if (right.type !== 'tuple' && right.type !== 'list') return spec;
    const els = right.children.filter((x) => x.named);
    if (!els.length || els.some((x) => x.type === 'list_splat' || x.type === 'parenthesized_list_splat' || this.countIn(x, this.text(last.left!)))) return spec;
    return { clauses: spec.clauses.slice(0, -1), body: right, multi: els };
  }

  /** The clauses and element of comprehension `c`: python's own, or a js chain's (src/cssg/chains.ts). */
  private compSpec(c: PNode): CompSpec {
    const js = this.jsSpecs.get(c);
    if (js) return js;
    const clauses: Clause[] = [];
    for (const cl of c.children) {
      if (cl.type === 'for_in_clause') {
        clauses.push({ kind: 'for', node: cl, left: field(cl, 'left'), right: field(cl, 'right'), comp: c });
        const left = field(cl, 'left');
        const right = field(cl, 'right');
        if (left && right) this.unpackTarget(c, left, right);
      }
      else if (cl.type === 'if_clause') clauses.push({ kind: 'if', node: cl, cond: cl.children.filter((e) => e.named) });
    }
    return { clauses, body: field(c, 'body') };
  }

  /** A js chain's comprehension form: one loop over its base defining every element name, one if per filter. */
  private chainSpec(anchor: PNode, chain: Chain, params: PNode[], body: PNode | undefined): CompSpec {
    // an array pattern parameter (`([a, b]) =>`) defines each of its names
    const names = params.flatMap((p) => (p.type === 'array_pattern' ? p.children.filter((c) => c.named).map((c) => this.text(c)) : [this.text(p)]));
    for (const p of params) if (p.type === 'array_pattern') this.unpackTarget(anchor, p, chain.base);
    // 'index-zip': the second sequence's element is the index parameter (its reads `ys[i]`) or python's second lambda parameter
    const z = chain.zip;
    const second = z?.param ?? z?.index;
    if (z && second) {
      names.push(this.text(second));
      for (const r of z.reads ?? []) this.elementReads.set(r, this.text(second));
    }
    const clauses: Clause[] = [{ kind: 'for', node: this.synth(anchor, 'loop'), right: chain.base, names, zipWith: z?.seq }];
    for (const s of chain.stages) if (s.kind === 'filter') clauses.push({ kind: 'if', node: this.synth(s.fn, 'filter'), cond: [s.body], negate: (s as RubyStage).negate });
    return chain.multi ? { clauses, body, multi: chain.multi } : { clauses, body };
  }

  /** The `for` and `if` clauses of a comprehension: one loop node per `for`, one if per `if`, nested. */
  private compClauses(spec: CompSpec, ctrl: number, st: State): { parent: number; state: State; outer: number } {
    let parent = ctrl;
    let outer = -1;
    let state = copyState(st) ?? new Map();
    for (const cl of spec.clauses) {
      if (cl.kind === 'for') {
        const acc = newAcc();
        const { right, left } = cl;
        if (cl.names) {
          // a js chain: the loop defines every stage's element name
          if (right) this.chainBaseExpr(right, acc);
          for (const nm of cl.names) {
            acc.defs.push(nm);
            this.fn.locals.add(nm);
          }
          if (cl.enumerate) bump(acc.bag, 'n:enumerate');
          if (right) this.canonOverride.set(cl.node, 'loop:' + (cl.enumerate ? 'enumerate(' + this.canon(right) + ')' : this.canon(right)));
          if (right && cl.zipWith) {
            // 'index-zip': the loop walks zip(xs, ys), as python's element loop over zip is labelled
            bump(acc.bag, 'n:zip');
            this.expr(cl.zipWith, acc);
            this.canonOverride.set(cl.node, 'loop:zip(' + this.canon(right) + ',' + this.canon(cl.zipWith) + ')');
          }
        } else if (left && right && spec.body && spec.clauses.length === 1 && cl.comp && this.v2 && this.on('index-loop') && this.on('index-zip') && this.compIndexLoop(cl.node, left, right, spec.body, cl.comp, acc)) {
          // 'index-zip': `[xs[i] + ys[i] for i in range(len(xs))]` is the index loop statement's element loop
        } else if (!(left && right && this.elementLoopHead(cl.node, left, right, undefined, acc))) {
          if (right) this.expr(right, acc);
          if (left) this.targets(left, acc, false);
          // labelled like the `for` statement it stands for: `loop:<iterable>`
          if (this.v2 && right && this.on('comprehension-loop')) this.canonOverride.set(cl.node, 'loop:' + (cl.reverse ? 'reverse(' + this.canon(right) + ')' : this.canon(right)));
          if (cl.reverse) bump(acc.bag, 'n:reverse');
        }
        const r = this.emit(cl.node, 'loop', acc, parent, state);
        state = r.st ?? state;
        if (r.id >= 0) {
          parent = r.id;
          if (outer < 0) outer = r.id;
        }
      } else {
        const acc = newAcc();
        for (const e of cl.cond) this.expr(e, acc);
        if (cl.node.start < 0 && cl.cond.length === 1) this.canonOverride.set(cl.node, 'if:' + (cl.negate ? negateCanon(this.canon(cl.cond[0]), this.off) : this.canon(cl.cond[0])));
        const r = this.emit(cl.node, 'if', acc, parent, state);
        if (r.id >= 0) parent = r.id;
      }
    }
    return { parent, state, outer };
  }

  /**
   * v2 'accumulator': `return any(p(x) for x in xs)` is the loop
   * `for x in xs: if p(x): return True` followed by `return False` (all: `if not p(x):
   * return False`, then `return True`). Returns undefined when `n` is not such a return.
   */
  private anyAllReturn(n: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (this.t === TABLES.javascript) return this.jsSearchReturn(n, ctrl, st);
    if (this.t === TABLES.ruby) {
      const e = this.returnedExpr(n);
      return e ? this.rubySearchReturn(n, e, ctrl, st) : undefined;
    }
    const named = n.children.filter((c) => c.named);
    if (named.length !== 1) return undefined;
    let call = named[0];
    while (call.type === 'parenthesized_expression' && namedCount(call) === 1) call = call.children.find((c) => c.named)!;
    if (!this.t.call.has(call.type)) return undefined;
    const callee = field(call, 'function');
    const which = callee && this.t.ident.has(callee.type) && this.isFree(this.text(callee)) ? this.text(callee) : '';
    if (which === 'next') return this.nextReturn(n, call, ctrl, st);
    if (which === 'max' || which === 'min') return this.extremeIndexReturn(n, call, which, ctrl, st);
    if (which !== 'any' && which !== 'all') return undefined;
    const comp = this.accumulatorArg(call);
    const body = comp && field(comp, 'body');
    if (!comp || !body) return undefined;
    return this.searchAnyAll(n, this.compSpec(comp), which, body, ctrl, st);
  }

  /** `return any/all(test ...)` (spec: the comprehension's clauses) as its search loop. */
  private searchAnyAll(n: PNode, spec: CompSpec, which: 'any' | 'all', body: PNode, ctrl: number, st: State, negated = false): { st: State; guard: number } | undefined {
    const { parent, state, outer } = this.compClauses(spec, ctrl, copyState(st));
    if (outer < 0) return undefined;
    const acc = newAcc();
    this.expr(body, acc);
    const cond = this.synth(n, 'test');
    const c = this.canon(body);
    this.canonOverride.set(cond, 'if:' + ((which === 'any') !== negated ? c : negateCanon(c, this.off)));
    const test = this.emit(cond, 'if', acc, parent, state);
    const early = this.synth(n, 'early');
    const inner = which === 'any' ? 'true' : 'false';
    const outerVal = which === 'any' ? 'false' : 'true';
    this.canonOverride.set(early, 'return:' + inner);
    this.node(early, 'return', new Map([['lit:' + inner, 1]]), test.id < 0 ? parent : test.id);
    this.canonOverride.set(n, 'return:' + outerVal);
    this.node(n, 'return', new Map([['lit:' + outerVal, 1]]), outer);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /**
   * v2 'accumulator': `return xs.some(p)` / `xs.every(p)` / `xs.find(p) ?? d` (after
   * filters) are python's any / all / next returns (chains.ts), built the same way.
   */
  private jsSearchReturn(n: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    const e = this.v2 && this.on('accumulator') && this.on('comprehension-loop') ? this.returnedExpr(n) : undefined;
    const s = e && jsChainSearch(e, (x) => this.text(x));
    if (!s) return undefined;
    const spec = this.chainSpec(n, s.chain, s.params, undefined);
    if (s.which === 'index') return this.searchIndex(n, spec, s.test, ctrl, st);
    if (s.which !== 'next') return this.searchAnyAll(n, spec, s.which, s.test, ctrl, st);
    spec.clauses.push({ kind: 'if', node: this.synth(n, 'found'), cond: [s.test] });
    return this.searchNext(n, spec, s.found!, s.dflt!, ctrl, st);
  }

  /**
   * v2 'ruby-blocks': the returned (or implicitly returned) `e` = `xs.any? { |x| p }` /
   * `all?` / `none?` (= all of `not p`) / `find` / `detect` (default nil) after filters is
   * python's any / all / next return (ruby.ts), built the same way.
   */
  private rubySearchReturn(n: PNode, e: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.v2 || !this.on('ruby-blocks') || !this.on('accumulator') || !this.on('comprehension-loop')) return undefined;
    while (e.type === 'argument_list' && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    const s = rubyChainSearch(e, (x) => this.text(x));
    if (!s) return undefined;
    const spec = this.chainSpec(n, s.chain, s.params, undefined);
    if (s.which === 'none') return this.searchAnyAll(n, spec, 'all', s.test, ctrl, st, true);
    let found = s.found;
    if (s.which === 'index') {
      // `xs.index { |x| p }`: the loop is `for i, x in enumerate(xs)` and returns i; i is
      // a name no code has ('' : a synthetic identifier), read as a local
      const i = this.synth(n, 'index');
      i.type = 'identifier';
      const loop = spec.clauses[0];
      if (loop.kind === 'for') {
        loop.names!.push('');
        loop.enumerate = true;
      }
      found = i;
    }
    if (s.which === 'any' || s.which === 'all') return this.searchAnyAll(n, spec, s.which, s.test, ctrl, st);
    spec.clauses.push({ kind: 'if', node: this.synth(n, 'found'), cond: [s.test] });
    let dflt = s.dflt;
    if (!dflt) {
      dflt = this.synth(n, 'nil');
      dflt.type = 'nil';
    }
    return this.searchNext(n, spec, found!, dflt, ctrl, st);
  }

  /**
   * `return xs.findIndex(p)`: the search loop `for i, x in enumerate(xs): if p(x): return
   * i` followed by `return -1` (python's `next((i for i, x in enumerate(xs) if p(x)), -1)`).
   */
  private searchIndex(n: PNode, spec: CompSpec, test: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    const loop = spec.clauses[0];
    if (loop.kind !== 'for') return undefined;
    loop.enumerate = true;
    loop.names = [...(loop.names ?? []), '#index'];
    spec.clauses.push({ kind: 'if', node: this.synth(n, 'found'), cond: [test] });
    const { parent, state, outer } = this.compClauses(spec, ctrl, copyState(st));
    if (outer < 0) return undefined;
    const acc = newAcc();
    bump(acc.bag, 'v');
    acc.uses.push('#index');
    const early = this.synth(n, 'early');
    this.canonOverride.set(early, 'return:v');
    this.emit(early, 'return', acc, parent, state);
    this.canonOverride.set(n, 'return:-1');
    this.node(n, 'return', new Map([['op:-', 1], ['lit:1', 1]]), outer);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /**
   * v2: the role of js expression `n` read as a comprehension (a filter/map chain, a
   * reduce to a sum, a filtered length, a join of mapped strings: chains.ts), else null.
   */
  private chainRole(n: PNode): CompRole | null {
    const ruby = this.t === TABLES.ruby && n.type === 'call' && this.on('ruby-blocks');
    const py = this.t === TABLES.python && n.type === 'call' && this.on('map-filter') && this.isFree('map') && this.isFree('filter');
    if (!this.v2 || (this.t !== TABLES.javascript && !ruby && !py) || (n.type !== 'call_expression' && n.type !== 'member_expression' && !ruby && !py) || !this.on('comprehension-loop')) return null;
    const seen = this.jsRoles.get(n);
    if (seen !== undefined) return seen;
    const zips = this.on('index-zip') && this.on('index-loop');
    const v = py ? pythonMapFilter(n, (x) => this.text(x), zips) : ruby ? rubyChainValue(n, (x) => this.text(x)) : jsChainValue(n, (x) => this.text(x), this.on('sum-loop'), this.on('spread-max'), this.on('best-so-far'), zips, this.on('reduce-loop'), this.on('multi-append'));
    const role = v && (v.role === 'list' || this.on('accumulator')) ? v.role : null;
    if (v && role) this.jsSpecs.set(n, this.chainSpec(n, v.chain, v.params, v.body));
    if (v && role && v.fold) this.jsFolds.set(n, v.fold);
    if (v && role && v.opFold) this.jsOpFolds.set(n, v.opFold);
    this.jsRoles.set(n, role);
    return role;
  }

  /** Features of a chain's base: ruby's `xs.each_cons(2)` has those of python's `zip(xs, xs[1:])` element loop. */
  private chainBaseExpr(base: PNode, acc: Acc): void {
    const c = this.t === TABLES.ruby ? rubyCall(base, (x) => this.text(x)) : undefined;
    if (c && c.name === 'each_cons' && this.canon(base).startsWith('pairs(')) {
      bump(acc.bag, 'n:zip');
      this.expr(c.recv, acc);
    } else this.expr(base, acc);
  }

  /** The one expression a return statement returns (parentheses removed), if any. */
  private returnedExpr(n: PNode): PNode | undefined {
    const named = n.children.filter((c) => c.named);
    if (named.length !== 1) return undefined;
    let e = named[0];
    while (e.type.startsWith('parenthesized_') && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    return e;
  }

  /** `e` without enclosing parentheses. */
  private unparen(e: PNode): PNode {
    while (e.type.startsWith('parenthesized_') && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    return e;
  }

  /** [condition, then, else] of a conditional expression (`a if c else b`, `c ? a : b`). */
  private ternaryParts(e: PNode): [PNode, PNode, PNode] | undefined {
    if (!this.t.ternary.has(e.type)) return undefined;
    const c = field(e, 'condition');
    const a = field(e, 'consequence');
    const b = field(e, 'alternative');
    if (c && a && b) return [c, a, b];
    const named = e.children.filter((x) => x.named);
    // python: `a if c else b` has no fields
    return this.t === TABLES.python && named.length === 3 ? [named[1], named[0], named[2]] : undefined;
  }

  /**
   * v2 'ternary-return': `return a if c else b` is `if c: return a` / `else: return b`
   * (nested conditionals are elif chains), built as the statement form would be.
   */
  private ternaryReturn(n: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.v2 || !this.on('ternary-return')) return undefined;
    const e = this.returnedExpr(n);
    if (!e || !this.ternaryParts(e)) return undefined;
    this.returnBranch(e, ctrl, st);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /** v2 'ruby-returns' + 'ternary-return': a last expression `c ? a : b` is `if c: return a` / `else: return b`. */
  private rubyTernaryReturn(e: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.on('ternary-return') || !this.ternaryParts(e)) return undefined;
    this.returnBranch(e, ctrl, st);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /**
   * `inChain`: `e` is the else of a conditional (`a if c else (b if d else e)`), an elif
   * of a chain; like an elif statement (and go's case chains, js's else-ifs), a condition
   * in a chain keeps its direction: only a two-way conditional is swapped ('if-swap').
   */
  private returnBranch(e: PNode, ctrl: number, st: State, inChain = false): void {
    while (e.type.startsWith('parenthesized_') && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    const parts = this.ternaryParts(e);
    if (!parts) {
      this.emitReturn(this.synth(e, 'return'), e, ctrl, st);
      return;
    }
    const [cond, yes, no] = parts;
    const acc = this.condAcc(cond);
    let c = this.canon(cond);
    const chain = inChain || !!this.ternaryParts(this.unparen(no));
    const flip = this.on('if-swap') && !chain && negativeCanon(c);
    if (flip) c = negateCanon(c, this.off);
    const test = this.synth(e, 'if');
    this.canonOverride.set(test, 'if:' + c);
    const r = this.emit(test, 'if', acc, ctrl, st);
    const p = r.id < 0 ? ctrl : r.id;
    this.sideOf.set(p, flip ? 'F' : 'T');
    this.returnBranch(yes, p, copyState(r.st));
    this.sideOf.set(p, flip ? 'T' : 'F');
    this.returnBranch(no, p, copyState(r.st), chain);
    this.sideOf.set(p, 'F');
  }

  /**
   * v2 'index-loop': an index loop whose body reads the index only to fetch elements is
   * the element loop it spells: `for i in range(len(xs))` reading `xs[i]` is `for x in
   * xs`; `range(len(xs) - 1)` reading `xs[i]`, `xs[i + 1]` is `for a, b in zip(xs,
   * xs[1:])`; `range(min(len(xs), len(ys)))` reading `xs[i]`, `ys[i]` is `for a, b in
   * zip(xs, ys)`. The same in every language: the bound is `len(xs)`, `xs.length`,
   * `Math.min(...)`, and the loop `for (let i = 0; i < b; i++)`, `for i := 0; i < b; i++`
   * or go's `for i := range xs` (elementIndexLoop). Sound only when no element is
   * assigned through, the sequences and the index are used nowhere else in the body,
   * and the index is not read outside the loop.
   */
  private indexLoop(target: PNode, iter: PNode, body: PNode | undefined, loop: PNode): ElementLoop | undefined {
    const t = this.t;
    if (t !== TABLES.python || !body || !t.ident.has(target.type) || iter.type !== 'call') return undefined;
    let r = this.callArgs(iter, 'range');
    const i = this.text(target);
    // 'loop-forms': range(0, n) is range(n)
    if (r.length === 2 && this.text(r[0]).trim() === '0' && this.on('loop-forms')) r = [r[1]];
    if (r.length === 3) {
      // 'reverse-loop': `range(len(xs) - 1, -1, -1)` visits xs's indices from the last
      const xs = this.on('reverse-loop') ? this.lastIndexOf(r[0]) : undefined;
      if (!xs || !/^-\s*1$/.test(this.text(r[1]).trim()) || !/^-\s*1$/.test(this.text(r[2]).trim())) return undefined;
      const el = this.elementIndexLoop(i, { shape: 'elem', seqs: [xs] }, body, loop) ?? (this.on('enumerate-index') ? this.elementIndexLoop(i, { shape: 'elem', seqs: [xs] }, body, loop, undefined, true) : undefined);
      return el && { ...el, reverse: true };
    }
    // 'pairs-from-one': `range(1, len(xs))`
    const from1 = r.length === 2 && this.text(r[0]).trim() === '1' && this.on('pairs-from-one') ? this.lenOf(r[1]) : undefined;
    // (only xs[i] read: the elements of xs[1:])
    if (from1) return this.elementIndexLoop(i, { shape: 'pairs', seqs: [from1], fromOne: true }, body, loop) ?? this.elementIndexLoop(i, { shape: 'elem', seqs: [from1], fromOne: true }, body, loop);
    if (r.length !== 1) return undefined;
    const b = this.boundShape(r[0]);
    if (!b) return undefined;
    return this.elementIndexLoop(i, b, body, loop) ?? (b.shape === 'elem' && this.on('enumerate-index') ? this.elementIndexLoop(i, b, body, loop, undefined, true) : undefined);
  }

  /** `len(xs) - 1` (the last index of xs): xs, else undefined. */
  private lastIndexOf(e: PNode): PNode | undefined {
    e = this.unparen(e);
    const l = field(e, 'left');
    const r = field(e, 'right');
    return field(e, 'operator')?.type === '-' && r && this.text(r) === '1' ? this.lenOf(l) : undefined;
  }

  /** The arguments of a call of the free function `name` (`Math.min` for 'min' in js), else []. */
  private callArgs(c: PNode, name: string): PNode[] {
    const t = this.t;
    if (!t.call.has(c.type)) return [];
    const f = field(c, 'function');
    const a = field(c, 'arguments');
    if (!f || !a || (a.type !== 'argument_list' && a.type !== 'arguments')) return [];
    const attr = t.attr[f.type];
    const obj = attr && field(f, attr.object);
    const nm = attr && field(f, attr.name);
    const named = t.ident.has(f.type) ? this.text(f) === name && this.isFree(name) : !!(obj && nm && t === TABLES.javascript && this.text(obj) === 'Math' && this.isFree('Math') && this.text(nm) === name);
    return named ? a.children.filter((x) => x.named) : [];
  }

  /** `len(xs)` / `xs.length`: the sequence xs (a name), else undefined. */
  private lenOf(e: PNode | undefined): PNode | undefined {
    if (!e) return undefined;
    const t = this.t;
    const named = this.fn.lens && t.ident.has(e.type) ? this.fn.lens.get(this.text(e)) : undefined;
    if (named) return named;
    if (t === TABLES.javascript && e.type === 'member_expression') {
      const obj = field(e, 'object');
      const p = field(e, 'property');
      return obj && p && t.ident.has(obj.type) && this.text(p) === 'length' ? obj : undefined;
    }
    if (t === TABLES.ruby) {
      const c = rubyCall(e, (x) => this.text(x));
      return c && (c.name === 'length' || c.name === 'size' || c.name === 'count') && !c.args.length && !c.block && t.ident.has(c.recv.type) ? c.recv : undefined;
    }
    const a = this.callArgs(e, 'len');
    return a.length === 1 && t.ident.has(a[0].type) ? a[0] : undefined;
  }

  /** The bound of an index loop as an element-loop shape: `len(xs)`, `len(xs) - 1`, `min(len(xs), len(ys))`. */
  private boundShape(bound: PNode): Pick<ElementLoop, 'shape' | 'seqs' | 'fromOne'> | undefined {
    while (bound.type.startsWith('parenthesized_') && namedCount(bound) === 1) bound = bound.children.find((c) => c.named)!;
    const one = this.lenOf(bound);
    if (one) return { shape: 'elem', seqs: [one] };
    const l = field(bound, 'left');
    const r = field(bound, 'right');
    if (field(bound, 'operator')?.type === '-' && this.lenOf(l) && r && this.text(r) === '1') return { shape: 'pairs', seqs: [this.lenOf(l)!] };
    const rm = this.t === TABLES.ruby ? rubyCall(bound, (x) => this.text(x)) : undefined;
    // ruby: `[xs.length, ys.length].min`
    const m = rm && rm.name === 'min' && !rm.args.length && !rm.block && rm.recv.type === 'array' ? rm.recv.children.filter((c) => c.named) : this.callArgs(bound, 'min');
    const [a, b] = [this.lenOf(m[0]), this.lenOf(m[1])];
    if (m.length === 2 && a && b && this.text(a) !== this.text(b)) return { shape: 'zip', seqs: [a, b] };
    return undefined;
  }

  /** Base and key of a one-key element access (`xs[k]` in every grammar), else undefined. */
  private subscriptParts(n: PNode): [PNode, PNode] | undefined {
    if (this.t.index[n.type] !== 'index' || namedCount(n) !== 2) return undefined;
    const v = field(n, 'value') ?? field(n, 'object') ?? field(n, 'operand');
    const k = field(n, 'subscript') ?? field(n, 'index') ?? (this.t === TABLES.ruby ? n.children.filter((c) => c.named)[1] : undefined);
    return v && k ? [v, k] : undefined;
  }

  /**
   * The index `i` of `loop` is read nowhere outside it: the loop declares it (go's
   * `for i := 0; ...` / `for i := range`, js `for (let i = 0; ...)`: another loop's `i` is
   * another variable), or every occurrence of the name in the function is in the loop.
   */
  private loopLocal(loop: PNode, i: string): boolean {
    if (this.fn.counts.get(i) === this.countIn(loop, i)) return true;
    if (this.t !== TABLES.go && this.t !== TABLES.javascript) return false;
    const head = loop.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause') ?? field(loop, 'initializer');
    const init = head?.type === 'for_clause' ? field(head, 'initializer') : head;
    if (!init) return false;
    const name = i.replace(/[$]/g, '\\$');
    return new RegExp('^(?:(?:let|const)\\s+' + name + '\\b|' + name + '\\s*(?:,\\s*[A-Za-z_$][\\w$]*\\s*)?:=)').test(this.text(init).trim());
  }

  /** Occurrences of identifier `name` under `n`. */
  private countIn(n: PNode, name: string): number {
    let c = 0;
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (this.t.ident.has(x.type) && this.text(x) === name) c++;
      for (const ch of x.children) if (ch.named) stack.push(ch);
    }
    return c;
  }

  /**
   * The index loop `loop` over index `i` (from 0, below a bound of shape `b`) as an
   * element loop, when its body reads `i` only as `xs[i]` (pairs: also `xs[i + 1]`),
   * never writes through such a read, never names the sequences otherwise, and `i`
   * is used nowhere outside the loop.
   */
  private elementIndexLoop(i: string, b: Pick<ElementLoop, 'shape' | 'seqs' | 'fromOne'>, body: PNode, loop: PNode, skip?: PNode, allowIndex = false): ElementLoop | undefined {
    const t = this.t;
    const { shape, seqs } = b;
    const names = seqs.map((x) => this.text(x));
    // the index expression of an element read: `i` (offset 0) or, for pairs, `i + 1` (from one: `i - 1` and `i`)
    const offset = (k: PNode): number => {
      if (t.ident.has(k.type) && this.text(k) === i) return b.fromOne && shape === 'pairs' ? 1 : 0;
      const l = field(k, 'left');
      const rr = field(k, 'right');
      if (shape === 'pairs' && field(k, 'operator')?.type === (b.fromOne ? '-' : '+') && l && rr && t.ident.has(l.type) && this.text(l) === i && this.text(rr) === '1') return b.fromOne ? 0 : 1;
      return -1;
    };
    const reads: PNode[] = [];
    let ok = true;
    let indexed = false;
    const walk = (n: PNode, assigned: boolean): void => {
      if (!ok || n === skip || this.fillTargets.has(n)) return;
      const sub = this.subscriptParts(n);
      if (sub && t.ident.has(sub[0].type) && names.includes(this.text(sub[0])) && offset(sub[1]) >= 0) {
        if (assigned) ok = false;
        else reads.push(n);
        return;
      }
      // allowIndex ('enumerate-index'): the index itself may be read, never assigned
      if (allowIndex && !assigned && t.ident.has(n.type) && this.text(n) === i) {
        indexed = true;
        return;
      }
      if (t.ident.has(n.type) && (this.text(n) === i || names.includes(this.text(n)))) {
        ok = false;
        return;
      }
      const defs = t.defs[n.type];
      for (const c of n.children) if (c.named) walk(c, (!!defs && (defs[0] === '' || defs.includes(c.field))) || n.type === 'delete_statement' || (assigned && c.field !== 'subscript' && c.field !== 'index'));
    };
    walk(body, false);
    // 'index-zip': an index loop over xs that also reads ys[i] (ys read no other way) walks zip(xs, ys)
    if (!ok && shape === 'elem' && !allowIndex && this.v2 && this.on('index-zip')) {
      const others = this.indexedOther(body, i, names[0]);
      return others ? this.elementIndexLoop(i, { shape: 'zip', seqs: [seqs[0], ...others] }, body, loop, skip) : undefined;
    }
    if (!ok || reads.length === 0 || !this.loopLocal(loop, i)) return undefined;
    // from one, a pair reads xs[i - 1] (else the loop walks xs[1:])
    if (b.fromOne && shape === 'pairs' && !reads.some((r) => { const k = this.subscriptParts(r)?.[1]; return !!k && !this.t.ident.has(k.type); })) return undefined;
    if (indexed) return { shape, seqs, reads, indexed };
    return { shape, seqs, reads, binding: shape === 'elem' ? this.elementBinding(body, reads) : undefined, fromOne: b.fromOne };
  }

  /** 'index-zip': the one sequence other than xs that `body` reads as `ys[i]` (a name, not a parameter of a nested function), else undefined. */
  indexedOther(body: PNode, i: string, xs: string): PNode[] | undefined {
    // v2 'many-zip': two or more other sequences (`xs[i] + ys[i] * zs[i]`) walk zip(xs, ys, zs)
    const found = new Map<string, PNode>();
    const stack = [body];
    while (stack.length) {
      const n = stack.pop()!;
      if (this.fillTargets.has(n)) continue;
      const sub = this.subscriptParts(n);
      if (sub && this.t.ident.has(sub[0].type) && this.t.ident.has(sub[1].type) && this.text(sub[1]) === i && this.text(sub[0]) !== xs) {
        const seen = found.get(this.text(sub[0]));
        if (!seen || sub[0].start < seen.start) found.set(this.text(sub[0]), sub[0]);
        continue;
      }
      for (const c of n.children) if (c.named) stack.push(c);
    }
    if (found.size === 0 || found.has(i) || (found.size > 1 && !this.on('many-zip'))) return undefined;
    // in the order they are first read (each name's earliest read, by position)
    return [...found.values()].sort((a, b) => a.start - b.start);
  }

  /** Go: the body's first statement `if i >= len(ys) { break }` (or `len(ys) <= i`): the statement and ys. */
  private zipGuard(body: PNode, i: string): { stmt: PNode; seq: PNode } | undefined {
    const first = this.innerStmts(body)[0];
    if (!first || this.role(first) !== 'if') return undefined;
    const m = /^if\s+\(?\s*(?:([A-Za-z_]\w*)\s*>=\s*len\(\s*([A-Za-z_]\w*)\s*\)|len\(\s*([A-Za-z_]\w*)\s*\)\s*<=\s*([A-Za-z_]\w*))\s*\)?\s*\{\s*break\s*;?\s*\}$/.exec(this.text(first).trim());
    const idx = m && (m[1] ?? m[4]);
    const ys = m && (m[2] ?? m[3]);
    const seq = idx === i && ys ? this.identIn(first, ys) : undefined;
    return seq ? { stmt: first, seq } : undefined;
  }

  /** The body's first statement when it declares one name from an element read (`x := xs[i]`, `const x = xs[i]`, `x = xs[i]`). */
  private elementBinding(body: PNode, reads: PNode[]): ElementLoop['binding'] {
    let stmts = this.role(body) === 'block' ? this.stmtsOf(body) : [body];
    while (stmts.length >= 1 && this.role(stmts[0]) === 'block' && stmts[0].type !== 'ERROR') stmts = this.stmtsOf(stmts[0]);
    let d = stmts[0];
    if (!d) return undefined;
    if (d.type === 'expression_statement' && namedCount(d) === 1) d = d.children.find((c) => c.named)!;
    const decls = d.type === 'lexical_declaration' ? d.children.filter((c) => c.named) : [d];
    if (decls.length !== 1) return undefined;
    const one = (x: PNode | undefined): PNode | undefined => (x?.type === 'expression_list' ? (namedCount(x) === 1 ? x.children.find((c) => c.named) : undefined) : x);
    const decl = decls[0];
    const ok = decl.type === 'variable_declarator' || decl.type === 'short_var_declaration' || (decl.type === 'assignment' && this.t === TABLES.python);
    const name = ok ? one(field(decl, 'name') ?? field(decl, 'left')) : undefined;
    const value = ok ? one(field(decl, 'value') ?? field(decl, 'right')) : undefined;
    if (!name || !value || !this.t.ident.has(name.type) || !reads.includes(value)) return undefined;
    return { stmt: stmts[0], name: this.text(name) };
  }

  /**
   * v2 'index-loop': the head of loop `n` (`for target in iter`) in its element form, its
   * features into `acc` and its canonical text fixed; false when the loop is not one of
   * the forms (then the caller reads the head as written).
   */
  private elementLoopHead(n: PNode, target: PNode, iter: PNode, body: PNode | undefined, acc: Acc): boolean {
    if (!this.v2 || !this.on('index-loop')) return false;
    const el = (body ? this.indexLoop(target, iter, body, n) : undefined) ?? this.zipLoop(target, iter);
    if (el) {
      this.elementLoop(n, el, this.text(target), acc);
      this.targets(target, acc, false);
      return true;
    }
    const en = this.unusedEnumerate(target, iter);
    if (!en) return false;
    this.canonOverride.set(n, 'loop:' + this.canon(en.seq));
    this.expr(en.seq, acc);
    this.targets(en.elem, acc, false);
    return true;
  }

  /** 'index-zip': a comprehension's only clause `for i in range(...)` as indexLoop reads a loop statement (its element the body); true when it is one. */
  private compIndexLoop(n: PNode, target: PNode, iter: PNode, body: PNode, comp: PNode, acc: Acc): boolean {
    const el = this.indexLoop(target, iter, body, comp);
    if (!el) return false;
    this.elementLoop(n, el, this.text(target), acc);
    this.targets(target, acc, false);
    return true;
  }

  /** Label loop `n` as element loop `el` (its element reads stand for `elem`); the head's features into `acc`. */
  private elementLoop(n: PNode, el: ElementLoop, elem: string, acc: Acc): void {
    for (const r of el.reads) this.elementReads.set(r, elem);
    // 'temporaries': a sequence assigned once and read only by this loop (`parts :=
    // strings.Split(s, " ")` then `for i := 0; i < len(parts); i++ { w := parts[i] ...`)
    // is read once in the element form: it folds into the loop head
    for (const x of el.seqs) {
      const name = this.text(x);
      const p = this.fn.pending?.get(name);
      if (p && this.t.ident.has(x.type) && !this.fn.temps.has(name) && this.fn.counts.get(name) === 1 + this.countIn(n, name)) {
        this.fn.temps.set(name, p.canon);
        this.temps.set(p.id, name);
      }
    }
    if (el.binding) {
      // `x := xs[i]` is the loop's own element: the loop defines x, the statement goes
      this.skipped.add(el.binding.stmt);
      acc.defs.push(el.binding.name);
    }
    const seqs = el.seqs.map((x) => this.canon(x)).join(',');
    let head = el.shape === 'elem' ? seqs : el.shape + '(' + seqs + ')';
    // 'pairs-from-one': an element loop from index 1 walks `xs[1:]`
    if (el.shape === 'elem' && el.fromOne) {
      head = 'slice(' + seqs + ',1)';
      bump(acc.bag, 'slice');
      bump(acc.bag, 'lit:1');
    }
    // `for i, x in enumerate(xs)`, `for x in reversed(xs)`, `for i, x in reversed(list(enumerate(xs)))`
    if (el.indexed) head = 'enumerate(' + head + ')';
    if (el.reverse) head = 'reverse(' + head + ')';
    this.canonOverride.set(n, 'loop:' + head);
    if (el.shape !== 'elem') bump(acc.bag, 'n:zip');
    if (el.indexed) bump(acc.bag, 'n:enumerate');
    if (el.reverse) bump(acc.bag, 'n:reverse');
    for (const x of el.seqs) this.expr(x, acc);
  }

  /** `for a, b in zip(xs, xs[1:])` (pairs) and `for a, b in zip(xs, ys)` (zip), the forms indexLoop maps to. */
  private zipLoop(target: PNode, iter: PNode): ElementLoop | undefined {
    const t = this.t;
    if (t !== TABLES.python || iter.type !== 'call') return undefined;
    const f = field(iter, 'function');
    const a = field(iter, 'arguments');
    if (!f || !t.ident.has(f.type) || this.text(f) !== 'zip' || !this.isFree('zip') || !a || a.type !== 'argument_list') return undefined;
    const args = a.children.filter((x) => x.named);
    const names = target.children.filter((x) => x.named);
    if (args.length !== 2 || (target.type !== 'pattern_list' && target.type !== 'tuple_pattern') || names.length !== 2 || !names.every((x) => t.ident.has(x.type)) || !t.ident.has(args[0].type)) return undefined;
    if (t.ident.has(args[1].type)) return this.text(args[0]) === this.text(args[1]) ? undefined : { shape: 'zip', seqs: args, reads: [] };
    const v = field(args[1], 'value');
    const sl = field(args[1], 'subscript');
    if (args[1].type === 'subscript' && v && sl && this.text(v) === this.text(args[0]) && sl.type === 'slice' && this.text(sl).replace(/\s+/g, '') === '1:') return { shape: 'pairs', seqs: [args[0]], reads: [] };
    return undefined;
  }

  /** v2 'index-loop': `for i, x in enumerate(xs)` with `i` never read is `for x in xs`: returns xs and x. */
  private unusedEnumerate(target: PNode, iter: PNode): { seq: PNode; elem: PNode } | undefined {
    const t = this.t;
    if (t !== TABLES.python || iter.type !== 'call') return undefined;
    const f = field(iter, 'function');
    const args = field(iter, 'arguments');
    if (!f || this.text(f) !== 'enumerate' || !this.isFree('enumerate') || !args) return undefined;
    const a = args.children.filter((x) => x.named);
    const names = target.children.filter((x) => x.named);
    if (a.length !== 1 || (target.type !== 'pattern_list' && target.type !== 'tuple_pattern') || names.length !== 2 || !names.every((x) => t.ident.has(x.type))) return undefined;
    if (this.fn.counts.get(this.text(names[0])) !== 1) return undefined;
    return { seq: a[0], elem: names[1] };
  }

  /**
   * v2 'accumulator': `return next((e for x in xs if p(x)), d)` is the search loop
   * `for x in xs: if p(x): return e` followed by `return d`.
   */
  private nextReturn(n: PNode, call: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.v2 || !this.on('accumulator')) return undefined;
    const args = field(call, 'arguments');
    const named = args && args.type === 'argument_list' ? args.children.filter((c) => c.named) : [];
    let comp = named[0];
    while (comp && comp.type === 'parenthesized_expression' && namedCount(comp) === 1) comp = comp.children.find((c) => c.named)!;
    const body = comp && comp.type === 'generator_expression' ? field(comp, 'body') : undefined;
    if (named.length !== 2 || !body) return undefined;
    return this.searchNext(n, this.compSpec(comp), body, named[1], ctrl, st);
  }

  /**
   * v2 'reverse-loop': `return max((i for i, x in enumerate(xs) if p(x)), default=d)`,
   * the last index whose element passes, is the search from the end `for i, x in
   * reversed(list(enumerate(xs))): if p(x): return i` + `return d`; `min(...)` is the
   * search from the start, as `next((i for ...), d)` (indices rise along enumerate, so
   * the first one found is the extreme). Only the index itself as the element, one `for`.
   */
  private extremeIndexReturn(n: PNode, call: PNode, which: 'max' | 'min', ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.v2 || !this.on('reverse-loop') || !this.on('accumulator')) return undefined;
    const args = field(call, 'arguments');
    const named = args && args.type === 'argument_list' ? args.children.filter((c) => c.named) : [];
    const comp = named[0] && this.unparen(named[0]);
    const kw = named[1];
    const dflt = kw?.type === 'keyword_argument' && this.text(field(kw, 'name') ?? kw) === 'default' ? field(kw, 'value') : undefined;
    const body = comp?.type === 'generator_expression' ? field(comp, 'body') : undefined;
    if (named.length !== 2 || !body || !dflt) return undefined;
    const spec = this.compSpec(comp);
    const fors = spec.clauses.filter((c) => c.kind === 'for');
    const f = fors[0];
    if (fors.length !== 1 || spec.clauses[0] !== f || f.kind !== 'for' || !f.left || !f.right) return undefined;
    const targets = f.left.children.filter((c) => c.named);
    const seq = this.callArgs(f.right, 'enumerate');
    if ((f.left.type !== 'pattern_list' && f.left.type !== 'tuple_pattern') || targets.length !== 2 || seq.length !== 1 || !this.t.ident.has(body.type) || this.text(body) !== this.text(targets[0])) return undefined;
    const clauses = spec.clauses.map((c) => (c === f ? { ...f, reverse: which === 'max' } : c));
    return this.searchNext(n, { clauses, body }, body, dflt, ctrl, st);
  }

  /** `return next((body ...), dflt)` (spec: the comprehension's clauses) as its search loop. */
  private searchNext(n: PNode, spec: CompSpec, body: PNode, dflt: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    const { parent, state, outer } = this.compClauses(spec, ctrl, copyState(st));
    if (outer < 0) return undefined;
    this.emitReturn(this.synth(n, 'early'), body, parent, state);
    this.emitReturn(n, dflt, outer, st);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /**
   * v2: a comprehension that a call consumes whole, and what the call's loop form
   * builds: `sum(...)` a sum, `len([...])` a count, `''.join(...)` a string, `list`/
   * `sorted`/`min`/`max`/`sep.join` of a generator the list of its elements.
   */
  private consumer(call: PNode): { comp: PNode; role: CompRole } | undefined {
    const comp = this.accumulatorArg(call);
    const callee = comp && field(call, 'function');
    if (!comp || !callee) return this.sumLoop(call);
    const gen = comp.type === 'generator_expression' && this.on('comprehension-loop');
    if (this.t.ident.has(callee.type)) {
      const f = this.text(callee);
      if (!this.isFree(f)) return undefined;
      if (f === 'sum') return { comp, role: 'sum' };
      if (f === 'len' && comp.type === 'list_comprehension') return { comp, role: 'count' };
      return gen && LIST_CONSUMERS.has(f) ? { comp, role: 'list' } : undefined;
    }
    const a = this.t.attr[callee.type];
    const nm = a && field(callee, a.name);
    if (!a || !nm || this.text(nm) !== 'join') return undefined;
    const obj = field(callee, a.object);
    const cls = obj && this.t.literal[obj.type];
    if (obj && cls && this.literalLabel(obj, cls) === 's:') return { comp, role: 'concat' };
    return gen ? { comp, role: 'list' } : undefined;
  }

  /** v2 'spread-max': js `Math.max(...xs)` / `Math.min(...xs)` is python's `max(xs)`: xs, else undefined. */
  private spreadExtreme(call: PNode): PNode | undefined {
    if (!this.v2 || this.t !== TABLES.javascript || !this.on('spread-max')) return undefined;
    const args = [...this.callArgs(call, 'max'), ...this.callArgs(call, 'min')];
    const inner = args.length === 1 && args[0].type === 'spread_element' ? args[0].children.filter((c) => c.named) : [];
    return inner.length === 1 ? inner[0] : undefined;
  }

  /**
   * v2 'sum-loop': python's `sum(xs)` of a sequence that is no comprehension is the
   * accumulator loop `t = 0; for x in xs: t += x` (as `sum(x for x in xs)` is): the call
   * itself stands for the comprehension, its spec one loop over xs whose element is a
   * name no code has (''), read as a local.
   */
  private sumLoop(call: PNode): { comp: PNode; role: CompRole } | undefined {
    if (!this.v2 || this.t !== TABLES.python || !this.on('sum-loop') || !this.on('accumulator') || call.type !== 'call') return undefined;
    const callee = field(call, 'function');
    const args = field(call, 'arguments');
    const named = args && args.type === 'argument_list' ? args.children.filter((c) => c.named) : [];
    if (!callee || callee.type !== 'identifier' || this.text(callee) !== 'sum' || !this.isFree('sum') || named.length !== 1 || named[0].type === 'keyword_argument' || named[0].type === 'list_splat') return undefined;
    if (!this.jsSpecs.has(call)) {
      const elem = this.synth(call, 'sum-element');
      elem.type = 'identifier';
      this.jsSpecs.set(call, { clauses: [{ kind: 'for', node: this.synth(call, 'sum-loop'), right: named[0], names: [''] }], body: elem });
    }
    return { comp: call, role: 'sum' };
  }

  /**
   * v2 'map-filter': python's `list(...)` / `tuple(...)` of a generator or of a map/filter
   * is the list the loop builds (JavaScript and Go have no tuples): the argument, read as
   * that list. `cons`: the call's consumer (undefined if none).
   */
  private listCopy(call: PNode, cons: { comp: PNode; role: CompRole } | undefined): PNode | undefined {
    if (!this.v2 || this.t !== TABLES.python || !this.on('map-filter') || call.type !== 'call') return undefined;
    const callee = field(call, 'function');
    const f = callee && this.t.ident.has(callee.type) ? this.text(callee) : '';
    if ((f !== 'list' && f !== 'tuple') || !this.isFree(f)) return undefined;
    if (cons && cons.role === 'list' && cons.comp.type === 'generator_expression') return cons.comp;
    const args = field(call, 'arguments');
    const named = args && args.type === 'argument_list' ? args.children.filter((c) => c.named) : [];
    return named.length === 1 && this.chainRole(named[0]) === 'list' ? named[0] : undefined;
  }

  /**
   * The comprehension argument of `sum(...)`, `any(...)`, `all(...)` called with exactly
   * one comprehension or generator argument (v2 'accumulator'), else undefined.
   */
  private accumulatorArg(call: PNode): PNode | undefined {
    if (!this.v2 || !this.on('accumulator')) return undefined;
    const args = field(call, 'arguments');
    if (!args) return undefined;
    if (args.type === 'generator_expression') return args;
    const named = args.children.filter((c) => c.named);
    return named.length === 1 && (named[0].type === 'generator_expression' || named[0].type === 'list_comprehension') ? named[0] : undefined;
  }

  /** How a comprehension is expanded: into the loop that builds a list/set/sum, or (v1, others) a bare loop. */
  private compRole(c: PNode, acc: Acc): CompRole {
    const r = acc.compRoles?.get(c);
    if (r) return r;
    if (this.v2 && this.on('comprehension-loop')) {
      if (c.type === 'list_comprehension') return 'list';
      if (c.type === 'set_comprehension') return 'set';
    }
    return 'gen';
  }

  private closure(lam: PNode, parent: number, st: State, iter?: string): void {
    if (parent < 0) return;
    // a lambda given to map/filter/reduce... runs per element: a loop, like its comprehension
    const plist = field(lam, 'parameters') ?? field(lam, 'parameter');
    const names = !plist ? [] : this.t.ident.has(plist.type) ? [this.text(plist)] : this.paramNames(plist);
    // v2: the head is its parameter count in every language (`lambda x, y:`, `(x, y) =>`, `func(x, y int)`)
    if (this.v2) this.canonOverride.set(lam, (iter ? 'loop' : 'closure') + ':params' + names.length);
    const c = this.node(lam, iter ? 'loop' : 'closure', new Map(), parent);
    if (c < 0) return;
    const savedLoops = this.fn.loops;
    const savedR = this.returns;
    const savedJ = this.jumps;
    const savedImplicit = this.fn.implicit;
    this.fn.loops = [];
    this.fn.implicit = new Set();
    const inner = copyState(st) ?? new Map();
    if (plist) {
      for (const p of names) {
        inner.set(p, new Set([c]));
        this.fn.locals.add(p);
      }
    }
    const body = field(lam, 'body') ?? lam.children.find((ch) => ch.named && this.role(ch) === 'block');
    if (body) {
      if (this.t.implicitReturn) this.markImplicit(body);
      if (this.role(body) === 'block') {
        const stmts = this.stmtsOf(body);
        // a one-expression block body of an iteration function is its element expression
        if (iter && this.t.implicitReturn && stmts.length === 1 && this.fn.implicit.has(stmts[0])) this.elementNode(stmts[0], iter, c, inner);
        else this.block(stmts, c, inner);
      } else if (iter) this.elementNode(body, iter, c, inner);
      else this.exprBodyReturn(body, c, inner);
    }
    this.fn.loops = savedLoops;
    this.fn.implicit = savedImplicit;
    this.returns = savedR;
    this.jumps = savedJ;
  }

  // ---------------------------------------------------------------- statements

  /** The statements directly inside a block-like node. */
  stmtsOf(n: PNode): PNode[] {
    return n.children.filter((c) => c.named && !(c.field && c.field !== 'body' && c.field !== 'member' && c.field !== 'declaration'));
  }

  /**
   * Walk a statement list under controller `ctrl`. Once a statement may leave the block
   * early, what follows depends on the predicate guarding that exit.
   */
  block(stmts: PNode[], ctrl: number, st: State): State {
    // Ruby bodies may carry rescue/else/ensure clauses: that is a try.
    if (stmts.some((s) => s.type === 'rescue' || s.type === 'ensure')) return this.tryLike(stmts, ctrl, st);
    if (this.v2 && this.on('flag-break')) this.flagBreaks(stmts);
    if (this.v2 && this.on('search-break')) this.searchBreaks(stmts);
    if (this.v2 && this.on('step-slice') && this.t === TABLES.go) this.stepLoops(stmts);
    if (this.v2 && this.on('fill-loop') && this.t === TABLES.go) this.fillLoopsOf(stmts);
    if (this.v2 && this.on('clamp')) this.clamps(stmts);
    if (this.v2 && this.on('abs-if')) this.absIfs(stmts);
    if (this.v2 && this.on('best-so-far')) this.bestSoFars(stmts);
    if (this.v2 && this.on('reverse-loop')) this.lastMatches(stmts);
    if (this.v2 && this.on('insertion-sort')) this.insertionSorts(stmts);
    if (this.v2 && this.on('bool-return')) this.boolReturns(stmts);
    if (this.v2 && this.on('min-max')) this.minMaxReturns(stmts);
    if (this.v2 && this.on('extreme-chain')) this.extremeChains(stmts);
    if (this.v2 && this.on('counting-while') && this.t !== TABLES.ruby) this.countingWhiles(stmts);
    let cur = ctrl;
    for (const s of stmts) {
      const r0 = this.returns;
      const j0 = this.jumps;
      const res = this.stmt(s, cur, st ?? new Map());
      const reachable = st !== null;
      st = reachable ? res.st : st;
      if (res.guard >= 0 && (this.returns !== r0 || this.jumps !== j0)) cur = res.guard;
      if (this.kinds.length >= MAX_NODES && this.capped) break;
    }
    return st;
  }

  private stmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    this.visits++;
    const r = this.role(n);
    const none = { st, guard: -1 };
    if (this.skipped.has(n)) return none;
    if (this.inlinedBindings.size && this.inlinedBindings.has(n)) return none;
    if (this.deadStores.size && this.deadStores.has(n.start + ':' + n.end)) return none;
    const step = this.stepLoopOf.get(n);
    if (step) {
      // `out = xs[::k]`, built by go's stepping loop (stepLoops)
      const acc = newAcc();
      bump(acc.bag, 'slice');
      this.expr(step.seq, acc);
      this.expr(step.step, acc);
      acc.defs.push(step.name);
      const value = 'slice(' + this.canon(step.seq) + ',,,' + this.canon(step.step) + ')';
      this.canonOverride.set(n, '=(,' + value + ')');
      const r = this.emit(n, 'assign', acc, ctrl, st);
      if (r.id >= 0 && this.on('temporaries') && !this.fn.temps.has(step.name)) {
        if (this.fn.counts.get(step.name) === 2) {
          this.fn.temps.set(step.name, value);
          this.temps.set(r.id, step.name);
        } else (this.fn.pending ??= new Map()).set(step.name, { id: r.id, canon: value });
      }
      return { st: r.st, guard: -1 };
    }
    const sort = this.sortLoopOf.get(n);
    if (sort) return { st: this.sortedAssign(n, sort, ctrl, st), guard: -1 };
    const value = this.matchReturns.get(n);
    if (value) {
      // 'reverse-loop': the last match kept by assignment is the first match from the end, returned
      this.emitReturn(n, value, ctrl, st);
      this.returns++;
      return { st: null, guard: -1 };
    }
    const fill = this.fillOf.get(n);
    // 'fill-loop': `out[i] = e` is `out.append(e)`
    if (fill) return { st: this.emitAppend(n, fill.out, fill.value, ctrl, st), guard: -1 };
    const foldInit = this.foldInits.get(n);
    if (foldInit) return foldInit.skip ? none : { st: this.foldInitAssign(n, foldInit, ctrl, st), guard: -1 };
    const foldUpdate = this.foldUpdates.get(n);
    // 'best-so-far': `if e > m: m = e` is `out.append(e)`
    if (foldUpdate) return { st: this.emitAppend(n, foldUpdate.name, foldUpdate.value, ctrl, st), guard: -1 };
    const ex = this.extremeOf.get(n);
    if (ex) return this.extremeChain(n, ex, ctrl, st);
    const boolRet = this.boolReturnOf.get(n);
    if (boolRet) return this.boolReturn(n, boolRet.cond, boolRet.negate, ctrl, st);
    const flag = this.flagReturns.get(n);
    if (flag !== undefined) {
      const acc = newAcc();
      bump(acc.bag, 'lit:' + flag);
      this.canonOverride.set(n, 'return:' + flag);
      this.emit(n, 'return', acc, ctrl, st);
      this.returns++;
      return { st: null, guard: -1 };
    }
    switch (r) {
      case 'skip':
        return none;
      case 'block':
        return { st: this.block(this.stmtsOf(n), ctrl, st), guard: -1 };
      case 'label': {
        const inner = n.children.filter((c) => c.named && c.type !== 'statement_identifier' && c.type !== 'label_name');
        return { st: this.block(inner, ctrl, st), guard: -1 };
      }
      case 'function': {
        const name = this.functionName(n);
        // 'min-max': a helper that is a builtin (minInt, maxInt, abs) is read at its calls;
        // 'inline-helper': a helper called once is read at its call
        if (this.helperBuiltins.has(name) || this.inlined.has(name)) return none;
        this.func(n, name);
        return none;
      }
      case 'decorated': {
        const d = field(n, 'definition');
        return d ? this.stmt(d, ctrl, st) : none;
      }
      case 'class': {
        const body = field(n, 'body');
        if (body) this.block(this.stmtsOf(body), ctrl, st);
        return none;
      }
      case 'lambda': {
        const acc = newAcc();
        acc.lambdas.push(n);
        return { st: this.emit(n, 'expr', acc, ctrl, st).st, guard: -1 };
      }
      case 'if': {
        const clamp = this.v2 && this.on('clamp') ? this.selfClamp(n) : undefined;
        if (clamp) return { st: this.selfCallAssign(n, clamp.which, clamp.target, [clamp.value], ctrl, st), guard: -1 };
        const absTarget = this.absIfOf.get(n);
        if (absTarget) return { st: this.selfCallAssign(n, 'abs', absTarget, [], ctrl, st), guard: -1 };
        return this.ifStmt(n, ctrl, st);
      }
      case 'ifmod':
        return this.ifMod(n, ctrl, st);
      case 'while': {
        const counting = this.countingOf.get(n);
        if (counting) return this.countingWhile(n, counting, ctrl, st);
        return this.whileStmt(n, ctrl, st);
      }
      case 'dowhile':
        return this.whileStmt(n, ctrl, st);
      case 'for':
        return this.forStmt(n, ctrl, st);
      case 'cfor':
        return this.cfor(n, ctrl, st);
      case 'switch':
        return this.switchStmt(n, ctrl, st);
      case 'try':
        return { st: this.tryLike(n.children.filter((c) => c.named), ctrl, st), guard: -1 };
      case 'with':
        return this.withStmt(n, ctrl, st);
      case 'return':
      case 'throw': {
        const special = r === 'return' ? this.ternaryReturn(n, ctrl, st) ?? this.anyAllReturn(n, ctrl, st) : undefined;
        if (special) return special;
        const acc = newAcc();
        for (const c of n.children) if (c.named) this.expr(c, acc);
        this.emit(n, r === 'return' ? 'return' : 'throw', acc, ctrl, st);
        this.returns++;
        return { st: null, guard: -1 };
      }
      case 'break':
      case 'continue': {
        const acc = newAcc();
        this.emit(n, r, acc, ctrl, st);
        const loops = this.fn.loops;
        // `continue` skips enclosing switches; `break` stops at the nearest loop or switch.
        for (let i = loops.length - 1; i >= 0; i--) {
          if (r === 'continue' && loops[i].isSwitch) continue;
          (r === 'break' ? loops[i].breaks : loops[i].conts).push(copyState(st));
          break;
        }
        this.jumps++;
        return { st: null, guard: -1 };
      }
      case 'assert': {
        const acc = newAcc();
        for (const c of n.children) if (c.named) this.expr(c, acc);
        return { st: this.emit(n, 'assert', acc, ctrl, st).st, guard: -1 };
      }
      case 'vardecl':
        return { st: this.vardecl(n, ctrl, st), guard: -1 };
      default:
        return this.exprStmt(n, ctrl, st);
    }
  }

  /**
   * v2 'flag-break': a search loop written with a flag is the search loop that returns:
   *   `ok = B; for ...: ... if c: ok = not B; break ...; return ok`
   *   = `for ...: ... if c: return not B ...; return B`
   * (B a boolean literal; the flag is a local named nowhere else: its three occurrences
   * are these; the `if` has no else and holds exactly the two statements; the return
   * follows the loop). Marks the statements: the initialisation and the break are
   * skipped, the assignment in the loop and the final return become returns of literals.
   */
  /**
   * stmts[j] a loop and stmts[j + 1] `return r`, r a local (not a parameter) named exactly
   * three times in the function (its initialisation, one assignment, this return): r, else
   * null. The shape flag-break and search-break both start from.
   */
  private loopThenReturnOfLocal(stmts: PNode[], j: number): string | null {
    const lr = this.role(stmts[j]);
    if (lr !== 'for' && lr !== 'cfor' && lr !== 'while') return null;
    const name = /^return\s+([A-Za-z_]\w*)\s*;?$/.exec(this.text(stmts[j + 1]).trim())?.[1];
    if (!name || this.role(stmts[j + 1]) !== 'return' || this.fn.counts.get(name) !== 3 || !this.fn.locals.has(name) || this.fn.params.has(name)) return null;
    return name;
  }

  private flagBreaks(stmts: PNode[]): void {
    for (let j = 0; j + 1 < stmts.length; j++) {
      const loop = stmts[j];
      const name = this.loopThenReturnOfLocal(stmts, j);
      if (!name) continue;
      const init = stmts.slice(0, j).find((s) => this.boolAssign(s)?.name === name);
      const body = field(loop, 'body');
      if (!init || !body) continue;
      const b = this.boolAssign(init)!.value;
      for (const s of this.innerStmts(body)) {
        if (this.role(s) !== 'if' || fields(s, 'alternative').length) continue;
        const cons = field(s, 'consequence');
        const list = cons ? this.innerStmts(cons) : [];
        const set = list.length === 2 ? this.boolAssign(list[0]) : undefined;
        if (set?.name !== name || set.value === b || this.role(list[1]) !== 'break' || !/^break\s*;?$/.test(this.text(list[1]).trim())) continue;
        this.skipped.add(init);
        this.skipped.add(list[1]);
        this.flagReturns.set(list[0], String(!b));
        this.flagReturns.set(stmts[j + 1], String(b));
        break;
      }
    }
  }

  /**
   * v2 'fill-loop': go's preallocated fill is the append loop python writes:
   *   `out := make([]T, len(xs))` + `for i(, x) := range xs { ... out[i] = e }`
   *   = `out = []` + `for x in xs: ... out.append(e)`
   * (the loop right after the make, over the same xs; `out[i] = e` its last statement, out
   * named nowhere else in the loop, i only in `out[i]` besides element reads `xs[i]`, which
   * index-loop reads as the element; e does not read out). The make is the empty list.
   */
  private fillLoopsOf(stmts: PNode[]): void {
    for (let j = 0; j + 1 < stmts.length; j++) {
      const decl = stmts[j];
      const loop = stmts[j + 1];
      const a = this.plainAssign(decl);
      const mk = a && a.value.type === 'call_expression' ? this.callArgs(a.value, 'make') : [];
      const xs = mk.length === 2 && mk[0].type === 'slice_type' ? this.lenOf(mk[1]) : undefined;
      const range = loop.type === 'for_statement' ? loop.children.find((c) => c.type === 'range_clause') : undefined;
      const iter = range && field(range, 'right');
      const left = range && field(range, 'left');
      const names = left?.type === 'expression_list' ? left.children.filter((c) => c.named) : [];
      const body = field(loop, 'body');
      if (!a || !xs || !iter || !body || this.text(iter) !== this.text(xs) || names.length < 1 || names.length > 2 || !this.t.ident.has(names[0].type)) continue;
      const i = this.text(names[0]);
      const inner = this.innerStmts(body);
      const last = inner[inner.length - 1];
      const set = last && last.type === 'assignment_statement' && !last.children.some((c) => !c.named && c.type !== '=') ? last : undefined;
      const lhs = set && field(set, 'left')?.children.filter((c) => c.named);
      const rhs = set && field(set, 'right')?.children.filter((c) => c.named);
      const target = lhs?.length === 1 ? lhs[0] : undefined;
      const sub = target && this.subscriptParts(target);
      if (!sub || !rhs || rhs.length !== 1 || this.text(sub[0]) !== a.name || this.text(sub[1]).trim() !== i) continue;
      if (this.countIn(body, a.name) !== 1 || this.countIn(rhs[0], a.name) !== 0) continue;
      // a two-name range: the index is read only in out[i]
      if (names.length === 2 && this.countIn(body, i) !== 1) continue;
      this.fillMakes.add(a.value);
      this.fillTargets.add(target!);
      this.fillOf.set(last, { out: a.name, value: rhs[0] });
      if (names.length === 2) this.fillLoops.set(loop, target!);
    }
  }

  /**
   * v2 'extreme-chain': an if/elif/else chain that picks the least of k >= 2 candidates
   * x1..xk (each arm one statement, all `return xj` or all `v = xj` for one local v; the
   * last arm the else; two returns are min-max's) is `return min(x1, ..., xk)` / `v = min(x1, ..., xk)`, when arm j's
   * condition is an `and` of comparisons of xj with other candidates:
   *   arm j tests `xj <= xm` (or `xj < xm`) for every later m > j   (required)
   *           and may test `xj <= xm` for earlier m < j            (non-strict only)
   * Sound for a total order (ints, strings; no NaN): if arm j fails, some later xm is
   * below xj, so the least of xj..xk is among the later ones; by induction the least of
   * all is among xj..xk when arm j is reached, and xj is it when its test holds. A test
   * against an earlier xm is then true whenever the later ones are, unless it is strict
   * (a tie with an earlier candidate would skip the least: `a < b and a < c`, then
   * `b < a and b < c` picks c for a = b < c). Greatest likewise with `>=`. Candidates:
   * distinct texts without calls, not naming v. Marks the if (extremeOf); v counts k - 1
   * occurrences fewer (the chain is one assignment), so it may fold as a temporary.
   */
  private extremeChains(stmts: PNode[]): void {
    for (const s of stmts) {
      // a chain has an else (most ifs have none: nothing is built for them)
      if (this.role(s) !== 'if' || s.type === 'unless' || this.looked.has(s) || !fields(s, 'alternative').length) continue;
      this.looked.add(s);
      if (field(s, 'initializer')) continue;
      const arms = this.ifArms(s);
      if (!arms || arms.length < 2 || arms[arms.length - 1].cond || this.extremeOf.has(s)) continue;
      const one = arms.map((a) => (a.stmts.length === 1 ? a.stmts[0] : undefined));
      if (one.some((x) => !x)) continue;
      const rets = one.every((x) => this.role(x!) === 'return');
      if (rets && arms.length < 3) continue; // two returns: min-max's
      const sets = rets ? undefined : one.map((x) => this.plainAssign(x!));
      const cands = rets ? one.map((x) => this.returnedExpr(x!)) : sets!.map((a) => a?.value);
      if (cands.some((c) => !c)) continue;
      const name = sets ? sets[0]?.name : undefined;
      if (sets && (!name || sets.some((a) => a!.name !== name) || !this.fn.locals.has(name) || this.fn.params.has(name))) continue;
      const texts = cands.map((c) => this.text(this.unparen(c!)).replace(/\s+/g, ''));
      if (new Set(texts).size !== texts.length || texts.some((t) => /\(/.test(t) || (name !== undefined && t === name))) continue;
      const which = this.extremeTests(arms.map((a) => a.cond), texts);
      if (!which) continue;
      this.extremeOf.set(s, { which, target: sets ? (field(sets[0]!.expr, 'left') ?? field(sets[0]!.expr, 'name')) : undefined, cands: cands.map((c) => this.unparen(c!)) });
      if (name) this.fn.counts.set(name, (this.fn.counts.get(name) ?? 0) - (arms.length - 1));
    }
  }

  /** The arms of an if/elif/else chain (python elif, js/go else-if), in order: [condition (none for the else), statements]. */
  private ifArms(s: PNode): { cond?: PNode; stmts: PNode[] }[] | undefined {
    const out: { cond?: PNode; stmts: PNode[] }[] = [];
    let cur: PNode | undefined = s;
    while (cur) {
      const cond = field(cur, 'condition');
      const cons = field(cur, 'consequence');
      if (!cond || !cons) return undefined;
      out.push({ cond, stmts: this.innerStmts(cons) });
      const alts = fields(cur, 'alternative');
      cur = undefined;
      for (let k = 0; k < alts.length; k++) {
        let a = alts[k];
        if (a.type === 'elif_clause') {
          const c = field(a, 'condition');
          const b = field(a, 'consequence');
          if (!c || !b) return undefined;
          out.push({ cond: c, stmts: this.innerStmts(b) });
          continue;
        }
        if (k !== alts.length - 1) return undefined;
        if (a.type === 'else_clause') {
          const body = field(a, 'body');
          const kids = a.children.filter((c) => c.named);
          if (!body && kids.length === 1 && this.role(kids[0]) === 'if') {
            cur = kids[0];
            break;
          }
          a = body ?? (kids.length === 1 ? kids[0] : a);
          out.push({ stmts: body || kids.length === 1 ? this.innerStmts(a) : kids });
        } else if (this.role(a) === 'if') cur = a;
        else out.push({ stmts: this.innerStmts(a) });
      }
    }
    return out;
  }

  /** 'extreme-chain': min or max when arm j's condition tests candidate j against the others as extremeChains requires. */
  private extremeTests(conds: (PNode | undefined)[], texts: string[]): 'min' | 'max' | undefined {
    let which: 'min' | 'max' | undefined;
    const k = texts.length;
    for (let j = 0; j + 1 < k; j++) {
      const links: PNode[] = [];
      const flat = (c: PNode): void => {
        c = this.unparen(c);
        const op = c.children.find((x) => !x.named && OPERATORS[x.type] !== undefined);
        const kids = c.children.filter((x) => x.named);
        if (op && OPERATORS[op.type] === 'and' && kids.length === 2) {
          flat(kids[0]);
          flat(kids[1]);
        } else links.push(c);
      };
      flat(conds[j]!);
      const seen = new Set<number>();
      for (const c of links) {
        const parts = binaryParts(c);
        if (!parts) return undefined;
        const op = parts[0];
        const [l, r] = [parts[1], parts[2]].map((x) => this.text(this.unparen(x)).replace(/\s+/g, ''));
        // `xj <= xm` / `xm >= xj`: xj is the lower side
        let lo: string, hi: string;
        if (op === '<' || op === '<=') [lo, hi] = [l, r];
        else if (op === '>' || op === '>=') [lo, hi] = [r, l];
        else return undefined;
        const strict = op === '<' || op === '>';
        const w: 'min' | 'max' = lo === texts[j] ? 'min' : 'max';
        const other = w === 'min' ? hi : lo;
        if ((w === 'min' ? lo : hi) !== texts[j]) return undefined;
        if (which && w !== which) return undefined;
        which = w;
        const m = texts.indexOf(other);
        if (m < 0 || m === j || (m < j && strict)) return undefined;
        seen.add(m);
      }
      for (let m = j + 1; m < k; m++) if (!seen.has(m)) return undefined;
    }
    return which;
  }

  /**
   * v2 'min-max': `if a < b: return a` + `return b` (or in its else) is `return min(a, b)`
   * (`<=` too: on a tie a and b are equal); returning b first is max; `>` / `>=` the other
   * way round. a and b: the condition's two operands, returned as written. Marks the if
   * (extremeOf: the extreme chain of the two candidates a, b that returns) and skips the
   * following return.
   */
  private minMaxReturns(stmts: PNode[]): void {
    for (let j = 0; j < stmts.length; j++) {
      const s = stmts[j];
      const m = this.minMaxIf(s, stmts[j + 1]);
      if (!m) continue;
      this.extremeOf.set(s, { which: m.which, cands: [m.a, m.b] });
      if (!fields(s, 'alternative').length) this.skipped.add(stmts[j + 1]);
    }
  }

  /** The min/max the if `s` (followed by `next`) returns, if it is one (minMaxReturns). */
  private minMaxIf(s: PNode, next: PNode | undefined): { which: 'min' | 'max'; a: PNode; b: PNode } | undefined {
    if (this.role(s) !== 'if' || s.type === 'unless' || field(s, 'initializer')) return undefined;
    let cond = field(s, 'condition') && this.unparen(field(s, 'condition')!);
    // `not a < b` / `!(a < b)` is `a >= b`
    let negated = false;
    const arg = cond && (cond.type === 'not_operator' || cond.type === 'unary_expression') && OPERATORS[(field(cond, 'operator') ?? cond.children.find((c) => !c.named))?.type ?? ''] === 'not' ? field(cond, 'argument') ?? field(cond, 'operand') : undefined;
    if (arg) {
      cond = this.unparen(arg);
      negated = true;
    }
    const parts = cond && binaryParts(cond);
    if (!parts) return undefined;
    const kids = [parts[1], parts[2]];
    const NEG: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
    const op = negated ? NEG[parts[0]] : parts[0];
    if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return undefined;
    const returned = (x: PNode | undefined): string | undefined => {
      const list = x ? this.innerStmts(x) : [];
      const r = list.length === 1 && this.role(list[0]) === 'return' ? this.returnedExpr(list[0]) : undefined;
      return r ? this.text(r).replace(/\s+/g, '') : undefined;
    };
    const cons = field(s, 'consequence');
    const alts = fields(s, 'alternative');
    let other: string | undefined;
    if (alts.length === 0) other = next && this.role(next) === 'return' && this.returnedExpr(next) ? this.text(this.returnedExpr(next)!).replace(/\s+/g, '') : undefined;
    else if (alts.length === 1 && (alts[0].type === 'else_clause' || this.role(alts[0]) === 'block')) other = returned(field(alts[0], 'body') ?? (alts[0].type === 'else_clause' ? alts[0].children.find((c) => c.named) : alts[0]));
    const first = returned(cons);
    const [a, b] = kids.map((k) => this.text(this.unparen(k)).replace(/\s+/g, ''));
    if (!first || !other || a === b || /\(/.test(a + b)) return undefined;
    const less = op === '<' || op === '<=';
    if (first === a && other === b) return { which: less ? 'min' : 'max', a: this.unparen(kids[0]), b: this.unparen(kids[1]) };
    if (first === b && other === a) return { which: less ? 'max' : 'min', a: this.unparen(kids[0]), b: this.unparen(kids[1]) };
    return undefined;
  }

  /**
   * v2 'min-max': functions of the snippet that are a builtin of their parameters, by
   * name: two parameters and a min/max body (minMaxIf on the parameters), or one parameter
   * x and `if x < 0: return -x` + `return x` (abs). Go has no integer min/max/abs before
   * 1.21, so hand translations write these helpers; a call to one is the builtin.
   */
  private findHelperBuiltins(root: PNode): void {
    if (this.localFns.size < 2) return;
    // helpers are top-level functions (go, js, python): only the module's statements are looked at
    for (const n of this.stmtsOf(root)) {
      const b = this.role(n) === 'function' ? this.builtinHelper(n) : undefined;
      if (b) this.helperBuiltins.set(this.functionName(n), b);
    }
  }

  /** v2 'min-max': the builtin (min, max, abs) that function `n` is, when it is one and is called in the snippet. */
  private builtinHelper(n: PNode): string | undefined {
    const name = this.functionName(n);
    const plist = field(n, 'parameters');
    const params = plist ? this.paramNames(plist) : [];
    const body = field(n, 'body');
    const stmts = body && this.role(body) === 'block' ? this.innerStmts(body) : [];
    // only a helper: called elsewhere in the snippet (its name followed by `(` beyond its own definition)
    const calls = name ? this.code.split(new RegExp('\\b' + name.replace(/[^\w]/g, '') + '\\s*\\(')).length - 1 : 0;
    if (!name || calls < 2 || !stmts.length || stmts.length > 2) return undefined;
    const mm = params.length === 2 ? this.minMaxIf(stmts[0], stmts[1]) : undefined;
    const ab = mm ? [this.text(mm.a), this.text(mm.b)] : [];
    if (mm && stmts.length === (fields(stmts[0], 'alternative').length ? 1 : 2) && ab.includes(params[0]) && ab.includes(params[1])) return mm.which;
    if (params.length === 1 && stmts.length === 2 && this.absIf(stmts[0], stmts[1], params[0])) return 'abs';
    return undefined;
  }

  /**
   * v2 'inline-helper': helpers (top-level functions, functions defined in the entry
   * function's body) whose body is one `return e`, called exactly
   * once, from the entry function (the last top-level function), and never named
   * otherwise (not recursive, not passed as a value). A call `h(a1, ..., ak)` of
   * `def h(p1, ..., pk): return e` reads as e[p1 := a1, ..., pk := ak]: the arguments
   * flow where the parameters are read, and e's value where the call's is. Another
   * language writes such a body inline (`isVowel(c)` vs `c in 'aeiou'`).
   * One cheap check first: a snippet with a single function has no helper.
   */
  private findInlineHelpers(root: PNode): void {
    if (this.localFns.size < 2) return;
    const top = this.stmtsOf(root).filter((n) => this.role(n) === 'function');
    const entry = this.entryFunction(root)?.fn as PNode; // undefined only when there is no function (then unused)
    // helpers: the other top-level functions and the functions defined in the entry's body
    const entryBody = entry && field(entry, 'body');
    const inEntry = entryBody && this.role(entryBody) === 'block' ? this.innerStmts(entryBody) : [];
    const nested = inEntry.filter((n) => this.role(n) === 'function');
    for (const n of [...top, ...nested]) {
      const name = this.functionName(n);
      if (n === entry || !/^\w+$/.test(name) || this.helperBuiltins.has(name)) continue;
      const pos = this.soleUse(name, n, entry);
      // used as a call: its arguments, counted as inlineCall counts them
      const call = pos === undefined ? undefined : this.callPath(entry, pos).call;
      const args = call && field(call, 'arguments');
      if (!args) continue;
      const plist = field(n, 'parameters');
      const params = plist ? this.paramNames(plist) : [];
      const body = field(n, 'body');
      const stmts = body && this.role(body) === 'block' ? this.innerStmts(body) : [];
      const ret = stmts.length === 1 && this.role(stmts[0]) === 'return' ? this.returnedExpr(stmts[0]) : undefined;
      if (ret && params.length === namedCount(args)) this.inlineIfPlain(name, params, ret);
    }
    // `const f = (c) => e` / `f = lambda c: e` in the entry's body: a named closure, read at its one call
    for (const s of inEntry) {
      const d = s.type === 'expression_statement' || s.type === 'lexical_declaration' ? s.children.filter((c) => c.named) : [s];
      if (d.length !== 1 || !this.isLambdaBinding(d[0])) continue;
      const name = this.text(this.bindingTarget(d[0])!);
      const lam = (field(d[0], 'value') ?? field(d[0], 'right'))!;
      const body = field(lam, 'body');
      const plist = field(lam, 'parameters') ?? field(lam, 'parameter');
      const params = plist ? (plist.type === 'identifier' ? [this.text(plist)] : this.paramNames(plist)) : [];
      // named twice: bound here, then one call after it (a closure passed as a value, or called twice, is not inlined)
      const pos = this.soleUse(name, s, entry);
      const call = pos !== undefined && pos >= s.end ? this.callPath(entry, pos).call : undefined;
      const args = call && field(call, 'arguments');
      if (!body || this.role(body) === 'block' || !args || namedCount(args) !== params.length) continue;
      if (this.inlineIfPlain(name, params, body)) this.inlinedBindings.add(s);
    }
  }

  /**
   * v2 'inline-helper': where helper `name` (defined by `def`) is used, when the snippet's text
   * names it exactly twice: once in its definition (not recursive) and once elsewhere, in
   * the function `entry`; else undefined.
   */
  private soleUse(name: string, def: PNode, entry: PNode): number | undefined {
    const at = [...this.code.matchAll(new RegExp('\\b' + name + '\\b', 'g'))].map((m) => m.index);
    const outside = at.filter((i) => i < def.start || i >= def.end);
    return at.length === 2 && outside.length === 1 && outside[0] >= entry.start && outside[0] < entry.end ? outside[0] : undefined;
  }

  /**
   * v2 'inline-helper': the nodes from `top` down to the name that starts at offset `pos` (the
   * last one), and the call whose callee that name is (a plain call, no receiver), if it is one.
   */
  private callPath(top: PNode, pos: number): { path: PNode[]; call?: PNode } {
    const path: PNode[] = [];
    for (let cur: PNode | undefined = top; cur; cur = cur.children.find((c) => c.start <= pos && pos < c.end)) {
      path.push(cur);
      if (cur.start === pos && this.t.ident.has(cur.type)) break;
    }
    const call = path[path.length - 2];
    const callee = path[path.length - 1];
    return call && this.t.call.has(call.type) && this.t.callee.includes(callee.field) && this.t.ident.has(callee.type) && !field(call, 'receiver') ? { path, call } : { path };
  }

  /** Record helper `name` as inlined unless its returned expression holds a closure or comprehension (walked outside its function, they would lose their scope). */
  private inlineIfPlain(name: string, params: string[], ret: PNode): boolean {
    if (/\blambda\b|=>|\bfunc\b|\bfor\b|\{/.test(this.text(ret))) return false;
    this.inlined.set(name, { params, ret });
    return true;
  }

  /** v2 'inline-helper': the inlined helper call `n` is (its callee a name in `inlined`, as many arguments as parameters), else undefined. */
  private inlineCall(n: PNode): { ret: PNode; subst: Map<string, PNode> } | undefined {
    if (this.inlined.size === 0 || field(n, 'receiver')) return undefined;
    let callee: PNode | undefined;
    for (const f of this.t.callee) {
      callee = field(n, f);
      if (callee) break;
    }
    const h = callee && this.t.ident.has(callee.type) ? this.inlined.get(this.text(callee)) : undefined;
    const args = field(n, 'arguments');
    const list = args ? args.children.filter((c) => c.named) : [];
    if (!h || list.length !== h.params.length) return undefined;
    // python's `h(x, b=k)`: a keyword argument goes to the parameter it names
    const subst = new Map<string, PNode>();
    list.forEach((a, i) => {
      const kw = a.type === 'keyword_argument' ? field(a, 'name') : undefined;
      const v = kw && field(a, 'value');
      if (kw && v) subst.set(this.text(kw), v);
      else subst.set(h.params[i], a);
    });
    return h.params.every((p) => subst.has(p)) ? { ret: h.ret, subst } : undefined;
  }

  /**
   * v2 'inline-helper' for helpers of several statements (loops, ifs, early returns): the
   * snippet's source with one such helper written where the entry function calls it, or
   * undefined. buildGraph parses the new source and builds it instead (a few rounds: one
   * helper each). The helper is named only at its definition and one call in the entry (not
   * recursive, not called twice or from another helper, not passed as a value); it is a
   * top-level function or a function / block-bodied named closure in the entry's body.
   * Shapes, where S is the statement holding the call (a statement of a block):
   *   (a) S is `return h(a1, ..., ak)`: S becomes the helper's statements; their returns are
   *       the caller's returns (S returned h's value, so every path of h ends the caller);
   *       only when h's last statement is a return or S is the entry's last statement (a
   *       path falling off h's end returns None / undefined, inline it would run on);
   *   (b) S is `y = h(...)` (one target; `y op= h(...)`, `const y = h(...)`, `y := h(...)`),
   *       `if h(...):` (not an elif, no go initializer) or the bare call `h(...)`, and h has
   *       one return, its last statement `return e`: S becomes h's other statements, then S
   *       with e in place of the call; also a call inside S's value (`out.append(h(x))`,
   *       `return h(x) * 2`) that runs unconditionally and before which S evaluates no call
   *       and no name that is an argument of h or read freely by h.
   * Parameters: p reads as the argument a where a is a plain name that h does not assign
   * (in (a) also an assigned one, when a is no other argument and h does not read a itself:
   * nothing of the caller runs after); else a statement `p = a` binds it first. h's locals
   * that another part of the snippet names are renamed (fresh names; locals are labelled by
   * role only, so the name does not matter). A helper that is one `return e` is the
   * expression rule's (findInlineHelpers) except in shape (a) with names as arguments,
   * where `return e` is then a statement of the entry (a returned conditional is read by
   * 'ternary-return' as the entry's own would be). Not done (undefined): ruby (implicit returns),
   * generators, `global`/`nonlocal`, go's `defer` and named results, js's `this`/`arguments`,
   * keyword, spread or variadic arguments, star / rest / pattern parameters, a top-level h
   * reading a name the entry binds, a nested js/go h assigning a name it shares with the
   * snippet, python statements not at the start of their line.
   */
  inlinedSource(root: PNode): string | undefined {
    if (!this.v2 || !this.on('inline-helper') || this.t.implicitReturn) return undefined;
    const top = this.stmtsOf(root).filter((n) => this.role(n) === 'function');
    const entry = this.entryFunction(root)?.fn as PNode; // undefined only when there is no function (then unused)
    const entryBody = entry && field(entry, 'body');
    const inEntry = entryBody && this.role(entryBody) === 'block' ? this.innerStmts(entryBody) : [];
    // the one cheap check: a snippet with one function and nothing defined in it has no helper
    if (top.length < 2 && !inEntry.some((s) => this.role(s) === 'function' || s.type === 'lexical_declaration' || s.type === 'variable_declaration')) return undefined;
    const helpers: { def: PNode; fn: PNode; name: string; nested: boolean }[] = top.filter((n) => n !== entry).map((n) => ({ def: n, fn: n, name: this.functionName(n), nested: false }));
    for (const s of inEntry) {
      if (this.role(s) === 'function') helpers.push({ def: s, fn: s, name: this.functionName(s), nested: true });
      else if (s.type === 'lexical_declaration' || s.type === 'variable_declaration') {
        const d = s.children.filter((c) => c.named);
        const target = d.length === 1 && d[0].type === 'variable_declarator' ? field(d[0], 'name') : undefined;
        const fn = target && field(d[0], 'value');
        if (target?.type === 'identifier' && fn && this.role(fn) === 'lambda' && field(fn, 'body')?.type === 'statement_block') helpers.push({ def: s, fn, name: this.text(target), nested: true });
      }
    }
    for (const h of helpers) {
      const out = this.inlineAtCall(root, h.def, h.fn, h.name, h.nested, entry);
      if (out !== undefined) return out;
    }
    return undefined;
  }

  /** inlinedSource for one helper `name` (definition statement `def`, function node `fn`): the new source, or undefined. */
  private inlineAtCall(root: PNode, def: PNode, fn: PNode, name: string, nested: boolean, entry: PNode): string | undefined {
    const python = this.t === TABLES.python;
    if (!/^\w+$/.test(name)) return undefined;
    const pos = this.soleUse(name, def, entry);
    if (pos === undefined || (nested && pos < def.end)) return undefined;
    if (this.on('min-max') && !nested && this.builtinHelper(fn)) return undefined;
    const body = field(fn, 'body');
    const stmts = body && this.role(body) === 'block' ? this.innerStmts(body) : [];
    // a body of one `return e` is the expression rule's (findInlineHelpers), but for `return h(a1, ..., ak)` with
    // names as arguments: there `return e` itself is the statement (so 'ternary-return', 'bool-return'... read it)
    const oneReturn = stmts.length === 1 && this.role(stmts[0]) === 'return';
    if (!body || !stmts.length) return undefined;
    if (/\b(yield|global|nonlocal|defer|arguments|this|goto|await)\b/.test(this.text(body)) || field(fn, 'result')?.type === 'parameter_list') return undefined;
    // the path from the entry down to the callee's name
    const { path, call } = this.callPath(entry, pos);
    if (!call) return undefined;
    const k = path.length - 2;
    const argList = field(call, 'arguments');
    if (!argList || !/argument_list|^arguments$/.test(argList.type)) return undefined;
    const args = argList.children.filter((c) => c.named);
    if (args.some((a) => /keyword|splat|spread|variadic/.test(a.type))) return undefined;
    const plist = field(fn, 'parameters') ?? field(fn, 'parameter');
    if (plist && plist.children.some((c) => /splat|rest|variadic|object_pattern|array_pattern/.test(c.type))) return undefined;
    const params = plist ? (this.t.ident.has(plist.type) ? [this.text(plist)] : this.paramNames(plist)) : [];
    if (params.length !== args.length) return undefined;
    // the statement S holding the call, in a block, and the shape of the call in it
    let i = k - 1;
    while (i > 0 && this.role(path[i]) === undefined) i--;
    const S = path[i];
    if (i < 1 || this.role(path[i - 1]) !== 'block' || path[i - 1].type === 'ERROR') return undefined;
    const wrap = (n: PNode): boolean => n.type === 'parenthesized_expression' || (n.type === 'expression_list' && namedCount(n) === 1);
    let j = k;
    while (j - 1 > i && wrap(path[j - 1])) j--;
    const x = path[j];
    const r = this.role(S);
    let shape: 'a' | 'b' | undefined;
    // (a) sound when no path of h falls off its end (its last statement a return), or when nothing of the caller follows S
    const entryBody = field(entry, 'body');
    const tail = entryBody && this.role(entryBody) === 'block' ? this.innerStmts(entryBody) : [];
    if (r === 'return' && j === i + 1 && (this.role(stmts[stmts.length - 1]) === 'return' || tail[tail.length - 1] === S)) shape = 'a';
    else if (r === 'if' && j === i + 1 && x.field === 'condition' && S.type === 'if_statement' && !field(S, 'initializer')) shape = 'b';
    else if ((r === 'expr' || r === 'vardecl') && j === i + 1 && (x.field === '' || x.field === 'right')) shape = 'b';
    else if ((r === 'expr' || r === 'vardecl') && j === i + 2 && namedCount(S) === 1 && INLINE_ASSIGN.has(path[i + 1].type) && (x.field === 'right' || x.field === 'value')) shape = 'b';
    // (b) also for a call inside the statement's value (`return h(x) + 1`, `out.append(h(x))`, `if h(x) > 0:`):
    // evaluated unconditionally (no lambda, comprehension, conditional or and/or on the way), nothing before it
    // that could see h run first (checked below, once h's names are known)
    let inside = false;
    if (!shape && (r === 'expr' || r === 'vardecl' || r === 'return' || (r === 'if' && S.type === 'if_statement' && !field(S, 'initializer') && path[i + 1].field === 'condition'))) {
      // (not on an assignment's target side: python evaluates the value first)
      inside = path.slice(i + 1, k + 1).every((n, m) => !((n.field === 'left' || n.field === 'name') && (INLINE_ASSIGN.has(path[i + m].type) || /assignment_statement|short_var/.test(path[i + m].type)))) && path.slice(i + 1, k).every((n) => this.role(n) === undefined && !this.t.comprehension.has(n.type) && !this.t.ternary.has(n.type) && n.type !== 'boolean_operator' && !n.children.some((c) => !c.named && (c.type === '&&' || c.type === '||' || c.type === '??')));
      if (inside) shape = 'b';
    }
    if (!shape || (oneReturn && (shape !== 'a' || args.some((a) => a.type !== 'identifier')))) return undefined;
    // h's names: its locals, idents to rename (not attribute names or keywords), its free names
    const bodyLocals = this.scanLocals(body);
    const idents: PNode[] = [];
    const stack = [body];
    while (stack.length) {
      const n = stack.pop()!;
      if (this.t.ident.has(n.type) && n.field !== 'attribute') idents.push(n);
      for (let c = n.children.length - 1; c >= 0; c--) if (n.children[c].named && !(n.type === 'keyword_argument' && n.children[c].field === 'name')) stack.push(n.children[c]);
    }
    const own = new Set([...bodyLocals, ...params]);
    const free = new Set(idents.map((n) => this.text(n)).filter((t) => !own.has(t)));
    // names elsewhere in the snippet (outside h), and the ones the entry binds
    const elsewhere = new Set<string>();
    const walk = [root];
    while (walk.length) {
      const n = walk.pop()!;
      if (n === def) continue;
      if (this.t.ident.has(n.type)) elsewhere.add(this.text(n));
      for (const c of n.children) if (c.named) walk.push(c);
    }
    const entryLocals = nested ? undefined : this.scanLocals(entry);
    if (entryLocals && [...free].some((t) => entryLocals.has(t))) return undefined;
    if (inside) {
      // what S evaluates before the call: no call, and no name that is an argument's or one h reads freely
      // (h's statements now run first; an assignment's plain-name target is written after, it does not count)
      const argNames = new Set(args.flatMap((a) => this.identsOf(a)));
      const target = path[i + 1] && INLINE_ASSIGN.has(path[i + 1].type) ? (field(path[i + 1], 'left') ?? field(path[i + 1], 'name')) : undefined;
      const before: PNode[] = [S];
      while (before.length) {
        const n = before.pop()!;
        if (n.start >= call.start || n === target && this.t.ident.has(n.type)) continue;
        if (n.end <= call.start && (this.t.call.has(n.type) || /await|yield/.test(n.type) || (this.t.ident.has(n.type) && (argNames.has(this.text(n)) || free.has(this.text(n)))))) return undefined;
        for (const c of n.children) if (c.named) before.push(c);
      }
    }
    const returns = this.countReturns(body);
    if (shape === 'b' && (returns !== 1 || this.role(stmts[stmts.length - 1]) !== 'return' || !this.returnedExpr(stmts[stmts.length - 1]))) return undefined;
    // parameters: read as a plain-name argument, or bound by a statement; clashing locals renamed
    const taken = new Set([...elsewhere, ...idents.map((n) => this.text(n))]);
    const fresh = (v: string): string => {
      let n = 1;
      while (taken.has(`${v}_${n}`)) n++;
      taken.add(`${v}_${n}`);
      return `${v}_${n}`;
    };
    const ren = new Map<string, string>();
    const binds: string[] = [];
    params.forEach((p, idx) => {
      const a = args[idx];
      const plain = a.type === 'identifier';
      const at = plain ? this.text(a) : '';
      const once = args.filter((b) => this.text(b) === at).length === 1;
      if (plain && (!bodyLocals.has(p) || (shape === 'a' && once && !free.has(at)))) ren.set(p, at);
      else {
        const q = elsewhere.has(p) ? fresh(p) : p;
        ren.set(p, q);
        binds.push(python ? `${q} = ${this.text(a)}` : this.t === TABLES.go ? `${q} := ${this.text(a)}` : `let ${q} = ${this.text(a)};`);
      }
    });
    for (const v of bodyLocals) {
      if (params.includes(v) || !elsewhere.has(v)) continue;
      // a nested js/go helper may assign the caller's own variable (no declaration): not renamed, not inlined
      if (nested && !python) return undefined;
      ren.set(v, fresh(v));
    }
    if (idents.some((n) => n.type !== 'identifier' && ren.has(this.text(n)) && ren.get(this.text(n)) !== this.text(n))) return undefined;
    const renamed = (from: number, to: number): string => {
      let out = '';
      let p = from;
      for (const n of idents) {
        const to2 = ren.get(this.text(n));
        if (n.start < from || n.end > to || to2 === undefined || to2 === this.text(n)) continue;
        out += this.code.slice(p, n.start) + to2;
        p = n.end;
      }
      return out + this.code.slice(p, to);
    };
    // layout: python re-indents h's lines to S's indentation
    const indentBefore = (n: PNode): string | undefined => {
      const ls = this.code.lastIndexOf('\n', n.start - 1) + 1;
      const pre = this.code.slice(ls, n.start);
      return /^[ \t]*$/.test(pre) ? pre : undefined;
    };
    const ti = indentBefore(S);
    const bi = indentBefore(stmts[0]);
    if (python && (ti === undefined || bi === undefined)) return undefined;
    const reindent = (t: string): string => (python ? t.split('\n').map((l, n) => (n > 0 && l.startsWith(bi!) ? ti + l.slice(bi!.length) : l)).join('\n') : t);
    const last = stmts[stmts.length - 1];
    const parts = [...binds];
    if (shape === 'a') parts.push(reindent(renamed(stmts[0].start, last.end)));
    else {
      if (stmts.length > 1) parts.push(reindent(renamed(stmts[0].start, stmts[stmts.length - 2].end)));
      const e = this.returnedExpr(last)!;
      // inside a larger expression the returned one keeps its own precedence
      const atomic = !inside || this.t.ident.has(e.type) || this.t.call.has(e.type) || this.t.literal[e.type] !== undefined;
      const value = renamed(e.start, e.end);
      parts.push(this.code.slice(S.start, call.start) + (atomic ? value : `(${value})`) + this.code.slice(call.end, S.end));
    }
    const replacement = parts.join('\n' + (ti ?? ''));
    const cut = [def, S].sort((u, v) => v.start - u.start);
    let code = this.code;
    for (const n of cut) code = code.slice(0, n.start) + (n === S ? replacement : '') + code.slice(n.end);
    return code;
  }

  /** Return statements anywhere under `n`. */
  private countReturns(n: PNode): number {
    let c = this.role(n) === 'return' ? 1 : 0;
    for (const ch of n.children) if (ch.named) c += this.countReturns(ch);
    return c;
  }

  /** `f()` with `subst` as the parameter substitution (the arguments of an inlined call are read with none). */
  private withSubst<T>(subst: Map<string, PNode> | undefined, f: () => T): T {
    const saved = this.subst;
    this.subst = subst;
    try {
      return f();
    } finally {
      this.subst = saved;
    }
  }

  /** `if x < 0 { return -x }` + `return x` (or `0 > x`). */
  private absIf(s: PNode, next: PNode, x: string): boolean {
    if (this.role(s) !== 'if' || fields(s, 'alternative').length || this.role(next) !== 'return') return false;
    const cond = this.text(field(s, 'condition') ?? s).replace(/[\s()]/g, '');
    const cons = field(s, 'consequence');
    const list = cons ? this.innerStmts(cons) : [];
    const r = list.length === 1 && this.role(list[0]) === 'return' ? this.returnedExpr(list[0]) : undefined;
    const rest = this.returnedExpr(next);
    return negativeTest(cond, x, false) && !!r && this.text(r).replace(/[\s()]/g, '') === '-' + x && !!rest && this.text(rest).trim() === x;
  }

  /**
   * v2 'bool-return': `if c: return True` followed by `return False` (or in its else) is
   * `return c`; returning False first is `return not c`. Only for a c that is a boolean
   * (a comparison, `in`, a negation, any/all, a character test, and/or of those), so
   * `return c` returns the same value. Marks the if (boolReturnOf) and skips the return.
   */
  private boolReturns(stmts: PNode[]): void {
    const lit = (x: PNode | undefined): boolean | undefined => {
      if (!x || this.role(x) !== 'return') return undefined;
      const m = /^return\s*\(?\s*(true|false|True|False)\s*\)?\s*;?$/.exec(this.text(x).trim());
      return m ? m[1].toLowerCase() === 'true' : undefined;
    };
    for (let j = 0; j < stmts.length; j++) {
      const s = stmts[j];
      if (this.role(s) !== 'if' || s.type === 'unless' || field(s, 'initializer')) continue;
      const cond = field(s, 'condition');
      const cons = field(s, 'consequence');
      const then = cons ? this.innerStmts(cons) : [];
      const b = then.length === 1 ? lit(then[0]) : undefined;
      if (!cond || b === undefined) continue;
      const alts = fields(s, 'alternative');
      let other: PNode | undefined;
      if (alts.length === 0) other = stmts[j + 1];
      else if (alts.length === 1 && (alts[0].type === 'else_clause' || this.role(alts[0]) === 'block')) {
        const body = field(alts[0], 'body') ?? alts[0];
        const inner = alts[0].type === 'else_clause' && !field(alts[0], 'body') ? alts[0].children.filter((c) => c.named) : this.innerStmts(body);
        const flat = inner.length === 1 ? this.innerStmts(inner[0]) : inner;
        if (flat.length === 1) other = flat[0];
      }
      if (lit(other) !== !b || !this.booleanCanon(this.canon(cond))) continue;
      this.boolReturnOf.set(s, { cond, negate: !b });
      if (alts.length === 0) this.skipped.add(other!);
    }
  }

  /** A canonical condition that is a boolean value (what `bool-return` may return as is). */
  private booleanCanon(c: string): boolean {
    const m = /^([a-z=!<]+)\(/.exec(c);
    if (!m) return c === 'true' || c === 'false';
    if (m[1] === 'and' || m[1] === 'or') return splitTop(c.slice(m[1].length + 1, -1)).every((x) => this.booleanCanon(x));
    return ['==', '!=', '<', '<=', 'in', 'notin', 'not', 'any', 'all', 'isdigit', 'islower', 'isupper', 'isalpha', 'isalnum', 'isspace', 'startswith', 'endswith'].includes(m[1]);
  }

  /** 'bool-return': `return c` (`return not c`) for the if `n`; python's any/all are the search loops. */
  private boolReturn(n: PNode, cond: PNode, negate: boolean, ctrl: number, st: State): { st: State; guard: number } {
    const call = this.unparen(cond);
    const callee = this.t === TABLES.python && call.type === 'call' ? field(call, 'function') : undefined;
    const which = callee && this.t.ident.has(callee.type) && this.isFree(this.text(callee)) ? this.text(callee) : '';
    const comp = which === 'any' || which === 'all' ? this.accumulatorArg(call) : undefined;
    const body = comp && field(comp, 'body');
    if (comp && body) {
      // not any(p) = all(not p); not all(p) = any(not p)
      const w = negate ? (which === 'any' ? 'all' : 'any') : (which as 'any' | 'all');
      const r = this.searchAnyAll(n, this.compSpec(comp), w, body, ctrl, st, negate);
      if (r) return r;
    }
    const acc = this.condAcc(cond);
    const c = this.canon(cond);
    this.canonOverride.set(n, 'return:' + (negate ? negateCanon(c, this.off) : c));
    this.emit(n, 'return', acc, ctrl, st);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /**
   * v2 'search-break': a search loop that keeps the match and breaks is the search loop
   * that returns it (flag-break with any values):
   *   `r = d; for ...: ... if c: r = e; break ...` + `return r`
   *   = `for ...: ... if c: return e ...` + `return d`
   * (r a local named nowhere else: its three occurrences are these; e does not read r; the
   * `if` has no else and holds exactly the assignment and a plain break; the return follows
   * the loop). The initialisation and the break are skipped, the assignment and the final
   * return become returns of e and d (matchReturns).
   */
  private searchBreaks(stmts: PNode[]): void {
    for (let j = 0; j + 1 < stmts.length; j++) {
      const loop = stmts[j];
      const name = this.loopThenReturnOfLocal(stmts, j);
      if (!name) continue;
      const init = stmts.slice(0, j).find((s) => this.plainAssign(s)?.name === name);
      const body = field(loop, 'body');
      // a boolean flag is flag-break's (switched separately)
      if (!init || !body || this.skipped.has(init) || this.flagReturns.has(stmts[j + 1]) || this.boolAssign(init)) continue;
      for (const s of this.innerStmts(body)) {
        if (this.role(s) !== 'if' || fields(s, 'alternative').length) continue;
        const cons = field(s, 'consequence');
        const list = cons ? this.innerStmts(cons) : [];
        const set = list.length === 2 ? this.plainAssign(list[0]) : undefined;
        if (set?.name !== name || this.countIn(set.value, name) !== 0 || this.role(list[1]) !== 'break' || !/^break\s*;?$/.test(this.text(list[1]).trim())) continue;
        this.skipped.add(init);
        this.skipped.add(list[1]);
        this.matchReturns.set(list[0], set.value);
        this.matchReturns.set(stmts[j + 1], this.plainAssign(init)!.value);
        break;
      }
    }
  }

  /**
   * v2 'reverse-loop': the last match kept by assignment is the search from the end:
   *   `r = d; for ...: if p: r = e` + `return r`
   *   = `for ... reversed: if p: return e` + `return d`
   * (the loop body is that `if` alone, no else, holding only the assignment; r is a local
   * named nowhere else (its three occurrences are these), not read by e; the return
   * follows the loop). The initialisation is skipped, the assignment and the return
   * become returns (matchReturns), and the loop's label is its reversed form.
   */
  private lastMatches(stmts: PNode[]): void {
    for (let j = 0; j + 1 < stmts.length; j++) {
      const loop = stmts[j];
      const lr = this.role(loop);
      if (lr !== 'for' && lr !== 'cfor') continue;
      const ret = /^return\s+([A-Za-z_]\w*)\s*;?$/.exec(this.text(stmts[j + 1]).trim());
      const name = ret?.[1];
      if (!name || this.role(stmts[j + 1]) !== 'return' || this.fn.counts.get(name) !== 3 || !this.fn.locals.has(name) || this.fn.params.has(name)) continue;
      const init = stmts.slice(0, j).find((s) => this.plainAssign(s)?.name === name);
      const body = field(loop, 'body');
      const inner = body ? this.innerStmts(body) : [];
      const iff = inner.length === 1 && this.role(inner[0]) === 'if' && !fields(inner[0], 'alternative').length ? inner[0] : undefined;
      const cons = iff && field(iff, 'consequence');
      const list = cons ? this.innerStmts(cons) : [];
      const set = list.length === 1 ? this.plainAssign(list[0]) : undefined;
      if (!init || set?.name !== name || this.countIn(set.value, name) !== 0) continue;
      this.skipped.add(init);
      this.matchReturns.set(list[0], set.value);
      this.matchReturns.set(stmts[j + 1], this.plainAssign(init)!.value);
      this.reversedLoops.add(loop);
    }
  }

  /**
   * v2 'insertion-sort': the stable insertion sort into a new list is `sorted`:
   *   `out = []` ... `for x in xs: i = len(out); while i > 0 and K(out[i - 1]) > K(x):
   *   i -= 1; out.insert(i, x)` = `out = sorted(xs, key=lambda x: K(x))`
   * in every language (js `out.splice(i, 0, x)`, go's `append` + `copy` + `out[i] = x`,
   * ruby's `xs.each do |x|` and `i -= 1 while ...`). Strict `>` (or `K(x) < K(out[i - 1])`):
   * equal keys keep their order, as sorted's do; K(out[i - 1]) and K(x) the same text but
   * for the element; `K(x) = x` is `sorted(xs)`, `K(x) = -x` is `sorted(xs, reverse=True)`.
   * The loop stands for the assignment (sortedAssign), the initialisation is skipped, and
   * `out` counts one occurrence there (so it folds as a temporary into its reader).
   */
  private insertionSorts(stmts: PNode[]): void {
    const norm = (x: PNode) => this.text(x).replace(/\s+/g, '').replace(/;$/, '');
    const esc = (x: string) => x.replace(/[$]/g, '\\$');
    for (let j = 1; j < stmts.length; j++) {
      const loop = stmts[j];
      // a loop's body is walked again until its state settles: mark (and lower the count) once
      if (this.sortLoopOf.has(loop)) continue;
      const parts = this.sortLoopParts(loop);
      if (!parts) continue;
      const { x, seq, body } = parts;
      const a = /^(?:let|var)?([A-Za-z_$][\w$]*):?=(?:len\(([A-Za-z_$][\w$]*)\)|([A-Za-z_$][\w$]*)\.(?:length|size))$/.exec(norm(body[0] ?? loop));
      if (!a || body.length < 3) continue;
      const i = esc(a[1]);
      const o = a[2] ?? a[3];
      const step = `${i}(?:-=1|--|=${i}-1|=${i}-\\(1\\))`;
      const guard = `(?:${i}>0|0<${i})`;
      const w = norm(body[1]);
      const m =
        new RegExp(`^while${guard}and(.+):${step}$`).exec(w) ??
        new RegExp(`^while\\(${guard}&&(.+)\\)\\{?${step}\\}?$`).exec(w) ??
        new RegExp(`^for${guard}&&(.+)\\{${step}\\}$`).exec(w) ??
        new RegExp(`^${step}while${guard}&&(.+)$`).exec(w);
      const key = m && this.sortKey(m[1], o + '[' + a[1] + '-1]', x);
      if (!key) continue;
      const rest = body.slice(2).map(norm);
      const oi = `${esc(o)}\\.(?:insert\\(${i},${esc(x)}\\)|splice\\(${i},0,${esc(x)}\\))`;
      const ok =
        (rest.length === 1 && new RegExp(`^${oi}$`).test(rest[0])) ||
        (rest.length === 3 && new RegExp(`^${esc(o)}=append\\(${esc(o)},[\\w"'.]+\\)$`).test(rest[0]) && rest[1] === `copy(${o}[${a[1]}+1:],${o}[${a[1]}:])` && rest[2] === `${o}[${a[1]}]=${x}`);
      if (!ok) continue;
      const init = stmts.slice(0, j).find((st) => this.plainAssign(st)?.name === o && /^\[\](?:[\w.]+\{\})?$/.test(norm(this.plainAssign(st)!.value)));
      const keyNode = this.nodeWithText(body[1], key);
      if (!init || !keyNode || !this.fn.locals.has(o) || this.fn.params.has(o) || this.fn.counts.get(a[1]) !== this.countIn(loop, a[1])) continue;
      this.skipped.add(init);
      this.sortLoopOf.set(loop, { name: o, seq, key: keyNode, elem: x });
      // `out` was named by the initialisation and in the loop: now once, by the assignment
      this.fn.counts.set(o, (this.fn.counts.get(o) ?? 0) - this.countIn(loop, o));
    }
  }

  /** The element, sequence and body statements of a for-each loop (python, js `for...of`, go `for _, x := range`, ruby `xs.each do |x|`). */
  private sortLoopParts(loop: PNode): { x: string; seq: PNode; body: PNode[] } | undefined {
    const t = this.t;
    if (t === TABLES.ruby) {
      const c = rubyCall(loop, (n) => this.text(n));
      const b = c && c.name === 'each' && !c.args.length ? rubyBlock(c.block) : undefined;
      const body = c?.block && field(c.block, 'body');
      return b && b.params.length === 1 && body ? { x: this.text(b.params[0]), seq: c!.recv, body: body.children.filter((n) => n.named) } : undefined;
    }
    let target = field(loop, 'left');
    let seq = field(loop, 'right');
    if (t === TABLES.go) {
      const range = loop.children.find((c) => c.type === 'range_clause');
      const names = range && field(range, 'left')?.children.filter((c) => c.named);
      if (!range || !names || names.length !== 2 || this.text(names[0]) !== '_') return undefined;
      target = names[1];
      seq = field(range, 'right');
    } else if (t === TABLES.javascript ? loop.type !== 'for_in_statement' || !/^for\s*\(\s*(?:const|let|var)?\s*[\w$]+\s+of\b/.test(this.text(loop)) : loop.type !== 'for_statement' || field(loop, 'alternative')) return undefined;
    const body = field(loop, 'body');
    if (!target || !seq || !body || !t.ident.has(target.type)) return undefined;
    return { x: this.text(target), seq, body: this.innerStmts(body) };
  }

  /** The key text K(x) of the insertion test `K(prev) > K(x)` (or `K(x) < K(prev)`), whitespace removed; undefined if it is not one. */
  private sortKey(cond: string, prev: string, x: string): string | undefined {
    for (let k = 1; k < cond.length - 1; k++) {
      const c = cond[k];
      if ((c !== '>' && c !== '<') || '<>=-'.includes(cond[k - 1]) || '<>='.includes(cond[k + 1])) continue;
      const [l, r] = [cond.slice(0, k), cond.slice(k + 1)];
      const [hi, lo] = c === '>' ? [l, r] : [r, l];
      if (hi.split(prev).length === 2 && hi.replace(prev, x) === lo && !new RegExp(`\\b${x.replace(/[$]/g, '\\$')}\\b`).test(hi)) return lo;
    }
    return undefined;
  }

  /** The first node under `n` whose text without whitespace is `text`. */
  private nodeWithText(n: PNode, text: string): PNode | undefined {
    const stack = [n];
    while (stack.length) {
      const y = stack.shift()!;
      if (this.text(y).replace(/\s+/g, '') === text) return y;
      for (const c of y.children) if (c.named) stack.push(c);
    }
    return undefined;
  }

  /** 'insertion-sort': the assignment `out = sorted(xs, ...)` a sorting loop stands for (with the key's closure, as a lambda would be). */
  private sortedAssign(n: PNode, sort: { name: string; seq: PNode; key: PNode; elem: string }, ctrl: number, st: State): State {
    const acc = newAcc();
    bump(acc.bag, 'n:' + canonName('sorted'));
    this.expr(sort.seq, acc);
    const k = this.text(this.unparen(sort.key)).replace(/\s+/g, '');
    const plain = k === sort.elem;
    const reverse = k === '-' + sort.elem || k === '-(' + sort.elem + ')';
    const args = [this.canon(sort.seq)];
    if (reverse) {
      args.push('keyword_argument(reverse,true)');
      bump(acc.bag, 'n:reverse');
      bump(acc.bag, 'lit:true');
    } else if (!plain) {
      args.push('keyword_argument(key,lambda)');
      bump(acc.bag, 'n:key');
      bump(acc.bag, 'lambda');
    }
    acc.defs.push(sort.name);
    const value = this.callCanon(canonName('sorted'), args);
    this.canonOverride.set(n, '=(,' + value + ')');
    const before = copyState(st);
    const r = this.emit(n, 'assign', acc, ctrl, st);
    st = before;
    if (r.id >= 0 && !plain && !reverse) {
      // the key as a one-parameter closure returning K(x)
      const cl = this.synth(n, 'sort-key');
      this.canonOverride.set(cl, 'closure:params1');
      const cid = this.node(cl, 'closure', new Map(), r.id);
      const kacc = newAcc();
      this.expr(sort.key, kacc);
      const ret = this.synth(n, 'sort-key-return');
      this.canonOverride.set(ret, 'return:' + this.canon(sort.key));
      // the closure sees the definitions reaching the statement, and defines its parameter
      const inner = copyState(st) ?? new Map();
      inner.set(sort.elem, new Set([cid]));
      if (cid >= 0) this.emit(ret, 'return', kacc, cid, inner);
    }
    if (r.id >= 0 && this.on('temporaries') && !this.fn.temps.has(sort.name)) {
      if (this.fn.counts.get(sort.name) === 2) {
        this.fn.temps.set(sort.name, value);
        this.temps.set(r.id, sort.name);
      } else (this.fn.pending ??= new Map()).set(sort.name, { id: r.id, canon: value });
    }
    return r.st;
  }

  /**
   * v2 'step-slice': go's stepping loop that copies every k-th element is python's
   * `xs[::k]`: `out := []int{}` followed by `for i := 0; i < len(xs); i += k { out =
   * append(out, xs[i]) }` (the index used nowhere else) is the one assignment `out =
   * xs[::k]`. Marks the loop (stmt builds the assignment) and skips the initialisation;
   * `out` then counts one definition, not three occurrences.
   */
  private stepLoops(stmts: PNode[]): void {
    for (let j = 1; j < stmts.length; j++) {
      const loop = stmts[j];
      if (loop.type !== 'for_statement' || this.stepLoopOf.has(loop)) continue;
      const clause = loop.children.find((c) => c.type === 'for_clause');
      const head = clause && /^([A-Za-z_]\w*)\s*:=\s*0\s*;\s*\1\s*<\s*len\(([A-Za-z_]\w*)\)\s*;\s*\1\s*\+=\s*(\d+)$/.exec(this.text(clause).trim());
      const body = field(loop, 'body');
      const inner = body ? this.innerStmts(body) : [];
      if (!head || inner.length !== 1) continue;
      const [, i, xs] = head;
      const app = /^([A-Za-z_]\w*)\s*=\s*append\(\s*\1\s*,\s*([A-Za-z_]\w*)\[([A-Za-z_]\w*)\]\s*\)$/.exec(this.text(inner[0]).trim());
      if (!app || app[2] !== xs || app[3] !== i || !this.loopLocal(loop, i)) continue;
      const out = app[1];
      const init = stmts.slice(0, j).find((s) => new RegExp('^' + out + '\\s*:=\\s*\\[\\][A-Za-z_]\\w*\\{\\s*\\}$').test(this.text(s).trim()));
      const seq = this.identIn(clause, xs);
      const step = clause.children.find((c) => c.field === 'update')?.children.find((c) => c.named && c.field === 'right');
      const k = step && (step.type === 'expression_list' ? step.children.find((c) => c.named) : step);
      if (!init || !seq || !k || out === xs || !this.fn.locals.has(out)) continue;
      this.skipped.add(init);
      this.stepLoopOf.set(loop, { name: out, seq, step: k });
      this.fn.counts.set(out, (this.fn.counts.get(out) ?? 0) - 2);
    }
  }

  /**
   * v2 'clamp': an assignment clamped by the next statement is one min/max:
   *   `v = a; if v > b: v = b` (or `b < v`, `>=`) = `v = min(a, b)`;
   *   `v = a; if v < b: v = b` (or `b > v`, `<=`) = `v = max(a, b)`
   * (the `if` has no else and holds only `v = b`, b the same text as in the condition:
   * clampIf, which also turns away ruby's `unless` and go's initializer). The `if` is
   * skipped; the assignment (assignCanon) reads min/max and b; `v` then counts two
   * occurrences fewer (so a clamped temporary still folds).
   */
  private clamps(stmts: PNode[]): void {
    for (let k = 0; k + 1 < stmts.length; k++) {
      const iff = stmts[k + 1];
      if (this.role(iff) !== 'if' || this.clampIfs.has(iff)) continue;
      const def = this.plainAssign(stmts[k]);
      // `if v > b: v = b` lowers v to b (min), `if v < b: v = b` raises it (max)
      const clamp = def && this.clampIf(iff);
      if (!def || !clamp || clamp.set.name !== def.name || !this.fn.locals.has(def.name) || this.fn.params.has(def.name)) continue;
      const { set, which } = clamp;
      this.clampIfs.add(iff);
      this.skipped.add(iff);
      // v2 'extreme-chain': further ifs clamping v the same way extend the min: `v = a; if b < v: v = b; if c < v: v = c` is `v = min(a, b, c)`
      const more: PNode[] = [];
      for (let m = k + 2; m < stmts.length && this.on('extreme-chain'); m++) {
        const c = this.role(stmts[m]) === 'if' && !this.clampIfs.has(stmts[m]) ? this.selfClamp(stmts[m]) : undefined;
        if (!c || c.which !== which || this.text(c.target) !== def.name || this.countIn(c.value, def.name) || /\(/.test(this.text(c.value))) break;
        more.push(c.value);
        this.clampIfs.add(stmts[m]);
        this.skipped.add(stmts[m]);
      }
      this.clampOf.set(def.expr, { which, other: set.value, more });
      this.fn.counts.set(def.name, (this.fn.counts.get(def.name) ?? 0) - 2 - 2 * more.length);
    }
  }

  /**
   * v2 'abs-if': `if v < 0: v = -v` (or `0 > v`, `<= 0`; no else, only that assignment)
   * is `v = abs(v)`; right after `v = e` (a plain assignment of a local) the two are
   * `v = abs(e)`: the if is skipped and the assignment reads abs (as 'clamp' reads min/max),
   * `v` then counts the if's three occurrences fewer, so it may fold as a temporary. Alone,
   * the if is the assignment `v = abs(v)` (selfCallAssign): v counts one occurrence fewer.
   */
  private absIfs(stmts: PNode[]): void {
    for (let k = 0; k < stmts.length; k++) {
      const iff = stmts[k];
      if (this.role(iff) !== 'if' || this.absIfOf.has(iff) || this.clampIfs.has(iff) || fields(iff, 'alternative').length || field(iff, 'initializer')) continue;
      const cons = field(iff, 'consequence');
      const body = cons ? this.innerStmts(cons) : [];
      const set = body.length === 1 ? this.plainAssign(body[0]) : undefined;
      const v = set?.name;
      const cond = this.text(field(iff, 'condition') ?? iff).replace(/[\s()]/g, '');
      if (!set || !v || !this.fn.locals.has(v) || this.text(set.value).replace(/[\s()]/g, '') !== '-' + v) continue;
      if (!negativeTest(cond, v, true)) continue;
      const target = field(set.expr, 'left') ?? field(set.expr, 'name');
      if (!target) continue;
      this.absIfOf.set(iff, target);
      const def = k > 0 ? this.plainAssign(stmts[k - 1]) : undefined;
      if (def && def.name === v && !this.fn.params.has(v) && !this.clampOf.has(def.expr)) {
        this.clampIfs.add(iff);
        this.skipped.add(iff);
        this.clampOf.set(def.expr, { which: 'abs' });
        this.fn.counts.set(v, (this.fn.counts.get(v) ?? 0) - 3);
      } else this.fn.counts.set(v, (this.fn.counts.get(v) ?? 0) - 1);
    }
  }

  /**
   * 'abs-if', 'clamp': the assignment `v = f(v, b...)` an if stands for (`v = abs(v)`: absIfs;
   * `v = max(v, b)`: selfClamp). It reads what it defines: an update, as python's statement is.
   */
  private selfCallAssign(n: PNode, f: 'abs' | 'min' | 'max', target: PNode, others: PNode[], ctrl: number, st: State): State {
    const acc = newAcc();
    bump(acc.bag, 'n:' + f);
    this.expr(target, acc);
    for (const b of others) this.expr(b, acc);
    acc.defs.push(this.text(target));
    this.canonOverride.set(n, '=(,' + this.callCanon(f, [target, ...others].map((x) => this.canon(x))) + ')');
    return this.emit(n, 'aug', acc, ctrl, st).st;
  }

  /**
   * v2 'best-so-far': a loop that keeps the largest value seen is max of the list it
   * would build (as python's `max([e for ...])` and js's `Math.max(...xs.map(...))` read):
   *   `m = s` ... `for ...: ...; if e > m: m = e` (the loop's last statement; also `e >= m`,
   *   `m < e`, `m = max(m, e)`; go's `if i == 0 || e > m` with i the range index named
   *   nowhere else) ... reads of m after the loop
   *   = `out = [s]` ... `for ...: ...; out.append(e)` ... `max(out)` (min likewise).
   * The start value s is dropped (`out = []`) where it cannot win: the guard takes the
   * first element, s is `xs[0]` of the sequence the loop walks (or its slice), or s is
   * -inf for max / +inf for min. m is a local named only by the initialisation, the update
   * and reads after the loop (never assigned again), and e does not read m.
   */
  private bestSoFars(stmts: PNode[]): void {
    for (let j = 1; j < stmts.length; j++) {
      const loop = stmts[j];
      const lr = this.role(loop);
      // ruby's block loops (`xs.each do |x|`) too
      const rb = this.t === TABLES.ruby ? rubyCall(loop, (x) => this.text(x)) : undefined;
      const rbBody = rb?.block && ['each', 'each_with_index', 'times', 'upto', 'downto', 'each_char'].includes(rb.name) ? field(rb.block, 'body') : undefined;
      if (lr !== 'for' && lr !== 'cfor' && !rbBody) continue;
      const body = rbBody ?? field(loop, 'body');
      // the update anywhere in the loop: under an if it is the filtered list's append
      const todo = rbBody ? rbBody.children.filter((c) => c.named) : body ? this.innerStmts(body) : [];
      const top = todo.length;
      for (let q = 0; q < todo.length && q < 64; q++) {
        const u = todo[q];
        const upd = this.foldUpdates.has(u) ? undefined : this.foldUpdate(u);
        if (upd) this.bestSoFar(stmts, j, u, upd, q < top);
        else if (this.role(u) === 'if') for (const c of [field(u, 'consequence'), ...fields(u, 'alternative')]) if (c) todo.push(...this.innerStmts(field(c, 'body') ?? c));
      }
      // a loop that only kept extremes of its element is gone: its reads are max(xs) / min(xs)
      if (top && todo.slice(0, top).every((u) => this.skipped.has(u))) this.skipped.add(loop);
    }
  }

  /** bestSoFars for one update `u` of the loop stmts[j]: marks the fold when its initialisation and reads qualify. */
  private bestSoFar(stmts: PNode[], j: number, u: PNode, upd: { name: string; value: PNode; which: 'max' | 'min'; index?: string }, top: boolean): void {
    const loop = stmts[j];
    const m = upd.name;
    if (!this.fn.locals.has(m) || this.fn.params.has(m) || this.countIn(upd.value, m) !== 0 || this.countIn(loop, m) !== this.countIn(u, m)) return;
    let k = j - 1;
    while (k >= 0 && this.countIn(stmts[k], m) === 0) k--;
    const init = k >= 0 ? this.foldInitOf(stmts[k], m) : undefined;
    if (!init || this.countIn(init.value, m) !== 0) return;
    const after = stmts.slice(j + 1);
    const reads = after.flatMap((s) => this.identsIn(s, m));
    const assigned = new RegExp('(?:^|[^\\w.$])' + m + '\\s*(?:[-+*/%&|^]|<<|>>|\\*\\*|//)?:?=(?!=)');
    if (!reads.length || this.fn.counts.get(m) !== 1 + this.countIn(loop, m) + reads.length || after.some((s) => assigned.test(this.text(s)))) return;
    // the guard's index is named nowhere else: the loop walks the elements only
    if (upd.index && this.fn.counts.get(upd.index) !== 2) return;
    const seq = this.loopSeq(loop);
    // python's index loop whose element the fold keeps (`for i in range(1, len(xs)): m = max(m, xs[i])`)
    const idx = !seq && this.t === TABLES.python && loop.type === 'for_statement' ? this.indexElement(loop, upd.value) : undefined;
    const seqText = seq ?? (idx ? this.text(idx.seq) : undefined);
    const st = this.text(init.value).replace(/\s+/g, '').replace(/;$/, '');
    const first = !!seqText && st === seqText + '[0]';
    const free = !!upd.index || first || FOLD_FREE_START[upd.which].test(st);
    // the loop's own element, over all of xs (xs[1:] after xs[0]; a top-level update): the fold is max(xs) itself
    const whole = !free || !top ? undefined : idx ? (!idx.fromOne || first ? idx.seq : undefined) : seq ? this.wholeFold(loop, seq, first, upd) : undefined;
    if (whole) {
      this.foldInits.set(init.node, { name: m, skip: true });
      this.skipped.add(u);
      for (const r of reads) this.foldWhole.set(r, { which: upd.which, seq: whole });
      return;
    }
    this.foldInits.set(init.node, { name: m, start: free ? undefined : init.value });
    this.foldUpdates.set(u, { name: m, value: upd.value });
    for (const r of reads) this.foldReads.set(r, upd.which);
    if (upd.index) this.indexFreeLoops.add(loop);
    // e is read once by `out.append(e)` (the if named it twice), so a temporary e still folds
    const v = this.t.ident.has(upd.value.type) ? this.text(upd.value) : undefined;
    const c = v ? this.fn.counts.get(v) : undefined;
    if (v && c !== undefined) this.fn.counts.set(v, c - (this.countIn(u, v) - 1));
  }

  /**
   * The initialisation of fold variable m in statement s: a plain assignment (the node is
   * s), or m's part of a parallel one (`hi, lo := 0, 0`; the node is m's target, as
   * parallelAssign builds one assignment per name).
   */
  private foldInitOf(s: PNode, m: string): { node: PNode; value: PNode } | undefined {
    const a = this.plainAssign(s);
    const chained = a && (a.value.type === 'assignment' || a.value.type === 'assignment_expression');
    if (a && !chained) return a.name === m ? { node: s, value: a.value } : undefined;
    let e = s;
    while (e.type === 'expression_statement' && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    const l = field(e, 'left');
    const r = field(e, 'right');
    if (!l || !r) return undefined;
    if (this.t.ident.has(l.type)) {
      // `best = cur = 0` (conditional-assign splits it into one assignment per name)
      let x = this.unparen(r);
      const names = [l];
      while ((x.type === 'assignment' || x.type === 'assignment_expression') && field(x, 'left') && field(x, 'right')) {
        names.push(field(x, 'left')!);
        x = this.unparen(field(x, 'right')!);
      }
      const t = names.find((nm) => this.text(nm) === m);
      return t && names.length > 1 && this.on('conditional-assign') && (this.t.literal[x.type] || this.t.ident.has(x.type)) ? { node: t, value: x } : undefined;
    }
    if (!this.on('parallel-assign')) return undefined;
    const ts = l.children.filter((c) => c.named);
    const vs = r.children.filter((c) => c.named);
    const i = ts.findIndex((t) => this.t.ident.has(t.type) && this.text(t) === m);
    return i >= 0 && ts.length === vs.length ? { node: ts[i], value: vs[i] } : undefined;
  }

  /** 'best-so-far': the fold's start is the list its loop builds, `m = []` (its bag holding the start value where it may win). */
  private foldInitAssign(n: PNode, fold: { name: string; start?: PNode }, ctrl: number, st: State): State {
    const acc = newAcc();
    bump(acc.bag, 'coll:list');
    if (fold.start) this.expr(fold.start, acc);
    acc.defs.push(fold.name);
    // the start value in the bag only: a fold from 0 over values that cannot be negative is max of the list
    this.canonOverride.set(n, '=(,list())');
    return this.emit(n, 'assign', acc, ctrl, st).st;
  }

  /** The fold update `if e > m: m = e` (or `m = max(m, e)`, go's `if i == 0 || e > m`) of bestSoFars: m, e, which, the guard's index. */
  private foldUpdate(s: PNode): { name: string; value: PNode; which: 'max' | 'min'; index?: string } | undefined {
    const set = this.plainAssign(s);
    if (set) {
      // `m = max(m, e)`: a builtin or go's helper
      const v = this.unparen(set.value);
      const f = field(v, 'function');
      const helper = f && this.t.ident.has(f.type) ? this.helperBuiltins.get(this.text(f)) : undefined;
      // ruby's `[m, e].max`
      const rb = this.t === TABLES.ruby ? rubyCall(v, (x) => this.text(x)) : undefined;
      const rbArgs = rb && !rb.args.length && !rb.block && rb.recv.type === 'array' ? rb.recv.children.filter((c) => c.named) : [];
      for (const which of ['max', 'min'] as const) {
        let args = rb?.name === which ? rbArgs : this.callArgs(v, which);
        if (!args.length && helper === which) args = field(v, 'arguments')?.children.filter((c) => c.named) ?? [];
        if (args.length !== 2) continue;
        const [a, b] = args.map((x) => this.text(x).trim());
        if (a === set.name && b !== set.name) return { name: set.name, value: args[1], which };
        if (b === set.name && a !== set.name) return { name: set.name, value: args[0], which };
      }
      return undefined;
    }
    // the if forms read a raise to the compared value as max, as 'clamp' does (clampIf)
    if ((this.role(s) !== 'if' && s.type !== 'if_modifier') || !this.on('clamp')) return undefined;
    let cond = field(s, 'condition') && this.unparen(field(s, 'condition')!);
    if (!cond) return undefined;
    // go `i == 0 || e > m`: the first element is taken whatever m holds
    let index: string | undefined;
    const parts = cond.children.filter((c) => c.named);
    const orTok = cond.children.find((c) => !c.named && OPERATORS[c.type] === 'or');
    if (orTok && parts.length === 2 && this.t === TABLES.go) {
      const g = /^([A-Za-z_]\w*)==0$/.exec(this.text(parts[0]).replace(/\s+/g, ''));
      if (!g) return undefined;
      index = g[1];
      cond = this.unparen(parts[1]);
    }
    const c = this.clampIf(s, cond);
    return c ? { name: c.set.name, value: c.set.value, which: c.which, index } : undefined;
  }

  /** 'best-so-far': python's `for i in range(...)` read as an element loop over xs (index-loop) whose element read is `value`: xs, and whether it starts at 1. */
  private indexElement(loop: PNode, value: PNode): { seq: PNode; fromOne: boolean } | undefined {
    const target = field(loop, 'left');
    const iter = field(loop, 'right');
    const body = field(loop, 'body');
    if (!target || !iter || !body || !this.on('index-loop')) return undefined;
    const el = this.indexLoop(target, iter, body, loop);
    return el && el.shape === 'elem' && !el.reverse && !el.indexed && el.seqs.length === 1 && el.reads.includes(value) ? { seq: el.seqs[0], fromOne: !!el.fromOne } : undefined;
  }

  /** 'best-so-far': the sequence node xs when the fold `upd` keeps the extreme of the loop's own element over all of xs (`first`: the start is xs[0]), else undefined. */
  private wholeFold(loop: PNode, seq: string, first: boolean, upd: { value: PNode; index?: string }): PNode | undefined {
    const range = loop.children.find((c) => c.type === 'range_clause');
    const rb = this.t === TABLES.ruby ? rubyCall(loop, (x) => this.text(x)) : undefined;
    let elem: PNode | undefined;
    let right: PNode | undefined;
    if (range) {
      const names = field(range, 'left')?.children.filter((c) => c.named) ?? [];
      elem = names.length === 2 && this.text(names[0]) === (upd.index ?? '_') ? names[1] : undefined;
      right = field(range, 'right');
    } else if (rb) {
      elem = rubyBlock(rb.block)?.params[0];
      right = rb.recv;
    } else {
      elem = field(loop, 'left');
      right = field(loop, 'right');
    }
    const sliced = !!right && this.text(right).replace(/\s+/g, '') !== seq;
    if (!elem || !right || !this.t.ident.has(elem.type) || this.text(upd.value).trim() !== this.text(elem) || (sliced && !first)) return undefined;
    return this.identIn(right, seq);
  }

  /** The sequence a for-each loop walks, as text (python `for x in xs` / `xs[1:]`, js `for (const x of xs)`, go `range xs`, ruby `xs.each`), else undefined. */
  private loopSeq(loop: PNode): string | undefined {
    const range = loop.children.find((c) => c.type === 'range_clause');
    const rb = this.t === TABLES.ruby ? rubyCall(loop, (x) => this.text(x)) : undefined;
    const right = rb?.name === 'each' ? rb.recv : range ? field(range, 'right') : loop.type === 'for_in_statement' || loop.type === 'for_statement' ? field(loop, 'right') : undefined;
    if (!right) return undefined;
    const t = this.text(right).replace(/\s+/g, '');
    return /^[A-Za-z_$][\w$]*(?:\[1:\])?$/.test(t) ? t.replace('[1:]', '') : undefined;
  }

  /**
   * v2 'element-unpack': a loop's element read by position is one name per position, in
   * every language: python's `for a, b in xs` (and a comprehension's, js's `([a, b]) =>`,
   * `for (const [a, b] of xs)`) reads a as `v0` and b as `v1`; an element p read only as
   * `p[0]`, `p[1]` (literal indices; go's `for _, p := range xs`, python's `for p in xs`)
   * reads `p[k]` as `vk`. Each name occurs nowhere outside `scope` (the loop, the
   * comprehension or the chain), so the positions are the loop's own; the loop walks a
   * sequence, not a call's result (`zip`, `enumerate`, `items()` pair what index loops
   * and go's two-name ranges read otherwise).
   */
  private unpackTarget(scope: PNode, target: PNode, iter: PNode): void {
    if (!this.v2 || !this.on('element-unpack') || this.t.call.has(this.unparen(iter).type)) return;
    const fn = this.fn;
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'array_pattern' || target.type === 'tuple') {
      const names = target.children.filter((c) => c.named);
      if (names.length < 2 || !names.every((c) => this.t.ident.has(c.type))) return;
      names.forEach((c, k) => {
        const nm = this.text(c);
        if (nm !== '_' && !fn.params.has(nm) && fn.counts.get(nm) === this.countIn(scope, nm)) (fn.unpack ??= new Map()).set(nm, k);
      });
      return;
    }
    if (!this.t.ident.has(target.type)) return;
    const p = this.text(target);
    if (fn.params.has(p) || fn.unpack?.has(p)) return;
    // the reads p[k] under body; any other occurrence (but the target's own) stops it
    const reads: [PNode, number][] = [];
    let other = 0;
    const stack = [scope];
    while (stack.length && other < 2) {
      const x = stack.pop()!;
      if (this.t.ident.has(x.type) && this.text(x) === p) other++;
      const sp = this.t.index[x.type] === 'index' ? this.subscriptParts(x) : undefined;
      if (sp && this.t.ident.has(sp[0].type) && this.text(sp[0]) === p && /^\d$/.test(this.text(sp[1]).trim())) {
        reads.push([x, Number(this.text(sp[1]).trim())]);
        continue;
      }
      for (const ch of x.children) if (ch.named) stack.push(ch);
    }
    if (!reads.length || other !== 1 || fn.counts.get(p) !== 1 + reads.length) return;
    for (const [x, k] of reads) this.unpackReads.set(x, [k, p]);
  }

  /** The identifiers named `name` under `n`. */
  private identsIn(n: PNode, name: string): PNode[] {
    const out: PNode[] = [];
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (this.t.ident.has(x.type) && this.text(x) === name) out.push(x);
      for (const ch of x.children) if (ch.named) stack.push(ch);
    }
    return out;
  }

  /** The one local a plain assignment statement or declarator defines (`x = e`, `let x = e`, `x := e`, `var x T`), else undefined. */
  private assignedName(n: PNode): string | undefined {
    let e = n;
    while (e.type === 'expression_statement' && e.children.filter((c) => c.named).length === 1) e = e.children.find((c) => c.named)!;
    let t = field(e, 'left') ?? field(e, 'name');
    if (t && (t.type === 'expression_list' || t.type === 'left_assignment_list') && t.children.filter((c) => c.named).length === 1) t = t.children.find((c) => c.named);
    if (e.type === 'var_spec' && fields(e, 'name').length !== 1) return undefined;
    return t && this.t.ident.has(t.type) && this.fn.locals.has(this.text(t)) && !this.fn.params.has(this.text(t)) ? this.text(t) : undefined;
  }

  /** `v = e` / `v := e` / `let v = e` (one identifier, one value, no operator): the assignment node, v and e. */
  private plainAssign(s: PNode): { expr: PNode; name: string; value: PNode } | undefined {
    let e = s;
    while ((e.type === 'expression_statement' || e.type === 'lexical_declaration' || e.type === 'variable_declaration') && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    if (e.type !== 'assignment' && e.type !== 'assignment_expression' && e.type !== 'variable_declarator' && e.type !== 'short_var_declaration' && e.type !== 'assignment_statement') return undefined;
    if (e.children.some((c) => !c.named && c.type !== '=' && c.type !== ':=')) return undefined;
    const one = (x: PNode | undefined): PNode | undefined => (x && x.type === 'expression_list' ? (namedCount(x) === 1 ? x.children.find((c) => c.named) : undefined) : x);
    const t = one(field(e, 'left') ?? field(e, 'name'));
    const v = one(field(e, 'right') ?? field(e, 'value'));
    return t && v && this.t.ident.has(t.type) ? { expr: e, name: this.text(t), value: v } : undefined;
  }

  /** The first identifier `name` under `n`. */
  private identIn(n: PNode, name: string): PNode | undefined {
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (this.t.ident.has(x.type) && this.text(x) === name) return x;
      for (let k = x.children.length - 1; k >= 0; k--) if (x.children[k].named) stack.push(x.children[k]);
    }
    return undefined;
  }

  /** The statements of a body: a block's (through go's statement_list), or the one statement. */
  private innerStmts(n: PNode): PNode[] {
    let list = this.role(n) === 'block' ? this.stmtsOf(n) : [n];
    while (list.length === 1 && this.role(list[0]) === 'block') list = this.stmtsOf(list[0]);
    return list;
  }

  /** `x = true`, `let x = false;`, `x := true` (any language): the name and the value. */
  private boolAssign(s: PNode): { name: string; value: boolean } | undefined {
    const m = /^(?:(?:let|var|const)\s+)?([A-Za-z_]\w*)\s*:?=\s*(true|false|True|False)\s*;?$/.exec(this.text(s).trim());
    return m ? { name: m[1], value: m[2].toLowerCase() === 'true' } : undefined;
  }

  /**
   * Features of a statement depend only on its text and the function's names, so they
   * are computed once even when a loop body is walked again for the fixpoint.
   */
  private memo = new Map<PNode, unknown>();
  private memoized<T>(key: PNode, f: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = f();
    this.memo.set(key, v);
    return v;
  }

  private condAcc(cond: PNode | undefined, negate = false): Acc {
    if (!cond) return this.condAccNow(cond, negate);
    return this.memoized(cond, () => this.condAccNow(cond, negate));
  }

  private condAccNow(cond: PNode | undefined, negate: boolean): Acc {
    const acc = newAcc();
    // ruby's unless/until negate: with 'bag-comparisons' the canonical text holds it
    if (negate && !(this.v2 && this.on('bag-comparisons'))) bump(acc.bag, 'op:not');
    if (cond) this.expr(cond, acc);
    return acc;
  }

  /** Statements of a branch body (a block, a single statement, or a ruby then/else). */
  private branch(n: PNode | undefined, ctrl: number, st: State): State {
    if (!n) return st;
    if (this.role(n) === 'block' || n.type === 'else_clause' || n.type === 'else' || n.type === 'finally_clause' || n.type === 'ensure') {
      const inner = n.type === 'else_clause' || n.type === 'finally_clause' ? (field(n, 'body') ? this.stmtsOf(field(n, 'body')!) : n.children.filter((c) => c.named)) : this.stmtsOf(n);
      return this.block(inner, ctrl, st);
    }
    return this.block([n], ctrl, st);
  }

  private ifStmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const init = field(n, 'initializer');
    if (init) st = this.stmt(init, ctrl, st).st;
    const acc = this.condAcc(field(n, 'condition'), n.type === 'unless');
    const alts = fields(n, 'alternative');
    let flip = false;
    if (this.v2) {
      const cond = field(n, 'condition');
      let c = cond ? this.canon(cond) : '';
      if (n.type === 'unless') c = negateCanon(c, this.off);
      // `if not c: A else: B` is `if c: B else: A`
      const plainElse = alts.length === 1 && alts[0].type !== 'elif_clause' && alts[0].type !== 'elsif' && this.role(alts[0]) !== 'if';
      if (plainElse && this.on('if-swap') && negativeCanon(c)) {
        flip = true;
        c = negateCanon(c, this.off);
      }
      this.canonOverride.set(n, 'if:' + c);
    }
    const r = this.emit(n, 'if', acc, ctrl, st);
    const p = r.id < 0 ? ctrl : r.id;
    this.sideOf.set(p, flip ? 'F' : 'T');
    const s1 = this.branch(field(n, 'consequence'), p, copyState(r.st));
    this.sideOf.set(p, flip ? 'T' : 'F');
    const s2 = this.alternatives(alts, p, r.st);
    // statements after an early exit run on the false side
    this.sideOf.set(p, 'F');
    return { st: merge(s1, s2), guard: p };
  }

  private alternatives(alts: PNode[], p: number, st: State): State {
    if (alts.length === 0) return st;
    const a = alts[0];
    if (a.type === 'elif_clause' || a.type === 'elsif') {
      const acc = this.condAcc(field(a, 'condition'));
      const r = this.emit(a, 'if', acc, p, st);
      const q = r.id < 0 ? p : r.id;
      this.sideOf.set(q, 'T');
      const s1 = this.branch(field(a, 'consequence'), q, copyState(r.st));
      this.sideOf.set(q, 'F');
      const rest = a.type === 'elsif' ? fields(a, 'alternative') : alts.slice(1);
      return merge(s1, this.alternatives(rest, q, r.st));
    }
    if (a.type === 'else_clause' && this.t === TABLES.javascript) {
      return this.block(a.children.filter((c) => c.named), p, copyState(st));
    }
    if (this.role(a) === 'if') return this.stmt(a, p, copyState(st)).st;
    return this.branch(a, p, copyState(st));
  }

  private ifMod(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const clamp = this.v2 && this.on('clamp') && n.type === 'if_modifier' ? this.selfClamp(n) : undefined;
    if (clamp) return { st: this.selfCallAssign(n, clamp.which, clamp.target, [clamp.value], ctrl, st), guard: -1 };
    const neg = n.type === 'unless_modifier' || n.type === 'until_modifier';
    const loop = n.type === 'while_modifier' || n.type === 'until_modifier';
    const acc = this.condAcc(field(n, 'condition'), neg);
    const body = field(n, 'body');
    // `x unless c` is `if not c: x` (its label says so); `x until c` likewise
    const cond = field(n, 'condition');
    if (neg && cond && this.v2) this.canonOverride.set(n, (loop ? 'loop:' : 'if:') + negateCanon(this.canon(cond), this.off));
    if (loop) return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
    const r = this.emit(n, 'if', acc, ctrl, st);
    const p = r.id < 0 ? ctrl : r.id;
    const s1 = this.branch(body, p, copyState(r.st));
    // statements after an early exit (`return x if c`) run on the false side, as after an if statement
    if (this.v2 && this.on('ruby-returns')) this.sideOf.set(p, 'F');
    return { st: merge(s1, r.st), guard: p };
  }

  /**
   * A loop: predicate node `n` (features in `acc`, uses evaluated at the loop head),
   * body walked until the reaching definitions at the head stop changing.
   */
  private loop(n: PNode, acc: Acc, ctrl: number, st: State, body: (p: number, s: State) => State, after?: (p: number, s: State) => State): { st: State; guard: number } {
    let head = st;
    let exit: State = st;
    const ctx: LoopCtx = { isSwitch: false, breaks: [], conts: [] };
    this.fn.loops.push(ctx);
    const j0 = this.jumps;
    let p = ctrl;
    for (let it = 0; it < MAX_FIXPOINT; it++) {
      ctx.breaks = [];
      ctx.conts = [];
      const entered = copyState(head);
      const r = this.emit(n, 'loop', acc, ctrl, entered);
      p = r.id < 0 ? ctrl : r.id;
      let s = body(p, r.st);
      s = merge(s, ...ctx.conts);
      if (after) s = after(p, s);
      const next = merge(head, s);
      exit = merge(head, ...ctx.breaks);
      if (sameState(next, head) || this.visits > MAX_VISITS) break;
      head = next;
    }
    this.fn.loops.pop();
    this.jumps = j0; // break/continue do not leave the statement that holds the loop
    return { st: exit, guard: p };
  }

  private whileStmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const acc = this.condAcc(field(n, 'condition'), n.type === 'until');
    const body = field(n, 'body');
    const cond = field(n, 'condition');
    if (n.type === 'until' && cond && this.v2) this.canonOverride.set(n, 'loop:' + negateCanon(this.canon(cond), this.off));
    return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
  }

  /**
   * v2 'counting-while': `i = a` + `while i < b: ...; i += 1` is `for i in range(a, b): ...`
   * (`<=`: range(a, b + 1); `i >= b` with `i -= 1`: range(a, b - 1, -1); python and js
   * while loops, js's `i++` too), when it runs the same iterations with the same i:
   *  - the update is the body's last statement and nothing else in the body assigns i;
   *  - no `continue` in the body (it would skip the update), no else clause;
   *  - the bound is loop-invariant: names the body never assigns nor calls a method on,
   *    no call but len;
   *  - `i = a` is an earlier statement of the same block with no mention of i between, and
   *    i is named nowhere but there and in the loop (after a while i is one step past the
   *    range's last value: never read).
   * The init and the update are skipped; i counts the init's occurrence fewer (loopLocal).
   */
  private countingWhiles(stmts: PNode[]): void {
    for (let j = 1; j < stmts.length; j++) {
      const w = stmts[j];
      if (this.role(w) !== 'while' || this.looked.has(w)) continue;
      this.looked.add(w);
      if (w.type === 'until' || fields(w, 'alternative').length) continue;
      const cond = field(w, 'condition') && this.unparen(field(w, 'condition')!);
      const body = field(w, 'body');
      const list = body ? this.innerStmts(body) : [];
      const parts = cond && binaryParts(cond);
      if (!parts || !body || list.length < 2) continue;
      let op = parts[0];
      if (!FLIP_COMPARISON[op]) continue;
      let [iv, bound] = [this.unparen(parts[1]), this.unparen(parts[2])];
      if (!this.t.ident.has(iv.type)) {
        [iv, bound] = [bound, iv];
        op = FLIP_COMPARISON[op];
      }
      if (!this.t.ident.has(iv.type)) continue;
      const v = this.text(iv);
      const update = list[list.length - 1];
      const ut = this.text(update).replace(/\s+/g, '').replace(/;$/, '');
      if (!unitStep(ut, v, op === '<' || op === '<=') || !this.fn.locals.has(v) || this.fn.params.has(v)) continue;
      // the init: the last earlier statement of this block naming v, a plain `v = a`
      let k = j - 1;
      let named = 0;
      while (k >= 0 && !(named = this.countIn(stmts[k], v))) k--;
      const init = k >= 0 ? this.plainAssign(stmts[k]) : undefined;
      if (!init || init.name !== v || this.countIn(init.value, v) || named !== 1) continue;
      if (this.fn.counts.get(v) !== 1 + this.countIn(w, v)) continue;
      // nothing else in the body assigns v or jumps past the update; the bound does not change
      const boundNames = new Set(this.identsOf(bound));
      if (/\(/.test(this.text(bound)) && !/^len\([A-Za-z_]\w*\)$/.test(this.text(bound).replace(/\s+/g, ''))) continue;
      let ok = true;
      const walk = (n: PNode): void => {
        if (!ok || n === update) return;
        if (this.role(n) === 'continue') ok = false;
        const defs = this.t.defs[n.type];
        if (defs) for (const c of n.children) if (c.named && (defs[0] === '' || defs.includes(c.field))) for (const x of this.identsOf(c)) if (x === v || boundNames.has(x)) ok = false;
        if (n.type === 'update_expression' || n.type === 'inc_statement' || n.type === 'dec_statement') for (const x of this.identsOf(n)) if (x === v || boundNames.has(x)) ok = false;
        const callee = this.t.call.has(n.type) ? field(n, 'function') : undefined;
        const m = callee ? this.methodOf(callee) : undefined;
        if (m && this.t.ident.has(m.obj.type) && boundNames.has(this.text(m.obj))) ok = false;
        for (const c of n.children) if (c.named) walk(c);
      };
      walk(body);
      if (!ok) continue;
      this.countingOf.set(w, { v, start: init.value, op, bound, update });
      this.skipped.add(stmts[k]);
      this.skipped.add(update);
      this.fn.counts.set(v, this.fn.counts.get(v)! - 1);
    }
  }

  /** The identifier names under `n`. */
  private identsOf(n: PNode): string[] {
    const out: string[] = [];
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (this.t.ident.has(x.type)) out.push(this.text(x));
      for (const ch of x.children) if (ch.named) stack.push(ch);
    }
    return out;
  }

  /** 'counting-while': the while `n` as the counted loop it stands for (countingWhiles), labelled and walked as cforParts walks one. */
  private countingWhile(n: PNode, c: { v: string; start: PNode; op: string; bound: PNode; update: PNode }, ctrl: number, st: State): { st: State; guard: number } {
    const body = field(n, 'body')!;
    // countingWhiles took the update as a unit step in the comparison's direction (unitStep), all the counted loop asks
    const counted = c.op === '<' || c.op === '<=' ? this.countedUp(c.v, c.start, c.op, c.bound, false) : this.countedDown(c.v, c.start, c.op, c.bound);
    const el = counted.shape && this.on('index-loop') ? this.countedElementLoop(counted, body, n, c.update) : undefined;
    if (el) {
      const acc = newAcc();
      this.elementLoop(n, el, counted.index, acc);
      acc.defs.push(counted.index);
      return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
    }
    this.canonOverride.set(n, 'loop:' + counted.canon);
    return this.loop(n, counted.acc, ctrl, st, (p, s) => this.branch(body, p, s));
  }

  /** for x in xs (python, ruby, js for-in/of) and go's for / for-range / for-clause. */
  private forStmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const body = field(n, 'body');
    const acc = newAcc();
    let target: PNode | undefined = field(n, 'left') ?? field(n, 'pattern');
    let iter: PNode | undefined = field(n, 'right') ?? field(n, 'value');
    if (this.t === TABLES.go) {
      const range = n.children.find((c) => c.type === 'range_clause');
      const clause = n.children.find((c) => c.type === 'for_clause');
      if (clause) return this.cforParts(n, field(clause, 'initializer'), field(clause, 'condition'), field(clause, 'update'), body, ctrl, st);
      if (range) {
        target = field(range, 'left');
        iter = field(range, 'right');
        // v2 'index-loop': `for i := range xs` reading only `xs[i]` is `for _, x := range xs`
        const idx = target?.type === 'expression_list' && namedCount(target) === 1 ? target.children.find((c) => c.named)! : undefined;
        const ok = idx && iter && body && this.t.ident.has(idx.type) && this.t.ident.has(iter.type) && this.v2 && this.on('index-loop');
        // `for i := range xs { if i >= len(ys) { break } ... xs[i] ... ys[i] }` is zip(xs, ys)
        const guard = ok ? this.zipGuard(body!, this.text(idx!)) : undefined;
        const el = !ok ? undefined : guard ? this.elementIndexLoop(this.text(idx!), { shape: 'zip', seqs: [iter!, guard.seq] }, body!, n, guard.stmt) : this.elementIndexLoop(this.text(idx!), { shape: 'elem', seqs: [iter!] }, body!, n) ?? (this.on('enumerate-index') ? this.elementIndexLoop(this.text(idx!), { shape: 'elem', seqs: [iter!] }, body!, n, undefined, true) : undefined);
        if (el && guard) this.skipped.add(guard.stmt);
        if (el) {
          this.elementLoop(n, el, this.text(idx!), acc);
          acc.defs.push(this.text(idx!));
          return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
        }
        // v2 'enumerate-index': `for i, x := range xs` is `for i, x in enumerate(xs)`
        const names = target?.type === 'expression_list' ? target.children.filter((c) => c.named) : [];
        // v2 'element-unpack': `for _, p := range ps` reading only p[0], p[1]
        if (names.length === 2 && iter && this.text(names[0]) === '_') this.unpackTarget(n, names[1], iter);
        // v2 'fill-loop': an index that only says where to fill is not read: `for _, x := range xs`
        if ((this.fillLoops.has(n) || this.indexFreeLoops.has(n)) && iter && names.length === 2 && this.t.ident.has(names[1].type)) {
          this.expr(iter, acc);
          acc.defs.push(this.text(names[1]));
          this.canonOverride.set(n, 'loop:' + this.canon(iter));
          return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
        }
        if (this.v2 && this.on('enumerate-index') && iter && names.length === 2 && names.every((x) => this.t.ident.has(x.type) && this.text(x) !== '_')) {
          this.expr(iter, acc);
          this.targets(target!, acc, false);
          bump(acc.bag, 'n:enumerate');
          this.canonOverride.set(n, 'loop:enumerate(' + this.canon(iter) + ')');
          return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
        }
      } else {
        const cond = n.children.find((c) => c.named && c !== body);
        if (cond) this.expr(cond, acc);
        return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
      }
    }
    // v2 'element-unpack': `for a, b in xs` / `for p in xs` reading only p[0], p[1]
    if (target && iter && this.t !== TABLES.go) this.unpackTarget(n, target, iter);
    // v2 'index-loop': index loops and enumerate with an unused index read as `for x in xs`
    if (!(target && iter && this.elementLoopHead(n, target, iter, body, acc))) {
      if (iter) this.expr(iter, acc);
      if (target) this.targets(target, acc, false);
    }
    const res = this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
    const orelse = field(n, 'alternative');
    if (orelse) res.st = this.branch(orelse, ctrl, res.st);
    return res;
  }

  private cfor(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    return this.cforParts(n, field(n, 'initializer'), field(n, 'condition'), field(n, 'increment'), field(n, 'body'), ctrl, st);
  }

  private cforParts(n: PNode, init: PNode | undefined, cond: PNode | undefined, update: PNode | undefined, body: PNode | undefined, ctrl: number, st: State): { st: State; guard: number } {
    const counted = this.countedLoop(init, cond, update);
    // v2 'index-loop': `for (i = 0; i < xs.length; i++)` reading only `xs[i]` is `for x of xs`
    const el = counted?.shape && body && this.v2 && this.on('index-loop') ? this.countedElementLoop(counted, body, n) : undefined;
    if (counted && el) {
      const acc = newAcc();
      this.elementLoop(n, el, counted.index, acc);
      acc.defs.push(counted.index);
      return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s));
    }
    if (counted) {
      if (this.v2) this.canonOverride.set(n, 'loop:' + counted.canon);
      return this.loop(n, counted.acc, ctrl, st, (p, s) => this.branch(body, p, s));
    }
    if (init) st = this.stmt(init, ctrl, st).st;
    const acc = this.condAcc(cond);
    // v2 'loop-forms': go's clause loop is labelled by its condition, as js's `for (;;)` and a while are
    if (this.v2 && cond && this.t === TABLES.go && this.on('loop-forms')) this.canonOverride.set(n, 'loop:' + this.canon(cond));
    return this.loop(n, acc, ctrl, st, (p, s) => this.branch(body, p, s), update ? (p, s) => this.stmt(update, p, s ?? new Map()).st : undefined);
  }

  /** A counted loop over a sequence's indices as an element loop (indexLoop's rules, for js/go counted loops; `skip`: a counting while's update). */
  private countedElementLoop(counted: CountedLoop, body: PNode, n: PNode, skip?: PNode): ElementLoop | undefined {
    const shape = counted.shape!;
    if (counted.reverse && !this.on('reverse-loop')) return undefined;
    const el = this.elementIndexLoop(counted.index, shape, body, n, skip) ?? (shape.fromOne ? this.elementIndexLoop(counted.index, { ...shape, shape: 'elem' }, body, n, skip) : undefined) ?? (shape.shape === 'elem' && this.on('enumerate-index') ? this.elementIndexLoop(counted.index, shape, body, n, skip, true) : undefined);
    return el && counted.reverse ? { ...el, reverse: true } : el;
  }

  /**
   * `for (i = a; i < b; i++)` is the counted loop `for i in range(a, b)`: one loop node
   * defining i, labelled like Python's range loop (`i <= b` as range(a, b + 1)), so
   * counted loops compare equal across languages. Other C-style loops stay general.
   */
  private countedLoop(init: PNode | undefined, cond: PNode | undefined, update: PNode | undefined): CountedLoop | undefined {
    if (!init || !cond || !update) return undefined;
    // the single variable the initializer defines, and its start value
    let decl: PNode | undefined = init;
    if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      const ds = decl.children.filter((c) => c.type === 'variable_declarator');
      if (ds.length !== 1) return undefined;
      decl = ds[0];
    } else if (decl.type === 'expression_statement') decl = decl.children.find((c) => c.named);
    if (!decl) return undefined;
    let target = field(decl, 'name') ?? field(decl, 'left');
    let start = field(decl, 'value') ?? field(decl, 'right');
    if (target?.type === 'expression_list') target = namedCount(target) === 1 ? target.children.find((c) => c.named) : undefined;
    if (start?.type === 'expression_list') start = namedCount(start) === 1 ? start.children.find((c) => c.named) : undefined;
    if (!target || !start || !this.t.ident.has(target.type)) return undefined;
    const v = this.text(target);
    // condition: v < bound or v <= bound
    let c = cond;
    if (c.type === 'parenthesized_expression') c = c.children.find((x) => x.named) ?? c;
    const left = field(c, 'left');
    const right = field(c, 'right');
    const op = field(c, 'operator');
    let u = update;
    if (u.type === 'expression_statement') u = u.children.find((x) => x.named) ?? u;
    const ut = this.text(u).replace(/\s+/g, '');
    if (!left || !right || !op) return undefined;
    // up (below a bound) by one, or down (above one) by one
    const below = op.type === '<' || op.type === '<=';
    if (!unitStep(ut, v, below)) return undefined;
    // v2: `v + 1 < b` is `v < b - 1`; `for (v = a; v >= b; v--)` is `range(a, b - 1, -1)`
    if (this.v2 && below && this.text(left).replace(/\s+/g, '') === v + '+1') return this.countedUp(v, start, op.type, right, true);
    if (this.v2 && (op.type === '>' || op.type === '>=') && this.text(left) === v) return this.countedDown(v, start, op.type, right);
    if (this.text(left) !== v || !below) return undefined;
    return this.countedUp(v, start, op.type, right, false);
  }

  /** `for (v = start; v < bound; v++)` (`minusOne`: the condition was `v + 1 < bound`) as `range(start, bound)`; the step checked by the caller (unitStep). */
  private countedUp(v: string, start: PNode, op: string, right: PNode, minusOne: boolean): CountedLoop {
    const acc = newAcc();
    bump(acc.bag, 'n:range');
    if (this.text(start) !== '0') this.expr(start, acc);
    this.expr(right, acc);
    if (op === '<=' || minusOne) {
      bump(acc.bag, op === '<=' ? 'op:+' : 'op:-');
      bump(acc.bag, 'lit:1');
    }
    acc.defs.push(v);
    // v2: the canonical text of python's `range(start, bound)` (`range(start, bound + 1)` for <=)
    let bound = this.v2 ? this.canon(right) : '';
    if (op === '<=' && !minusOne) bound = binaryCanon('+', bound, '1', this.off);
    if (op === '<' && minusOne) bound = binaryCanon('-', bound, '1', this.off);
    // from 0 below a length: the bound as an element-loop shape (v2 'index-loop')
    const len = minusOne && this.lenOf(right);
    let shape: CountedLoop['shape'] = !this.v2 || this.text(start) !== '0' || op !== '<' ? undefined : minusOne ? (len ? { shape: 'pairs' as const, seqs: [len] } : undefined) : this.boundShape(right);
    // 'pairs-from-one': `for (i = 1; i < xs.length; i++)` reading xs[i - 1] and xs[i] walks the adjacent pairs
    const from1 = this.v2 && this.text(start) === '1' && op === '<' && !minusOne && this.on('pairs-from-one') ? this.lenOf(right) : undefined;
    if (from1) shape = { shape: 'pairs', seqs: [from1], fromOne: true };
    return { acc, canon: 'range(' + (this.text(start) !== '0' ? this.canon(start) + ',' : '') + bound + ')', index: v, shape };
  }

  /** v2: `for (v = start; v >= low; v--)` as python's `range(start, low - 1, -1)` (`>`: `range(start, low, -1)`); the step checked by the caller (unitStep). */
  private countedDown(v: string, start: PNode, op: string, low: PNode): CountedLoop {
    const acc = newAcc();
    bump(acc.bag, 'n:range');
    this.expr(start, acc);
    let stop = this.canon(low);
    const lowText = this.text(low).replace(/\s+/g, '');
    if (op === '>=' && /^-?\d+$/.test(lowText)) {
      // a literal bound: python writes the stop value (`-1` is the operator - and 1)
      const k = Number(lowText) - 1;
      stop = String(k);
      if (k < 0) bump(acc.bag, 'op:-');
      bump(acc.bag, 'lit:' + Math.abs(k));
    } else {
      this.expr(low, acc);
      if (op === '>=') {
        stop = binaryCanon('-', stop, '1', this.off);
        bump(acc.bag, 'op:-');
        bump(acc.bag, 'lit:1');
      }
    }
    // the step -1
    bump(acc.bag, 'op:-');
    bump(acc.bag, 'lit:1');
    acc.defs.push(v);
    // from the last index of xs down to 0: the indices of reversed(xs) (v2 'reverse-loop')
    const xs = this.lastIndexOf(start);
    const toZero = (op === '>=' && lowText === '0') || (op === '>' && lowText === '-1');
    const shape = xs && toZero ? { shape: 'elem' as const, seqs: [xs] } : undefined;
    return { acc, canon: 'range(' + this.canon(start) + ',' + stop + ',-1)', index: v, shape, reverse: !!shape };
  }

  private switchStmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const chain = this.conditionCases(n);
    if (chain) {
      const special = this.boolSwitch(n, chain, field(n, 'value'), ctrl, st);
      if (special) return special;
      const first = this.caseChain(chain, 0, ctrl, st, field(n, 'value'));
      return { st: first.st, guard: first.guard };
    }
    const acc = newAcc();
    const value = field(n, 'value') ?? field(n, 'subject');
    if (value) this.expr(value, acc);
    const init = field(n, 'initializer');
    if (init) st = this.stmt(init, ctrl, st).st;
    const r = this.emit(n, 'switch', acc, ctrl, st);
    const p = r.id < 0 ? ctrl : r.id;
    const ctx: LoopCtx = { isSwitch: true, breaks: [], conts: [] };
    this.fn.loops.push(ctx);
    const j0 = this.jumps;
    // Cases sit directly under the switch, or in a body (js switch_body, python block).
    const bodyNode = field(n, 'body');
    const cases = (bodyNode ?? n).children.filter((c) => CASE_TYPES.has(c.type));
    const outs: State[] = [];
    let hasDefault = false;
    for (const c of cases) {
      const isDefault = c.type === 'default_case' || c.type === 'switch_default' || c.type === 'else';
      hasDefault ||= isDefault;
      const cacc = newAcc();
      const bodyParts: PNode[] = [];
      for (const ch of c.children) {
        if (!ch.named) continue;
        if (ch.field === 'value' || ch.field === 'pattern' || ch.type === 'case_pattern' || ch.field === 'type' || ch.field === 'guard') this.expr(ch, cacc);
        else bodyParts.push(ch);
      }
      const cr = this.emit(c, 'case', cacc, p, copyState(r.st));
      const q = cr.id < 0 ? p : cr.id;
      const stmts = bodyParts.flatMap((b) => (this.role(b) === 'block' || b.type === 'then' ? this.stmtsOf(b) : [b]));
      outs.push(this.block(stmts, q, cr.st));
    }
    this.fn.loops.pop();
    this.jumps = j0;
    const out = merge(...outs, ...ctx.breaks, hasDefault ? null : r.st);
    return { st: out, guard: p };
  }

  /**
   * v2 'switch-if': go's `switch { case c1: A; case c2: B; default: C }` is `if c1: A /
   * elif c2: B / else: C`, when no case breaks or falls through (each case one condition,
   * a default only last). Returns the cases, else undefined.
   */
  private conditionCases(n: PNode): PNode[] | undefined {
    if (!this.v2 || !this.on('switch-if') || this.t !== TABLES.go || n.type !== 'expression_switch_statement' || field(n, 'initializer')) return undefined;
    // v2 'value-switch': `switch x { case a, b: ... }` is the chain `if x in [a, b]: ...`
    const subject = field(n, 'value');
    if (subject && !this.on('value-switch')) return undefined;
    const cases = n.children.filter((c) => c.named && c.type !== 'comment' && c !== subject);
    if (cases.length === 0) return undefined;
    for (let k = 0; k < cases.length; k++) {
      const c = cases[k];
      const nv = field(c, 'value')?.children.filter((x) => x.named).length ?? 0;
      if (c.type === 'default_case' ? k !== cases.length - 1 : c.type !== 'expression_case' || nv === 0 || (!subject && nv !== 1)) return undefined;
    }
    const jumps = (x: PNode): boolean => x.type === 'break_statement' || x.type === 'fallthrough_statement' || x.children.some((c) => c.named && jumps(c));
    return cases.some(jumps) ? undefined : cases;
  }

  /** Cases k.. of a condition switch as an if/elif chain under `ctrl` (as ifStmt and alternatives build one). */
  private caseChain(cases: PNode[], k: number, ctrl: number, st: State, subject?: PNode): { st: State; guard: number } {
    const c = cases[k];
    const stmts = c.children.filter((x) => x.named && x.field !== 'value').flatMap((b) => (this.role(b) === 'block' ? this.stmtsOf(b) : [b]));
    if (c.type === 'default_case') return { st: this.block(stmts, ctrl, copyState(st)), guard: -1 };
    const cc = this.caseCond(c, subject);
    const acc = cc.acc;
    let canon = cc.canon;
    // like python's `if`: a plain else (a lone default after the first case) may swap under negation
    const flip = k === 0 && cases.length === 2 && cases[1].type === 'default_case' && this.on('if-swap') && negativeCanon(canon);
    if (flip) canon = negateCanon(canon, this.off);
    this.canonOverride.set(c, 'if:' + canon);
    const r = this.emit(c, 'if', acc, ctrl, st);
    const p = r.id < 0 ? ctrl : r.id;
    this.sideOf.set(p, flip ? 'F' : 'T');
    const s1 = this.block(stmts, p, copyState(r.st));
    this.sideOf.set(p, flip ? 'T' : 'F');
    const s2 = k + 1 < cases.length ? this.caseChain(cases, k + 1, p, r.st, subject).st : r.st;
    this.sideOf.set(p, 'F');
    return { st: merge(s1, s2), guard: p };
  }

  /** The condition of case `c` (features, canonical text); `subject`: a value switch's value ('value-switch'). */
  private caseCond(c: PNode, subject: PNode | undefined): { acc: Acc; canon: string } {
    const values = field(c, 'value')!.children.filter((x) => x.named);
    const cond = values[0];
    let acc: Acc;
    let canon: string;
    if (subject) {
      // 'value-switch': `case a:` is `x == a`, `case a, b:` is `x in [a, b]`
      acc = newAcc();
      this.expr(subject, acc);
      for (const v of values) this.expr(v, acc);
      const x = this.canon(subject);
      if (values.length === 1) {
        if (!this.on('bag-comparisons')) bump(acc.bag, 'op:==');
        canon = binaryCanon('==', x, this.canon(cond), this.off);
      } else {
        bump(acc.bag, 'op:in');
        bump(acc.bag, 'coll:list');
        canon = 'in(' + x + ',list(' + values.map((v) => this.canon(v)).join(',') + '))';
      }
    } else {
      acc = this.condAcc(cond);
      canon = this.canon(cond);
    }
    return { acc, canon };
  }

  /**
   * v2 'bool-return' on a case chain: `switch { case c: return true; default: return false }`
   * is `return c` (`return not c` when it returns false first), as for an if.
   */
  private boolSwitch(n: PNode, cases: PNode[], subject: PNode | undefined, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.on('bool-return') || cases.length !== 2 || cases[1].type !== 'default_case') return undefined;
    const lit = (c: PNode): boolean | undefined => {
      const stmts = c.children.filter((x) => x.named && x.field !== 'value').flatMap((b) => (this.role(b) === 'block' ? this.stmtsOf(b) : [b]));
      const m = stmts.length === 1 && this.role(stmts[0]) === 'return' ? /^return\s*\(?\s*(true|false)\s*\)?\s*;?$/.exec(this.text(stmts[0]).trim()) : null;
      return m ? m[1] === 'true' : undefined;
    };
    const b = lit(cases[0]);
    if (b === undefined || lit(cases[1]) !== !b) return undefined;
    const { acc, canon } = this.caseCond(cases[0], subject);
    if (!this.booleanCanon(canon)) return undefined;
    this.canonOverride.set(n, 'return:' + (b ? canon : negateCanon(canon, this.off)));
    this.emit(n, 'return', acc, ctrl, st);
    this.returns++;
    return { st: null, guard: -1 };
  }

  /** try/except/else/finally, begin/rescue/ensure, try/catch/finally. */
  private tryLike(parts: PNode[], ctrl: number, st: State): State {
    const t = this.node(this.synth(parts[0], 'try'), 'try', new Map(), ctrl);
    const p = t < 0 ? ctrl : t;
    const body: PNode[] = [];
    const handlers: PNode[] = [];
    let orelse: PNode | undefined;
    let fin: PNode | undefined;
    for (const c of parts) {
      if (c.type === 'except_clause' || c.type === 'catch_clause' || c.type === 'rescue' || c.type === 'except_group_clause') handlers.push(c);
      else if (c.type === 'else_clause' || c.type === 'else') orelse = c;
      else if (c.type === 'finally_clause' || c.type === 'ensure') fin = c;
      else if (c.field === 'body' || this.role(c) === 'block') body.push(...this.stmtsOf(c));
      else body.push(c);
    }
    let sBody = this.block(body, p, copyState(st));
    const outs: State[] = [];
    for (const h of handlers) {
      const acc = newAcc();
      const hb: PNode[] = [];
      for (const c of h.children) {
        if (!c.named) continue;
        if (c.type === 'block' || c.type === 'then' || c.type === 'statement_block' || c.field === 'body') hb.push(...this.stmtsOf(c));
        else if (c.type === 'as_pattern') this.exprOrTargets(c, acc); // except E as e: E read, e bound
        else if (c.field === 'parameter' || c.type === 'exception_variable' || c.field === 'alias') this.targets(c, acc, false);
        else this.expr(c, acc);
      }
      const hr = this.emit(h, 'catch', acc, p, merge(st, sBody));
      outs.push(this.block(hb, hr.id < 0 ? p : hr.id, hr.st));
    }
    if (orelse) sBody = this.branch(orelse, p, sBody);
    let out = merge(sBody, ...outs);
    if (fin) out = this.branch(fin, ctrl, out ?? new Map());
    return out;
  }

  /** A stable stand-in syntax node for a graph node that has no syntax node of its own. */
  private synthOf = new Map<PNode | undefined, Map<string, PNode>>();
  /** An expression node `n` that reads as `name.append(value)` (fill loops, best-so-far folds). */
  private emitAppend(n: PNode, name: string, value: PNode, ctrl: number, st: State): State {
    const acc = newAcc();
    bump(acc.bag, 'n:append');
    this.ident(name, acc);
    this.expr(value, acc);
    acc.weakDefs.push(name);
    this.canonOverride.set(n, 'expr:' + this.methodCanon(this.identCanon(name), 'append', [this.canon(value)]));
    return this.emit(n, 'expr', acc, ctrl, st).st;
  }

  /** 'extreme-chain', 'min-max': the if chain `n` as `return min(x1, ..., xk)` or `v = min(x1, ..., xk)` (extremeChains, minMaxReturns). */
  private extremeChain(n: PNode, ex: { which: 'min' | 'max'; target?: PNode; cands: PNode[] }, ctrl: number, st: State): { st: State; guard: number } {
    const acc = newAcc();
    bump(acc.bag, 'n:' + ex.which);
    for (const c of ex.cands) this.expr(c, acc);
    const value = this.callCanon(ex.which, ex.cands.map((c) => this.canon(c)));
    if (!ex.target) {
      this.canonOverride.set(n, 'return:' + value);
      this.emit(n, 'return', acc, ctrl, st);
      this.returns++;
      return { st: null, guard: -1 };
    }
    acc.defs.push(this.text(ex.target));
    this.canonOverride.set(n, '=(,' + value + ')');
    const r = this.emit(n, 'assign', acc, ctrl, st);
    this.noteTemp(ex.target, value, r.id);
    return { st: r.st, guard: -1 };
  }

  /** A return node `n` of `value` under `ctrl`, labelled by the value's canonical form (as a returned expression is). */
  private emitReturn(n: PNode, value: PNode, ctrl: number, st: State): void {
    const acc = newAcc();
    this.expr(value, acc);
    this.canonOverride.set(n, 'return:' + this.canon(value));
    this.emit(n, 'return', acc, ctrl, st);
  }

  private synth(anchor: PNode | undefined, tag: string): PNode {
    let m = this.synthOf.get(anchor);
    if (!m) this.synthOf.set(anchor, (m = new Map()));
    let s = m.get(tag);
    if (!s) m.set(tag, (s = { type: tag, named: true, field: '', start: -1, end: -1, children: [] }));
    return s;
  }

  private withStmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const acc = newAcc();
    for (const c of n.children) if (c.named && c.field !== 'body') this.exprOrTargets(c, acc);
    const r = this.emit(n, 'with', acc, ctrl, st);
    return { st: this.branch(field(n, 'body'), ctrl, r.st), guard: -1 };
  }

  private exprOrTargets(n: PNode, acc: Acc): void {
    if (n.type === 'as_pattern') {
      for (const c of n.children) {
        if (!c.named) continue;
        if (c.field === 'alias') this.targets(c, acc, false);
        else this.expr(c, acc);
      }
      return;
    }
    if (n.type === 'with_clause' || n.type === 'with_item') {
      for (const c of n.children) if (c.named) this.exprOrTargets(c, acc);
      return;
    }
    this.expr(n, acc);
  }

  private vardecl(n: PNode, ctrl: number, st: State): State {
    for (const d of n.children) {
      if (!d.named) continue;
      if (d.type === 'variable_declarator' && this.isLambdaBinding(d)) {
        this.func(field(d, 'value')!, this.text(field(d, 'name')!));
        continue;
      }
      if (d.type !== 'variable_declarator' && d.type !== 'var_spec' && d.type !== 'const_spec' && d.type !== 'var_spec_list') continue;
      if (this.deadStores.size && this.deadStores.has(d.start + ':' + d.end)) continue;
      if (d.type === 'var_spec_list') {
        st = this.vardecl(d, ctrl, st);
        continue;
      }
      const acc = newAcc();
      for (const c of d.children) {
        if (!c.named) continue;
        if (c.field === 'name') this.targets(c, acc, false);
        else if (c.field === 'value') this.expr(c, acc);
      }
      const clamp = this.clampOf.get(d);
      if (clamp) Object.assign(acc, this.clampAcc(acc, clamp.which, clamp.other, clamp.more));
      const zero = this.goZero(d);
      if (zero) bump(acc.bag, zero.feature);
      // v2 'string-builder': go's `var b strings.Builder` is `b = ''`
      const nm = field(d, 'name');
      if (this.v2 && this.on('string-builder') && d.type === 'var_spec' && !field(d, 'value') && nm && field(d, 'type') && this.text(field(d, 'type')!) === 'strings.Builder') {
        this.builders.add(this.text(nm));
        this.canonOverride.set(d, '=(,s:)');
        bump(acc.bag, 'lit:s:');
      }
      st = this.emit(d, 'assign', acc, ctrl, st).st;
    }
    return st;
  }

  /** An expression used as a statement: assignment, update, call, implicit return... */
  private exprStmt(n: PNode, ctrl: number, st: State): { st: State; guard: number } {
    let e = n;
    // unwrap expression_statement-like wrappers
    while ((e.type === 'expression_statement' || e.type === 'parenthesized_expression') && e.children.some((c) => c.named)) {
      const inner = e.children.filter((c) => c.named);
      if (inner.length !== 1) break;
      e = inner[0];
    }
    const implicit = this.fn.implicit.has(n) || this.fn.implicit.has(e);
    // a statement-level node reached through a wrapper (e.g. ERROR > if_statement)
    if (e !== n && this.role(e) !== undefined && this.role(e) !== 'expr') return this.stmt(e, ctrl, st);
    // v2 'ruby-returns': a last `xs.any? { ... }` / `c ? a : b` is the return statement python writes
    if (implicit && this.t === TABLES.ruby && this.v2 && this.on('ruby-returns')) {
      const special = this.rubySearchReturn(n, e, ctrl, st) ?? this.rubyTernaryReturn(e, ctrl, st);
      if (special) return special;
    }
    // Ruby/JS iteration with a block: arr.each { |x| ... }, xs.forEach(x => ...)
    const iter = this.iterCall(e);
    if (iter && !implicit) return this.iterLoop(e, iter, ctrl, st);
    // ruby `out << x` as a statement appends to out
    if (this.t === TABLES.ruby && e.type === 'binary' && field(e, 'operator')?.type === '<<') {
      const acc = newAcc();
      bump(acc.bag, 'n:append');
      const l = field(e, 'left');
      const r = field(e, 'right');
      if (l) this.expr(l, acc);
      if (r) this.expr(r, acc);
      if (l && this.t.ident.has(l.type) && this.fn.locals.has(this.text(l))) acc.weakDefs.push(this.text(l));
      // v2 'ruby-calls': `out << e` is `out.append(e)`
      if (l && r && !implicit && this.v2 && this.on('ruby-calls')) this.canonOverride.set(n, 'expr:' + this.methodCanon(this.canon(l), 'append', [this.canon(r)]));
      return { st: this.emit(n, implicit ? 'return' : 'expr', acc, ctrl, st).st, guard: -1 };
    }
    if (this.isLambdaBinding(e)) {
      this.func(field(e, 'right')!, this.text(field(e, 'left')!));
      return { st, guard: -1 };
    }
    // v2 'conditional-assign': `v = a if c else b` is the if/else of assignments; `a = b = 0` two assignments
    const split = this.v2 && !implicit ? this.splitAssign(n, e, ctrl, st) ?? this.parallelAssign(n, e, ctrl, st) : undefined;
    if (split) return split;
    const c = this.memoized(n, () => this.classify(e, implicit));
    if (!c) return { st, guard: -1 };
    let { acc } = c;
    let kind = c.kind;
    // v2 'append-call': go's `out = append(out, x)` is the statement `out.append(x)`
    const app = this.v2 && this.on('append-call') ? this.appendAssign(e) : undefined;
    if (app) {
      kind = 'expr';
      this.canonOverride.set(n, 'expr:' + this.methodCanon(this.canon(app[0]), 'append', app[1].map((a) => this.canon(a))));
    }
    // v2 'multi-append': python's `out.extend([a, b])` (a list or tuple display) is `out.append(a, b)`
    const ext = !app && this.v2 && this.on('multi-append') ? this.extendDisplay(e) : undefined;
    if (ext) {
      const bag = copyMap(acc.bag);
      for (const k of ['n:concat', 'coll:list']) if (bag.has(k)) bag.get(k) === 1 ? bag.delete(k) : bag.set(k, bag.get(k)! - 1);
      bump(bag, 'n:append');
      acc = { ...acc, bag };
      this.canonOverride.set(n, 'expr:' + this.methodCanon(this.canon(ext[0]), 'append', ext[1].map((a) => this.canon(a))));
    }
    const clamp = this.clampOf.get(e);
    if (clamp) acc = this.clampAcc(acc, clamp.which, clamp.other, clamp.more);
    // v2 'string-builder': `b.WriteString(x)` (WriteRune, WriteByte) on a strings.Builder is `b += x`
    const w = this.builderWrite(e);
    if (w) {
      kind = 'aug';
      this.canonOverride.set(n, 'upd+(,' + this.canon(w[1]) + ')');
      const bag = copyMap(acc.bag);
      bag.delete('n:' + w[2]);
      bump(bag, 'op:+');
      acc = { ...acc, bag, defs: [...acc.defs, w[0]] };
    }
    // v2 'ruby-returns': the last expression is returned whole (`return:<its text>`, as python's return)
    if (kind === 'return' && implicit && this.t === TABLES.ruby && this.v2 && this.on('ruby-returns') && !this.canonOverride.has(n)) this.canonOverride.set(n, 'return:' + this.canon(e));
    // v2 'ruby-calls': a call statement is its call's text (`out.push(x)` = python's `out.append(x)`)
    if (kind === 'expr' && n === e && this.t === TABLES.ruby && this.t.call.has(e.type) && this.v2 && this.on('ruby-calls') && !this.canonOverride.has(n)) this.canonOverride.set(n, 'expr:' + this.canon(e));
    const r = this.emit(n, kind, acc, ctrl, st);
    if (kind === 'return' || kind === 'throw') {
      this.returns++;
      return { st: null, guard: -1 };
    }
    return { st: r.st, guard: -1 };
  }

  /**
   * v2 'clamp' on the variable itself: `if b > v: v = b` (or `v < b`; no else, only that
   * assignment, b the same text as in the condition) is `v = max(v, b)`; `if b < v: v = b`
   * is `v = min(v, b)` (clampIf), v a local. Returns v's node, b's node and which.
   */
  private selfClamp(n: PNode): { target: PNode; value: PNode; which: 'min' | 'max' } | undefined {
    const c = this.clampIf(n);
    const target = c && this.fn.locals.has(c.set.name) ? field(c.set.expr, 'left') ?? field(c.set.expr, 'name') : undefined;
    return c && target ? { target, value: c.set.value, which: c.which } : undefined;
  }

  /**
   * v2 'clamp': the if `n` (no else, not `unless`, no go initializer) whose one statement
   * is `v = b` (ruby's `v = b if c` holds it as its body), under the comparison `cond`
   * (n's condition, or the part of it the caller reads: foldUpdate's go guard) of b with
   * v, both by text: `b > v` / `v < b` raise v to b (max); `b < v` / `v > b` lower it
   * (min). The assignment and which, else undefined (selfClamp, foldUpdate).
   */
  private clampIf(n: PNode, cond: PNode | undefined = field(n, 'condition') && this.unparen(field(n, 'condition')!)): { set: { expr: PNode; name: string; value: PNode }; which: 'min' | 'max' } | undefined {
    if (fields(n, 'alternative').length || n.type === 'unless' || n.type === 'unless_modifier' || field(n, 'initializer')) return undefined;
    const cons = n.type === 'if_modifier' ? field(n, 'body') : field(n, 'consequence');
    const body = cons ? this.innerStmts(cons) : [];
    const set = body.length === 1 ? this.plainAssign(body[0]) : undefined;
    const parts = set && cond && binaryParts(cond);
    if (!set || !parts) return undefined;
    const [op, l, r] = parts;
    const up = op === '>' || op === '>=' ? 'max' : op === '<' || op === '<=' ? 'min' : undefined;
    const b = this.text(set.value).trim();
    if (up && this.text(l).trim() === b && this.text(r).trim() === set.name) return { set, which: up };
    if (up && this.text(r).trim() === b && this.text(l).trim() === set.name) return { set, which: up === 'max' ? 'min' : 'max' };
    return undefined;
  }

  /**
   * v2 'conditional-assign': python's `v = a if c else b` (js/go/ruby `v = c ? a : b`) is
   * `if c: v = a` / `else: v = b` (if-swap as for an if statement); a chained `a = b = e`
   * (e a literal or a name: nothing shared that could be mutated) is `a = e` and `b = e`.
   * One identifier target, plain `=`. Each branch's assignment is labelled as assignCanon
   * labels it (`v = v op y` is the update `upd<op>(,y)`).
   */
  private splitAssign(n: PNode, e: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.on('conditional-assign') || (e.type !== 'assignment' && e.type !== 'assignment_expression')) return undefined;
    const target = field(e, 'left');
    const value = field(e, 'right');
    if (!target || !value || !this.t.ident.has(target.type) || e.children.some((c) => !c.named && c.type !== '=')) return undefined;
    const v = this.unparen(value);
    if (v.type === 'assignment' || v.type === 'assignment_expression') {
      // a = b = e
      const names: PNode[] = [target];
      let x = v;
      while (x.type === 'assignment' || x.type === 'assignment_expression') {
        const t = field(x, 'left');
        if (!t || !this.t.ident.has(t.type) || x.children.some((c) => !c.named && c.type !== '=')) return undefined;
        names.push(t);
        const r = field(x, 'right');
        if (!r) return undefined;
        x = this.unparen(r);
      }
      if (!this.t.literal[x.type] && !this.t.ident.has(x.type)) return undefined;
      for (const t of names) st = this.assignNode(this.synth(n, 'chain:' + this.text(t) + ':' + t.start), t, x, ctrl, st);
      return { st, guard: -1 };
    }
    const parts = this.ternaryParts(v);
    if (!parts) return undefined;
    const [cond, yes, no] = parts;
    const acc = this.condAcc(cond);
    let c = this.canon(cond);
    const flip = this.on('if-swap') && negativeCanon(c);
    if (flip) c = negateCanon(c, this.off);
    const test = this.synth(n, 'cond-if');
    this.canonOverride.set(test, 'if:' + c);
    const r = this.emit(test, 'if', acc, ctrl, st);
    const p = r.id < 0 ? ctrl : r.id;
    this.sideOf.set(p, flip ? 'F' : 'T');
    const s1 = this.assignNode(this.synth(n, 'cond-yes'), target, yes, p, copyState(r.st));
    this.sideOf.set(p, flip ? 'T' : 'F');
    const s2 = this.assignNode(this.synth(n, 'cond-no'), target, no, p, copyState(r.st));
    this.sideOf.set(p, 'F');
    return { st: merge(s1, s2), guard: -1 };
  }

  /**
   * v2 'parallel-assign': `a, b = x, y` (go `a, b := x, y`) is `a = x; b = y` when no right
   * side reads a name on the left (then the order does not matter); plain identifiers,
   * equal counts, `=` or `:=`. Each is an assignment statement (a temporary if read once).
   */
  private parallelAssign(n: PNode, e: PNode, ctrl: number, st: State): { st: State; guard: number } | undefined {
    if (!this.on('parallel-assign')) return undefined;
    const pyPair = this.t === TABLES.python && e.type === 'assignment';
    const goPair = this.t === TABLES.go && (e.type === 'assignment_statement' || e.type === 'short_var_declaration');
    if (!pyPair && !goPair) return undefined;
    const l = field(e, 'left');
    const r = field(e, 'right');
    if (!l || !r || e.children.some((c) => !c.named && c.type !== '=' && c.type !== ':=')) return undefined;
    if (pyPair && !((l.type === 'pattern_list' || l.type === 'tuple_pattern') && (r.type === 'expression_list' || r.type === 'tuple'))) return undefined;
    if (goPair && (l.type !== 'expression_list' || r.type !== 'expression_list')) return undefined;
    const ts = l.children.filter((c) => c.named);
    const vs = r.children.filter((c) => c.named);
    if (ts.length < 2 || ts.length !== vs.length || !ts.every((t) => this.t.ident.has(t.type) && this.text(t) !== '_')) return undefined;
    if (vs.some((v) => ts.some((t) => this.identIn(v, this.text(t))))) return undefined;
    for (let k = 0; k < ts.length; k++) st = this.assignNode(this.synth(n, 'par:' + k), ts[k], vs[k], ctrl, st, true);
    return { st, guard: -1 };
  }

  /** A synthetic statement `target = value` (kind and label as an assignment statement's: an update `v = v op y` is `upd<op>(,y)`). */
  private assignNode(node: PNode, target: PNode, value: PNode, ctrl: number, st: State, temp = false): State {
    const fold = this.foldInits.get(target);
    if (fold) return fold.skip ? st : this.foldInitAssign(node, fold, ctrl, st);
    const acc = newAcc();
    const name = this.text(target);
    const v = this.unparen(value);
    const opN = field(v, 'operator');
    const l = field(v, 'left');
    const r = field(v, 'right');
    const op = opN ? OPERATORS[opN.type] : undefined;
    let canon = '=(,' + this.canon(value) + ')';
    let kind: Kind = 'assign';
    if (op && ARITH.has(op) && l && r && this.on('update-form')) {
      if (this.text(l) === name) canon = 'upd' + op + '(,' + this.canon(r) + ')';
      else if ((COMMUTATIVE.has(op) || op === '+') && this.text(r) === name && looksNumeric(this.canon(l))) canon = 'upd' + op + '(,' + this.canon(l) + ')';
    }
    this.expr(value, acc);
    if (acc.uses.includes(name)) kind = 'aug';
    acc.defs.push(name);
    this.canonOverride.set(node, canon);
    const made = this.emit(node, kind, acc, ctrl, st);
    // `temp`: a plain assignment that may be a temporary folded into its reader (parallelAssign)
    if (temp && kind === 'assign' && canon.startsWith('=(,')) this.noteTemp(target, canon.slice(3, -1), made.id);
    return made.st;
  }

  /** 'clamp': the features of `v = min(a, b)` from those of `v = a` (a copy: `acc` may be memoised). */
  private clampAcc(acc: Acc, which: string, other: PNode | undefined, more: PNode[] = []): Acc {
    const out: Acc = { ...acc, bag: copyMap(acc.bag), uses: [...acc.uses], calls: [...acc.calls] };
    bump(out.bag, 'n:' + which);
    if (other) this.expr(other, out);
    for (const m of more) this.expr(m, out);
    return out;
  }

  /** Go `b.WriteString(x)` on a strings.Builder `b` of this function: [b, x, canonical method name]. */
  private builderWrite(e: PNode): [string, PNode, string] | undefined {
    if (this.builders.size === 0 || e.type !== 'call_expression') return undefined;
    const callee = field(e, 'function');
    const m = callee && this.methodOf(callee);
    const args = field(e, 'arguments')?.children.filter((c) => c.named) ?? [];
    if (!m || !this.builders.has(this.text(m.obj)) || !/^write(string|rune|byte)$/.test(m.name) || args.length !== 1) return undefined;
    return [this.text(m.obj), args[0], m.name];
  }

  /** Go `b.String()` on a strings.Builder of this function: b. */
  private builderRead(callee: PNode | undefined, nargs: number): PNode | undefined {
    const m = nargs === 0 && this.builders.size && callee ? this.methodOf(callee) : undefined;
    return m && m.name === canonName('String') && this.builders.has(this.text(m.obj)) ? m.obj : undefined;
  }

  /** Go `xs = append(xs, x)` (one element, not `x...`): [xs, x]; else undefined. */
  private appendAssign(e: PNode): [PNode, PNode[]] | undefined {
    if (this.t !== TABLES.go || e.type !== 'assignment_statement' || e.children.some((c) => !c.named && c.type !== '=')) return undefined;
    const one = (x: PNode | undefined): PNode | undefined => {
      const named = x?.children.filter((c) => c.named) ?? [];
      return x?.type === 'expression_list' && named.length === 1 ? named[0] : undefined;
    };
    const target = one(field(e, 'left'));
    const call = one(field(e, 'right'));
    const args = call ? this.callArgs(call, 'append') : [];
    // v2 'multi-append': `out = append(out, a, b)` appends a then b, as js's `out.push(a, b)`
    if (!target || !this.t.ident.has(target.type) || args.length < 2 || (args.length > 2 && !this.on('multi-append')) || !this.t.ident.has(args[0].type) || this.text(args[0]) !== this.text(target) || args.some((a) => a.type === 'variadic_argument')) return undefined;
    return [target, args.slice(1)];
  }

  /** v2 'multi-append': python's `out.extend([a, b])` / `out.extend((a, b))` (no starred element): [out, [a, b]]. */
  private extendDisplay(e: PNode): [PNode, PNode[]] | undefined {
    if (this.t !== TABLES.python || e.type !== 'call') return undefined;
    const callee = field(e, 'function');
    const m = callee ? this.methodOf(callee) : undefined;
    const args = field(e, 'arguments');
    const named = args && args.type === 'argument_list' ? args.children.filter((c) => c.named) : [];
    if (!m || m.name !== canonName('extend') || named.length !== 1 || (named[0].type !== 'list' && named[0].type !== 'tuple')) return undefined;
    const els = named[0].children.filter((c) => c.named);
    return els.length && !els.some((x) => x.type === 'list_splat' || x.type === 'parenthesized_list_splat') ? [m.obj, els] : undefined;
  }

  /** Category and features of an expression statement; null when it does nothing. */
  private classify(e: PNode, implicit: boolean): { kind: Kind; acc: Acc } | null {
    const acc = newAcc();
    let kind: Kind = 'expr';
    const defFields = this.t.defs[e.type];
    if (defFields && e.type !== 'for_statement' && e.type !== 'for') {
      kind = this.t.augmenting.has(e.type) ? 'aug' : 'assign';
      if (e.type === 'assignment_statement') {
        const op = e.children.find((c) => c.field === 'operator');
        if (op && op.type !== '=') kind = 'aug';
      }
      for (const c of e.children) {
        if (c.named && (defFields.includes(c.field) || defFields[0] === '')) this.targets(c, acc, kind === 'aug');
        else if (c.named) this.expr(c, acc);
        else {
          const op = OPERATORS[c.type];
          if (op && kind === 'aug') bump(acc.bag, 'op:' + op);
          // i++ is i += 1
          if (c.type === '++' || c.type === '--') bump(acc.bag, 'lit:1');
        }
      }
    } else {
      this.expr(e, acc);
      if (acc.bag.has('yield')) kind = 'yield';
    }
    // `x = x + y` is the same update as `x += y`: an assignment that reads its own
    // target is labelled as an update.
    if (kind === 'assign' && acc.defs.length === 1 && acc.uses.includes(acc.defs[0]) && (!this.v2 || this.on('update-form'))) kind = 'aug';
    if (implicit && kind === 'expr') kind = 'return';
    // raise in ruby is a call
    if (kind === 'expr' && this.t === TABLES.ruby && e.type === 'call' && !field(e, 'receiver')) {
      const m = field(e, 'method');
      if (m && (this.text(m) === 'raise' || this.text(m) === 'fail')) {
        kind = 'throw';
        acc.bag.delete('n:' + canonName(this.text(m)));
      }
    }
    // A bare name or literal as a statement does nothing (docstrings are such statements).
    if (kind === 'expr' && !this.hasEffect(e)) return null;
    return { kind, acc };
  }

  private hasEffect(n: PNode): boolean {
    if (this.t.call.has(n.type) || this.t.defs[n.type] || n.type === 'await_expression' || n.type === 'yield' || n.type === 'send_statement' || n.type === 'go_statement' || n.type === 'defer_statement' || n.type === 'delete_statement' || n.type === 'print_statement' || n.type === 'receive_statement' || n.type === 'unary_expression' && n.children.some((c) => c.type === 'delete')) return true;
    if (this.role(n) === 'lambda') return false;
    // ruby: a bare identifier that is not a local is a method call (`foo`)
    if (this.t === TABLES.ruby && n.type === 'identifier' && !this.fn.locals.has(this.text(n))) return true;
    for (const c of n.children) if (c.named && this.hasEffect(c)) return true;
    return false;
  }

  /** If `e` is `recv.each do |x| ... end` / `xs.forEach(x => ...)`, the block; else undefined. */
  private iterCall(e: PNode): PNode | undefined {
    if (!this.t.call.has(e.type)) return undefined;
    if (this.t === TABLES.ruby) {
      const m = field(e, 'method');
      const blk = field(e, 'block');
      if (m && blk && this.t.iterMethods.has(this.text(m))) return blk;
      return undefined;
    }
    if (this.t === TABLES.javascript) {
      const fnode = field(e, 'function');
      if (fnode && fnode.type === 'member_expression') {
        const prop = field(fnode, 'property');
        if (prop && this.text(prop) === 'forEach') {
          const args = field(e, 'arguments');
          const lam = args?.children.find((c) => c.named && this.role(c) === 'lambda');
          return lam;
        }
      }
    }
    return undefined;
  }

  private iterLoop(e: PNode, blk: PNode, ctrl: number, st: State): { st: State; guard: number } {
    const acc = newAcc();
    const body = field(blk, 'body');
    const head = this.t === TABLES.ruby && this.v2 && this.on('ruby-loops') ? this.rubyLoopHead(e, blk, body, acc) : undefined;
    for (const c of e.children) {
      if (!c.named || c === blk) continue;
      // a ruby loop head read in python's words has its features already
      if (head) continue;
      // `each`/`loop` are the loop itself; times/upto/each_with_index say more
      if (c.field === 'method') {
        const m = this.text(c);
        if (m !== 'each' && m !== 'loop') bump(acc.bag, 'n:' + canonName(m));
      }
      else if (c.field === 'function' && c.type === 'member_expression') {
        const obj = field(c, 'object');
        if (obj) this.expr(obj, acc);
      } else if (c.field === 'arguments') {
        for (const a of c.children) if (a.named && a !== blk) this.expr(a, acc);
      } else this.expr(c, acc);
    }
    const plist = field(blk, 'parameters') ?? field(blk, 'parameter');
    if (plist) {
      const names = this.t.ident.has(plist.type) ? [this.text(plist)] : this.paramNames(plist);
      for (const nme of names) {
        acc.defs.push(nme);
        this.fn.locals.add(nme);
      }
    }
    return this.loop(e, acc, ctrl, st, (p, s) => {
      if (!body) return s;
      if (this.role(body) === 'block') return this.block(this.stmtsOf(body), p, s);
      this.exprBodyReturn(body, p, s);
      return s;
    });
  }

  /**
   * v2 'ruby-loops': the head of a block loop in python's words (its canonical text):
   * `xs.each do |x|`, `s.chars.each`, `s.each_char` = `for x in xs`; `(a...b).each`,
   * `(a..b).each`, `n.times`, `a.upto(b)` = `for i in range(...)` (a start of 0 left out,
   * as python writes `range(n)`), and with 'index-loop' an index that only reads `xs[i]`
   * is the element loop; `each_with_index do |x, i|` = `for i, x in enumerate(xs)`, or
   * `for x in xs` when `i` is never read. The head's features go into `acc` as python's
   * head would give them (true); undefined when the loop is none of these.
   */
  private rubyLoopHead(e: PNode, blk: PNode, body: PNode | undefined, acc: Acc): true | undefined {
    const text = (x: PNode): string => this.text(x);
    const c = rubyCall(e, text);
    const b = rubyBlock(blk);
    if (!c || !b || c.args.length > 1) return undefined;
    const p = b.params.map(text);
    let head: string | undefined;
    let bound: PNode | undefined;
    // `(xs.length - 1).downto(0)`: the indices of reversed(xs) (v2 'reverse-loop')
    let lastOf: PNode | undefined;
    // the head's features, as python's `range(...)` / `for x in xs` head has them
    const h = newAcc();
    const plusOne = (): void => {
      bump(h.bag, 'op:+');
      bump(h.bag, 'lit:1');
    };
    const notZero = (x: PNode): boolean => this.canon(x) !== '0';
    if ((c.name === 'each' || c.name === 'each_char') && p.length >= 1 && !c.args.length) {
      const base = rubyIterBase(c.recv, text);
      const range = base.type === 'range' ? this.rubyRange(base) : undefined;
      if (range) {
        head = range.canon;
        bound = range.zeroTo;
        bump(h.bag, 'n:range');
        if (notZero(range.begin)) this.expr(range.begin, h);
        this.expr(range.end, h);
        if (!range.excl) plusOne();
      } else {
        head = this.canon(base);
        this.expr(base, h);
      }
    } else if (c.name === 'downto' && p.length === 1 && c.args.length === 1) {
      // `a.downto(b)` = `range(a, b - 1, -1)`
      const to = this.canon(c.args[0]);
      if (to === '0') lastOf = this.lastIndexOf(c.recv);
      const lit = /^-?\d+$/.test(to) ? Number(to) - 1 : undefined;
      head = 'range(' + this.canon(c.recv) + ',' + (lit !== undefined ? String(lit) : binaryCanon('-', to, '1', this.off)) + ',-1)';
      bump(h.bag, 'n:range');
      this.expr(c.recv, h);
      if (lit === undefined) this.expr(c.args[0], h);
      if (lit === undefined || lit < 0) bump(h.bag, 'op:-');
      bump(h.bag, 'lit:' + (lit === undefined ? 1 : Math.abs(lit)));
      bump(h.bag, 'op:-');
      bump(h.bag, 'lit:1');
    } else if (c.name === 'times' && p.length <= 1 && !c.args.length) {
      head = 'range(' + this.canon(c.recv) + ')';
      bound = c.recv;
      bump(h.bag, 'n:range');
      this.expr(c.recv, h);
    } else if (c.name === 'upto' && p.length === 1 && c.args.length === 1) {
      const from = this.canon(c.recv);
      const to = binaryCanon('+', this.canon(c.args[0]), '1', this.off);
      head = 'range(' + (from === '0' ? to : from + ',' + to) + ')';
      bump(h.bag, 'n:range');
      if (notZero(c.recv)) this.expr(c.recv, h);
      this.expr(c.args[0], h);
      plusOne();
    } else if (c.name === 'each_with_index' && p.length === 2 && !c.args.length) {
      const base = rubyIterBase(c.recv, text);
      const seq = this.canon(base);
      const unused = this.fn.counts.get(p[1]) === 1 && this.on('index-loop');
      head = unused ? seq : 'enumerate(' + seq + ')';
      if (!unused) bump(h.bag, 'n:enumerate');
      this.expr(base, h);
    }
    if (head === undefined) return undefined;
    if ((bound || lastOf) && body && p.length === 1 && this.on('index-loop') && (!lastOf || this.on('reverse-loop'))) {
      const shape = lastOf ? { shape: 'elem' as const, seqs: [lastOf] } : this.boundShape(bound!);
      const el = shape && (this.elementIndexLoop(p[0], shape, body, e) ?? (shape.shape === 'elem' && this.on('enumerate-index') ? this.elementIndexLoop(p[0], shape, body, e, undefined, true) : undefined));
      if (el) {
        this.elementLoop(e, lastOf ? { ...el, reverse: true } : el, p[0], acc);
        return true;
      }
    }
    h.bag.forEach((v, k) => bump(acc.bag, k, v));
    acc.uses.push(...h.uses);
    acc.calls.push(...h.calls);
    this.canonOverride.set(e, 'loop:' + head);
    return true;
  }

  /** A ruby range `(a...b)` / `(a..b)` as python's `range(...)` text; `zeroTo`: b when it is `0...b`. */
  private rubyRange(n: PNode): { canon: string; begin: PNode; end: PNode; excl: boolean; zeroTo?: PNode } | undefined {
    const b = field(n, 'begin');
    const e = field(n, 'end');
    if (!b || !e) return undefined;
    const excl = n.children.some((c) => !c.named && c.type === '...');
    const end = excl ? this.canon(e) : binaryCanon('+', this.canon(e), '1', this.off);
    const start = this.canon(b);
    return { canon: 'range(' + (start === '0' ? end : start + ',' + end) + ')', begin: b, end: e, excl, zeroTo: start === '0' && excl ? e : undefined };
  }

  // ---------------------------------------------------------------- expressions

  /** Binding targets: identifiers are definitions; subscripts/attributes read their base. */
  private targets(n: PNode, acc: Acc, augment: boolean): void {
    if (this.t.ident.has(n.type)) {
      const name = this.text(n);
      acc.defs.push(name);
      if (augment) this.ident(name, acc);
      return;
    }
    if (this.t.attr[n.type] || this.t.index[n.type] || n.type === 'call') {
      // x[i] = v / x.f = v: reads x and i, and updates x without killing its old definitions
      this.expr(n, acc);
      let base = n;
      for (let k = 0; k < 8; k++) {
        const b = field(base, 'object') ?? field(base, 'value') ?? field(base, 'operand') ?? field(base, 'receiver') ?? base.children.find((c) => c.named);
        if (!b) break;
        base = b;
        if (this.t.ident.has(base.type)) break;
      }
      if (this.t.ident.has(base.type) && this.fn.locals.has(this.text(base))) acc.weakDefs.push(this.text(base));
      return;
    }
    for (const c of n.children) {
      if (!c.named) continue;
      if (PATTERN_SKIP_FIELDS.has(c.field)) this.expr(c, acc);
      else this.targets(c, acc, augment);
    }
  }

  private isFree(name: string): boolean {
    const fn = this.fn;
    return !fn.selfNames.has(name) && !fn.params.has(name) && !fn.locals.has(name) && !this.localFns.has(name) && !this.globals.has(name);
  }

  private ident(name: string, acc: Acc): void {
    const fn = this.fn;
    const k = fn.consts?.get(name);
    const len = fn.lens?.get(name);
    if (k) this.literal(k, this.t.literal[k.type], acc);
    else if (len) {
      bump(acc.bag, 'n:len');
      this.expr(len, acc);
    } else if (fn.selfNames.has(name)) bump(acc.bag, 'self');
    else if (fn.params.has(name)) {
      bump(acc.bag, 'p' + fn.params.get(name));
      acc.uses.push(name);
    } else if (fn.locals.has(name)) {
      bump(acc.bag, 'v');
      acc.uses.push(name);
    } else if (this.localFns.has(name)) {
      bump(acc.bag, 'n:fn');
    } else if (this.globals.has(name)) {
      bump(acc.bag, 'v');
    } else {
      const c = canonName(name);
      if (c) bump(acc.bag, 'n:' + c);
    }
  }

  private literal(n: PNode, cls: string, acc: Acc): void {
    if (this.v2) {
      bump(acc.bag, 'lit:' + this.literalLabel(n, cls));
      if (cls !== 'int' && cls !== 'num' && cls !== 'bool') for (const c of n.children) if (c.named && (c.type === 'interpolation' || c.type === 'template_substitution')) this.expr(c, acc);
      return;
    }
    if (cls === 'int' || cls === 'num') {
      const v = this.text(n);
      if (v === '0' || v === '1' || v === '2') bump(acc.bag, 'lit:' + v);
      else bump(acc.bag, /[.eE]/.test(v) && !/^0x/i.test(v) ? 'lit:float' : 'lit:int');
      return;
    }
    // booleans keep their value (only two, and flipping one is a real change)
    if (cls === 'bool') {
      bump(acc.bag, 'lit:' + (n.type === 'true' || /^true$/i.test(this.text(n)) ? 'true' : 'false'));
      return;
    }
    bump(acc.bag, 'lit:' + cls);
    // f-strings, template strings and ruby interpolation hold expressions
    for (const c of n.children) if (c.named && (c.type === 'interpolation' || c.type === 'template_substitution')) this.expr(c, acc);
  }

  /** Gather the features, uses and calls of an expression subtree. */
  expr(n: PNode, acc: Acc): void {
    const t = this.t;
    if (t.ignore.has(n.type) || t.ignoreFields.has(n.field)) return;
    if (!n.named) {
      const op = OPERATORS[n.type];
      // ruby's 1..n is python's range(1, n + 1) / range(1, n): a range either way
      if (op && !(this.v2 && BAG_DROPPED_OPS.has(op) && this.on('bag-comparisons'))) bump(acc.bag, op === 'range' ? 'n:range' : 'op:' + op);
      return;
    }
    const lit = t.literal[n.type];
    if (lit) return this.literal(n, lit, acc);
    // v2 'char-class': a character range test holds its predicate's name, as `c.isdigit()`
    // (a comparison of two operands is never one: its canonical text is one comparison,
    // so that text is built only for chains and `and`s)
    if (this.v2 && this.on('char-class') && (n.type === 'comparison_operator' ? namedCount(n) > 2 : OPERATORS[field(n, 'operator')?.type ?? ''] === 'and')) {
      const cls = /^(isdigit|islower|isupper)\((.*)\)$/.exec(this.canon(n));
      const x = cls && this.rangeOperand(n, cls[2]);
      if (x) {
        bump(acc.bag, 'n:' + cls[1]);
        return this.expr(x, acc);
      }
    }
    // v2 'chained-comparison': `a < b < c` holds the `and` its two-comparison spelling has
    if (n.type === 'comparison_operator' && this.v2 && this.on('chained-comparison')) {
      // and reads its middle operands twice, as `a < b and b < c` does
      const args = n.children.filter((c) => c.named);
      if (args.length > 2) bump(acc.bag, 'op:and', args.length - 2);
      for (let i = 1; i + 1 < args.length; i++) this.expr(args[i], acc);
    }
    const pw = OPERATORS[field(n, 'operator')?.type ?? ''] === '*' ? this.power(n) : undefined;
    if (pw) {
      // 'power': the features of `x ** k`
      bump(acc.bag, 'op:pow');
      this.expr(pw[0], acc);
      bump(acc.bag, 'lit:' + pw[1]);
      return;
    }
    const mem = this.v2 && OPERATORS[field(n, 'operator')?.type ?? ''] === 'or' ? this.membership(n) : undefined;
    if (mem) {
      // 'membership': the features of `x in [a, b]`
      bump(acc.bag, 'op:in');
      bump(acc.bag, 'coll:list');
      this.expr(mem.x, acc);
      for (const v of mem.values) this.expr(v, acc);
      return;
    }
    const chain = this.chainRole(n);
    if (chain) {
      // a js chain is the accumulator its comprehension form builds (as python's, below)
      acc.comps.push(n);
      (acc.compRoles ??= new Map()).set(n, chain);
      bump(acc.bag, 'v');
      const fold = this.jsFolds.get(n);
      if (fold) bump(acc.bag, 'n:' + fold.which);
      return;
    }
    const up = this.unpackReads.size ? this.unpackReads.get(n) : undefined;
    if (up) return this.ident(up[1], acc);
    const el = this.elementReads.get(n);
    if (el !== undefined) return this.ident(el, acc);
    const step = this.v2 && t.call.has(n.type) ? this.stepFilter(n) : undefined;
    if (step) {
      // every k-th element, as python's `xs[::k]` (a slice, not a closure)
      bump(acc.bag, 'slice');
      this.expr(step[0], acc);
      return this.expr(step[1], acc);
    }
    if (t.ident.has(n.type)) {
      const arg = this.subst?.get(this.text(n));
      if (arg) return this.withSubst(undefined, () => this.expr(arg, acc));
      const fold = this.foldReads.size ? this.foldReads.get(n) : undefined;
      if (fold) bump(acc.bag, 'n:' + fold);
      const whole = this.foldWhole.size ? this.foldWhole.get(n) : undefined;
      if (whole) {
        bump(acc.bag, 'n:' + whole.which);
        return this.expr(whole.seq, acc);
      }
      return this.ident(this.text(n), acc);
    }
    if (t.member.has(n.type)) {
      bump(acc.bag, 'n:' + canonName(this.text(n).replace(/^[@$]+/, '')));
      return;
    }
    if (t.self.has(n.type)) {
      bump(acc.bag, 'self');
      return;
    }
    const role = this.role(n);
    if (role === 'lambda') {
      acc.lambdas.push(n);
      bump(acc.bag, 'lambda');
      return;
    }
    if (role === 'function') {
      // a named function expression: its own graph; here just a reference
      this.func(n, this.functionName(n));
      bump(acc.bag, 'n:fn');
      return;
    }
    if (t.call.has(n.type)) return this.call(n, acc);
    const attr = t.attr[n.type];
    if (attr) {
      const obj = field(n, attr.object);
      if (obj) this.expr(obj, acc);
      const nm = field(n, attr.name);
      if (nm) {
        const c = canonName(this.text(nm));
        if (c) bump(acc.bag, 'n:' + c);
      }
      return;
    }
    let coll = t.collection[n.type];
    // go: map[K]V{...} is a map, []T{...} a list
    if (coll && n.type === 'composite_literal' && field(n, 'type')?.type === 'map_type') coll = 'map';
    if (coll) bump(acc.bag, 'coll:' + coll);
    else if (t.ternary.has(n.type)) bump(acc.bag, 'cond');
    else if (t.comprehension.has(n.type)) {
      acc.comps.push(n);
      // v2: a list/set comprehension is read as the accumulator its loop form builds
      if (this.compRole(n, acc) !== 'gen') bump(acc.bag, 'v');
      return;
    }
    // v2: python's `xs[a:b]` is a slice, as go's `xs[a:b]` (not an element access)
    else if (t.index[n.type] && !(this.v2 && n.type === 'subscript' && this.sliceParts(n))) bump(acc.bag, t.index[n.type]);
    else if (n.type === 'yield' || n.type === 'yield_expression' || n.type === 'await_expression' || n.type === 'await') bump(acc.bag, n.type.startsWith('yield') ? 'yield' : 'await');
    else if (n.type === 'not_operator' && (!this.v2 || !this.on('bag-comparisons'))) bump(acc.bag, 'op:not');
    else if (n.type === 'range') {
      // ruby (a..b) is range(a, b + 1), (a...b) is range(a, b)
      bump(acc.bag, 'n:range');
      if (n.children.some((c) => !c.named && c.type === '..')) {
        bump(acc.bag, 'op:+');
        bump(acc.bag, 'lit:1');
      }
      for (const c of n.children) if (c.named) this.expr(c, acc);
      return;
    }
    if (this.v2 && t.index[n.type] && this.on('negative-index')) {
      // 'negative-index': `xs[len(xs) - e]` holds what `xs[-e]` holds (not len, not xs again)
      const obj = n.children.find((c) => c.named);
      for (const c of n.children) this.exprBound(c, obj ? this.text(obj) : '', acc);
      return;
    }
    for (const c of n.children) this.expr(c, acc);
  }

  /** An index or slice bound of sequence `seq` (text): `len(seq) - e` as `-e` ('negative-index'). */
  private exprBound(c: PNode, seq: string, acc: Acc): void {
    if (c.type === 'slice' && this.t.index.slice) {
      bump(acc.bag, this.t.index.slice);
      for (const x of c.children) this.exprBound(x, seq, acc);
      return;
    }
    const l = field(c, 'left');
    const r = field(c, 'right');
    const len = OPERATORS[field(c, 'operator')?.type ?? ''] === '-' ? this.lenOf(l) : undefined;
    if (!len || !r || this.text(len) !== seq) return this.expr(c, acc);
    bump(acc.bag, 'op:-');
    this.expr(r, acc);
  }

  // ---------------------------------------------------------------- v2 labels

  /** v2 literal label: small values by value, others by class and magnitude. */
  private literalLabel(n: PNode, cls: string): string {
    const raw = this.text(n);
    if (cls === 'bool') return n.type === 'true' || /^true$/i.test(raw) ? 'true' : 'false';
    if (cls === 'int' || cls === 'num' || cls === 'float') {
      const v = Number(raw.replace(/_/g, ''));
      if (/[.eE]/.test(raw) && !/^0x/i.test(raw)) return Number.isFinite(v) && raw.length <= 6 ? 'f' + v : 'float';
      if (Number.isFinite(v) && Math.abs(v) < 1000) return String(v);
      return 'int:e' + String(Math.floor(Math.abs(v))).length;
    }
    if (cls === 'str' || cls === 'string') {
      const body = raw.replace(/^[a-zA-Z]*("""|'''|"|'|`)/, '').replace(/("""|'''|"|'|`)$/, '');
      return body.length <= 10 && !/[#$]\{|\{/.test(body) ? 's:' + escapeCanon(body) : 'str:' + (body.length < 40 ? 'short' : 'long');
    }
    return cls;
  }

  /** The v2 bag of a new node: the v1 features, its canonical text, its branch side. */
  private labelV2(n: PNode, kind: Kind, bag: Map<string, number>, ctrl: number, id: number): Map<string, number> {
    let c = this.canonOverride.get(n);
    if (c === undefined) c = n.start < 0 || kind === 'func' || kind === 'param' || kind === 'try' ? '' : this.stmtCanon(n, kind, id);
    const side = this.sideOf.get(ctrl);
    if (!c && side !== 'F') return bag;
    const out = copyMap(bag);
    if (c) out.set('x:' + (c.length > MAX_CANON ? '#' + hashText(c) : c), CANON_WEIGHT);
    if (side === 'F') out.set('br:F', 1);
    return out;
  }

  /** Canonical text of a statement or predicate (kind prefix + expression). */
  private stmtCanon(n: PNode, kind: Kind, id: number): string {
    const heads = this.headParts(n);
    if (kind === 'if' || kind === 'loop' || kind === 'case' || kind === 'switch' || kind === 'catch' || kind === 'with' || kind === 'closure') return kind + ':' + heads.map((h) => this.canon(h)).join(',');
    let e = n;
    while ((e.type === 'expression_statement' || e.type.startsWith('parenthesized_')) && namedCount(e) === 1) e = e.children.find((c) => c.named)!;
    if (kind === 'assign' || kind === 'aug') {
      const u = this.assignCanon(e, id);
      if (u !== undefined) return u;
    }
    return kind + ':' + heads.map((h) => this.canon(h)).join(',');
  }

  /** The expression parts of a statement: named children that are not bodies. */
  private headParts(n: PNode): PNode[] {
    const cond = field(n, 'condition');
    if (cond) return [cond];
    const right = field(n, 'right') ?? field(n, 'value');
    if (right && (this.role(n) === 'for')) return [right];
    if (n.type === 'for_statement' && this.t === TABLES.go) {
      const rc = n.children.find((c) => c.type === 'range_clause');
      const rr = rc && field(rc, 'right');
      if (rr) return [rr];
    }
    return n.children.filter((c) => c.named && c.field !== 'body' && c.field !== 'consequence' && c.field !== 'alternative' && c.field !== 'block' && this.role(c) !== 'block' && !CASE_TYPES.has(c.type) && c.type !== 'else_clause' && c.type !== 'elif_clause');
  }

  /**
   * Assignments: `x op= y`, `x = x op y` (and `x = y op x` for a commutative op) and
   * `x++` are all `upd<op>(<target>,<y>)`; a plain `x = e` is `=(<target>,<e>)`. An
   * identifier target is left out (its identity is on the data edges). A local that
   * is assigned once and read once is remembered: its reader inlines the value.
   */
  private assignCanon(e: PNode, id: number): string | undefined {
    const defFields = this.t.defs[e.type];
    let target: PNode | undefined;
    let value: PNode | undefined;
    if (e.type === 'variable_declarator' || e.type === 'var_spec' || e.type === 'const_spec') {
      target = field(e, 'name');
      value = field(e, 'value');
    } else if (defFields) {
      const named = e.children.filter((c) => c.named);
      target = named.find((c) => defFields.includes(c.field) || defFields[0] === '');
      value = named.find((c) => c !== target);
    } else return undefined;
    // go: `a := b` / `a = b` hold one-element expression lists
    const single = (x: PNode | undefined): PNode | undefined => {
      if (x && (x.type === 'expression_list' || x.type === 'left_assignment_list') && namedCount(x) === 1) return x.children.find((c) => c.named);
      return x;
    };
    target = single(target);
    value = single(value);
    if (!target) return undefined;
    const tIdent = this.t.ident.has(target.type);
    const tText = this.text(target);
    const tCanon = tIdent ? '' : this.canon(target);
    const opTok = e.children.find((c) => !c.named && OPERATORS[c.type] !== undefined && c.type !== '=' && c.type !== ':=');
    if (this.t.augmenting.has(e.type) || (opTok && e.type !== 'variable_declarator')) {
      const op = opTok ? OPERATORS[opTok.type] : '+';
      return 'upd' + op + '(' + tCanon + ',' + (value ? this.canon(value) : '1') + ')';
    }
    if (!value) {
      // v2 'zero-value': go's `var n int` is `n = 0` (a temporary like python's `n = 0`)
      const z = this.goZero(e);
      if (!z) return '=(' + tCanon + ')';
      this.noteTemp(target, z.canon, id);
      return '=(' + tCanon + ',' + z.canon + ')';
    }
    let v = value;
    while (v.type.startsWith('parenthesized_') && namedCount(v) === 1) v = v.children.find((c) => c.named)!;
    const opN = field(v, 'operator');
    const l = field(v, 'left');
    const r = field(v, 'right');
    if (opN && l && r && this.on('update-form')) {
      const op = OPERATORS[opN.type];
      if (op && ARITH.has(op)) {
        if (this.text(l) === tText) return 'upd' + op + '(' + tCanon + ',' + this.canon(r) + ')';
        if ((COMMUTATIVE.has(op) || op === '+') && this.text(r) === tText && looksNumeric(this.canon(l))) return 'upd' + op + '(' + tCanon + ',' + this.canon(l) + ')';
      }
    }
    const clamp = this.clampOf.get(e);
    const vc = clamp ? this.callCanon(clamp.which, clamp.other ? [this.canon(value), this.canon(clamp.other), ...(clamp.more ?? []).map((m) => this.canon(m))] : [this.canon(value)]) : this.canon(value);
    this.noteTemp(target, vc, id);
    return '=(' + tCanon + ',' + vc + ')';
  }

  /** 'temporaries': a local assigned here (node id) to the value `vc`, to be folded into its one reader. */
  private noteTemp(target: PNode, vc: string, id: number): void {
    const tText = this.text(target);
    if (this.t.ident.has(target.type) && id >= 0 && this.on('temporaries') && this.fn.locals.has(tText) && !this.fn.params.has(tText) && !this.fn.temps.has(tText)) {
      if (this.fn.counts.get(tText) === 2) {
        this.fn.temps.set(tText, vc);
        this.temps.set(id, tText);
      } else (this.fn.pending ??= new Map()).set(tText, { id, canon: vc });
    }
  }

  /**
   * v2 'zero-value': the value go's `var x T` (no value) starts with, as the other
   * languages write it: a slice `[]` (nil appends and ranges as the empty list), a map
   * `{}`, a number 0, a string '', a bool false; canonical text and bag feature.
   */
  private goZero(d: PNode): { canon: string; feature: string } | undefined {
    if (!this.v2 || !this.on('zero-value') || this.t !== TABLES.go || d.type !== 'var_spec' || field(d, 'value') || fields(d, 'name').length !== 1) return undefined;
    const ty = field(d, 'type');
    if (!ty) return undefined;
    if (ty.type === 'slice_type') return { canon: 'list()', feature: 'coll:list' };
    if (ty.type === 'map_type') return { canon: 'map()', feature: 'coll:map' };
    const name = ty.type === 'type_identifier' ? this.text(ty) : '';
    if (/^(u?int(8|16|32|64)?|byte|rune|uintptr)$/.test(name)) return { canon: '0', feature: 'lit:0' };
    if (/^float(32|64)$/.test(name)) return { canon: 'f0', feature: 'lit:f0' };
    if (name === 'string') return { canon: 's:', feature: 'lit:s:' };
    if (name === 'bool') return { canon: 'false', feature: 'lit:false' };
    return undefined;
  }

  /** v2 'zero-value': go's `make([]T, 0)` / `make([]T, 0, k)` is an empty list, `make(map[K]V)` (any size hint) an empty map. */
  private goEmptyMake(n: PNode): 'list' | 'map' | undefined {
    if (this.fillMakes.has(n)) return 'list';
    if (!this.v2 || this.t !== TABLES.go || n.type !== 'call_expression' || !this.on('zero-value')) return undefined;
    const callee = field(n, 'function');
    if (!callee || callee.type !== 'identifier' || this.text(callee) !== 'make' || !this.isFree('make')) return undefined;
    const args = field(n, 'arguments')?.children.filter((c) => c.named) ?? [];
    if (args[0]?.type === 'map_type' && args.length <= 2) return 'map';
    if (args[0]?.type === 'slice_type' && (args.length === 2 || args.length === 3) && this.text(args[1]).trim() === '0') return 'list';
    return undefined;
  }

  private identCanon(name: string): string {
    const fn = this.fn;
    if (fn.selfNames.has(name)) return 'self';
    const k = fn.consts?.get(name);
    if (k) return this.literalLabel(k, this.t.literal[k.type]);
    const p = fn.params.get(name);
    if (p !== undefined) return 'p' + p;
    const tmp = fn.temps.get(name);
    if (tmp !== undefined) return tmp;
    const pos = fn.unpack?.get(name);
    if (pos !== undefined) return 'v' + pos;
    const len = fn.lens?.get(name);
    if (len) return this.callCanon('len', [this.canon(len)]);
    if (fn.locals.has(name)) return 'v';
    const builtin = this.helperBuiltins.get(name);
    if (builtin && !fn.locals.has(name)) return builtin;
    if (this.localFns.has(name)) return 'fn';
    if (this.globals.has(name)) return 'v';
    return canonName(name) || name;
  }

  /** `obj.name`: the name alone when obj is a free name (a module, a global), else obj's canon + '.' + name. */
  private attrCanon(n: PNode, attr: { object: string; name: string }, depth: number): string {
    const obj = field(n, attr.object);
    const nm = field(n, attr.name);
    const name = nm ? canonName(this.text(nm)) : '';
    if (!obj || (this.t.ident.has(obj.type) && this.isFree(this.text(obj)))) return name;
    // `xs.length` (js), `xs.size` (ruby) are `len(xs)`, as in python and go
    if (name === 'len') return 'len(' + this.canon(obj, depth + 1) + ')';
    return this.canon(obj, depth + 1) + '.' + name;
  }

  /** A method callee `obj.name` on a value (not a namespace such as `math.`, `strings.`): obj and canonical name. */
  private methodOf(callee: PNode): { obj: PNode; name: string } | undefined {
    const a = this.t.attr[callee.type];
    const obj = a && field(callee, a.object);
    const nm = a && field(callee, a.name);
    if (!obj || !nm || (this.t.ident.has(obj.type) && this.isFree(this.text(obj)))) return undefined;
    return { obj, name: canonName(this.text(nm)) };
  }

  /**
   * Canonical text of a call of `head` on `args` (canonical texts). v2 'method-call':
   * `contains(s,x)` (`s.includes(x)`, `strings.Contains(s, x)`) is python's `x in s`.
   */
  private callCanon(head: string, args: string[]): string {
    if ((head === 'contains' || head === 'containsrune') && args.length === 2 && this.on('method-call')) return 'in(' + args[1] + ',' + args[0] + ')';
    // v2 'min-max': min and max of two values do not depend on their order (a tie is one value)
    if ((head === 'min' || head === 'max') && args.length === 2 && this.v2 && this.on('min-max') && args[1] < args[0]) return head + '(' + args[1] + ',' + args[0] + ')';
    // v2 'extreme-chain': nor do min and max of more values (one value whatever the order)
    if ((head === 'min' || head === 'max') && args.length > 2 && this.v2 && this.on('extreme-chain')) return head + '(' + [...args].sort().join(',') + ')';
    return head + '(' + args.join(',') + ')';
  }

  /** A method call in canonical text: `m(o,a)` (v2 'method-call'), else `o.m(a)`. */
  private methodCanon(obj: string, name: string, args: string[]): string {
    return this.on('method-call') ? this.callCanon(name, [obj, ...args]) : obj + '.' + name + '(' + args.join(',') + ')';
  }

  /** Callee of a call: a local function 'fn', a namespace dropped, a method on its object. */
  private calleeCanon(callee: PNode, depth: number): string {
    const t = this.t;
    if (t.ident.has(callee.type) || (t === TABLES.ruby && callee.type === 'identifier')) return this.identCanon(this.text(callee));
    const a = t.attr[callee.type];
    if (a) return this.attrCanon(callee, a, depth);
    return this.canon(callee, depth + 1);
  }

  /**
   * A list or map literal in any language (`[]`, `[]int{1, 2}`, `{}`, `map[string]int{}`,
   * python's `{...}` dict): 'list' or 'map' and its elements, so one literal has one
   * canonical text everywhere. Tuples and sets keep their own (python) names.
   */
  private listOrMap(n: PNode): { kind: 'list' | 'map'; elements: PNode[] } | undefined {
    const named = (x: PNode): PNode[] => x.children.filter((c) => c.named && !this.t.ignore.has(c.type));
    if (n.type === 'composite_literal' && this.t === TABLES.go) {
      const ty = field(n, 'type')?.type;
      const kind = ty === 'slice_type' || ty === 'array_type' ? 'list' : ty === 'map_type' ? 'map' : undefined;
      const body = field(n, 'body');
      // go wraps each element in literal_element
      const els = body ? named(body).map((e) => (e.type === 'literal_element' && named(e).length === 1 ? named(e)[0] : e)) : [];
      return kind && { kind, elements: els };
    }
    const coll = this.t.collection[n.type];
    if (n.type === 'tuple' || n.type === 'set' || (coll !== 'list' && coll !== 'map')) return undefined;
    return { kind: coll, elements: named(n) };
  }

  /** The named children of `n` that canonical texts read (not ignored types or fields). */
  private keptKids(n: PNode): PNode[] {
    const t = this.t;
    return n.children.filter((c) => c.named && !t.ignore.has(c.type) && !t.ignoreFields.has(c.field));
  }

  /** Canonical text of an expression (see the file comment, version 2). */
  canon(n: PNode, depth = 0): string {
    const t = this.t;
    if (depth > 40) return '...';
    if (!n.named) return OPERATORS[n.type] ?? '';
    if (t.ignore.has(n.type) || t.ignoreFields.has(n.field)) return '';
    const lit = t.literal[n.type];
    if (lit) return this.literalLabel(n, lit);
    if (this.chainRole(n)) {
      const fold = this.jsFolds.get(n);
      return fold ? fold.which + '(v)' : 'v';
    }
    const up = this.unpackReads.size ? this.unpackReads.get(n) : undefined;
    if (up) return 'v' + up[0];
    const el = this.elementReads.get(n);
    if (el !== undefined) return this.identCanon(el);
    const fold = this.foldReads.size ? this.foldReads.get(n) : undefined;
    if (fold) return this.callCanon(fold, [this.identCanon(this.text(n))]);
    const whole = this.foldWhole.size ? this.foldWhole.get(n) : undefined;
    if (whole) return this.callCanon(whole.which, [this.canon(whole.seq, depth + 1)]);
    if (t.ident.has(n.type)) {
      const arg = this.subst?.get(this.text(n));
      return arg ? this.withSubst(undefined, () => this.canon(arg, depth + 1)) : this.identCanon(this.text(n));
    }
    if (t.member.has(n.type)) return canonName(this.text(n).replace(/^[@$]+/, ''));
    if (t.self.has(n.type)) return 'self';
    const role = this.role(n);
    if (role === 'lambda' || role === 'function') return 'lambda';
    if (t.comprehension.has(n.type)) return this.v2 && this.on('comprehension-loop') && (n.type === 'list_comprehension' || n.type === 'set_comprehension') ? 'v' : 'comp';
    // the kept named children (keptKids) are listed only where read: wrappers here,
    // element access, subscripts and the generic form below; not for operators and calls
    if (n.type.startsWith('parenthesized_') || n.type === 'expression_statement' || n.type === 'expression_list' || (n.type === 'argument_list' && n.field !== 'arguments')) {
      const kids = this.keptKids(n);
      if (kids.length === 1) return this.canon(kids[0], depth + 1);
    }
    if (n.type === 'not_operator') {
      const arg = field(n, 'argument');
      return negateCanon(arg ? this.canon(arg, depth + 1) : '', this.off);
    }
    if (n.type === 'comparison_operator') {
      const ops: string[] = [];
      const args: string[] = [];
      for (const c of n.children) {
        if (c.named) args.push(this.canon(c, depth + 1));
        else ops.push(c.type === 'not in' ? 'notin' : c.type === 'is not' ? '!=' : OPERATORS[c.type] ?? c.type);
      }
      if (ops.length === 1 && args.length === 2) return binaryCanon(ops[0], args[0], args[1], this.off);
      // v2 'chained-comparison': `a < b <= c` is `a < b and b <= c`, as other languages write it
      if (this.on('chained-comparison') && ops.length === args.length - 1) {
        let c = binaryCanon(ops[0], args[0], args[1], this.off);
        for (let i = 1; i < ops.length; i++) c = this.andCanon(c, binaryCanon(ops[i], args[i], args[i + 1], this.off));
        return c;
      }
      return 'cmp(' + args.map((a, i) => (i ? ops[i - 1] + ',' : '') + a).join(',') + ')';
    }
    const opN = field(n, 'operator');
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (opN && l && r && !t.defs[n.type]) {
      const op = OPERATORS[opN.type] ?? opN.type;
      const pw = op === '*' ? this.power(n) : undefined;
      if (pw) return 'pow(' + this.canon(pw[0], depth + 1) + ',' + pw[1] + ')';
      const mem = op === 'or' ? this.membership(n) : undefined;
      if (mem) return 'in(' + this.canon(mem.x, depth + 1) + ',list(' + mem.values.map((v) => this.canon(v, depth + 1)).join(',') + '))';
      const lc = this.canon(l, depth + 1);
      const rc = this.canon(r, depth + 1);
      return op === 'and' ? this.andCanon(lc, rc) : binaryCanon(op, lc, rc, this.off);
    }
    const arg = field(n, 'argument') ?? field(n, 'operand');
    if (opN && arg && !t.defs[n.type]) {
      const op = OPERATORS[opN.type] ?? opN.type;
      const a = this.canon(arg, depth + 1);
      if (op === 'not') return negateCanon(a, this.off);
      if (op === '-' && /^\d/.test(a)) return '-' + a;
      return op + '(' + a + ')';
    }
    if (t.call.has(n.type)) {
      const made = this.goEmptyMake(n);
      if (made) return made + '()';
      const inl = this.inlineCall(n);
      if (inl) return this.withSubst(inl.subst, () => this.canon(inl.ret, depth + 1));
      // 'loop-forms': python's range(0, n) is range(n)
      const rg = this.v2 && this.t === TABLES.python && this.on('loop-forms') ? this.callArgs(n, 'range') : [];
      if (rg.length === 2 && this.text(rg[0]).trim() === '0') return 'range(' + this.canon(rg[1], depth + 1) + ')';
      const step = this.stepFilter(n);
      if (step) return 'slice(' + this.canon(step[0], depth + 1) + ',,,' + this.canon(step[1], depth + 1) + ')';
      let callee: PNode | undefined;
      for (const f of t.callee) {
        callee = field(n, f);
        if (callee) break;
      }
      const cons = this.consumer(n);
      if (cons && WHOLE_ROLES.has(cons.role)) return 'v';
      const copied = this.listCopy(n, cons);
      if (copied) return copied === cons?.comp ? 'v' : this.canon(copied, depth + 1);
      const recv = field(n, 'receiver');
      const args = field(n, 'arguments');
      const spread = this.spreadExtreme(n);
      const list = cons ? ['v'] : spread ? [this.canon(spread, depth + 1)] : args ? args.children.filter((c) => c.named).map((c) => this.canon(c, depth + 1)) : [];
      // v2 'method-call': `o.m(a)` is `m(o,a)`, as go's `strings.M(o, a)` (python's `sep.join(xs)` is `join(xs,sep)`)
      const built = this.builderRead(callee, list.length);
      if (built) return this.canon(built, depth + 1);
      const method = callee && !recv && !field(n, 'block') ? this.methodOf(callee) : undefined;
      if (method && method.name !== 'len' && this.on('method-call')) {
        const obj = this.canon(method.obj, depth + 1);
        // js `xs.slice(0, k)` is `xs[:k]` (a start of 0 is the empty start, as in the slice label below)
        if (method.name === 'slice' && list[0] === '0' && this.on('insertion-sort')) return 'slice(' + [obj, '', ...list.slice(1)].join(',').replace(/,+$/, '') + ')';
        return method.name === 'join' && t === TABLES.python && list.length === 1 ? this.callCanon('join', [list[0], obj]) : this.callCanon(method.name, [obj, ...list]);
      }
      if (recv && callee && t === TABLES.ruby && this.v2 && this.on('ruby-calls')) return this.rubyCallCanon(n, recv, callee, list, depth);
      let head = callee ? this.calleeCanon(callee, depth) : '';
      if (recv) head = this.canon(recv, depth + 1) + '.' + head;
      // `xs.size()` is `len(xs)` (attrCanon already wrote the head as `len(xs)`)
      if (head.startsWith('len(') && list.length === 0 && callee && t.attr[callee.type]) return head;
      if (field(n, 'block')) list.push('lambda');
      return this.callCanon(head, list);
    }
    const attr = t.attr[n.type];
    if (attr) return this.attrCanon(n, attr, depth);
    const sl = this.sliceParts(n);
    if (sl) {
      // v2: a slice by position in every language, `slice(xs,lo,hi,step)` less trailing
      // empty parts: python's `xs[1:]`, js `xs.slice(1)`, go `xs[1:]` are `slice(xs,1)`
      const obj = this.canon(sl[0], depth + 1);
      const parts = sl.slice(1).map((x) => (x ? this.negIndex(obj, this.canon(x, depth + 1)) : ''));
      // a start of 0 is the empty start (`xs[0:k]` = `xs[:k]` = `xs.slice(0, k)`): 'insertion-sort' round, label only
      if (parts[0] === '0' && this.on('insertion-sort')) parts[0] = '';
      while (parts.length && parts[parts.length - 1] === '') parts.pop();
      return 'slice(' + [obj, ...parts].join(',') + ')';
    }
    const kids = this.keptKids(n);
    // element access and slices by one name in every language (subscript, index_expression...)
    if (t.index[n.type] === 'index' && kids.length === 2) {
      const obj = this.canon(kids[0], depth + 1);
      return 'index(' + obj + ',' + this.negIndex(obj, this.canon(kids[1], depth + 1)) + ')';
    }
    if (t.index[n.type]) return t.index[n.type] + '(' + kids.map((c) => this.canon(c, depth + 1)).join(',') + ')';
    const coll = this.listOrMap(n);
    if (coll) return coll.kind + '(' + coll.elements.map((c) => this.canon(c, depth + 1)).join(',') + ')';
    const ops = n.children.filter((c) => !c.named && OPERATORS[c.type] !== undefined).map((c) => OPERATORS[c.type]);
    return n.type + (ops.length ? '[' + ops.join(' ') + ']' : '') + '(' + kids.map((c) => this.canon(c, depth + 1)).join(',') + ')';
  }

  /**
   * v2 'ruby-calls': a ruby method call in python's words: `xs.length` / `xs.size` /
   * `xs.count` = `len(xs)`; `[a, b].max` = `max(a,b)`; `o.m(a)` = `m(o,a)` (as
   * 'method-call' writes python's `o.m(a)`); `Math.sqrt(x)` = `sqrt(x)`.
   */
  private rubyCallCanon(n: PNode, recv: PNode, callee: PNode, list: string[], depth: number): string {
    const name = canonName(this.text(callee));
    const block = field(n, 'block');
    if (block) list.push('lambda');
    if (recv.type === 'constant') return this.callCanon(name, list);
    // `xs.each_cons(2)` yields python's `zip(xs, xs[1:])`: the 'pairs' loop of index-loop
    if (name === 'each_cons' && list.length === 1 && list[0] === '2' && !block) return 'pairs(' + this.canon(recv, depth + 1) + ')';
    if ((name === 'len' || name === 'count') && list.length === 0) return 'len(' + this.canon(recv, depth + 1) + ')';
    // `x.nil?` is python's `x is None`
    if (this.text(callee) === 'nil?' && list.length === 0) return binaryCanon('==', this.canon(recv, depth + 1), 'null', this.off);
    const arr = (name === 'max' || name === 'min') && list.length === 0 ? this.listOrMap(recv) : undefined;
    if (arr && arr.kind === 'list' && arr.elements.length >= 2) return this.callCanon(name, arr.elements.map((x) => this.canon(x, depth + 1)));
    return this.methodCanon(this.canon(recv, depth + 1), name, list);
  }

  /**
   * v2 'power': a product of k >= 2 equal factors is the power `x ** k`: `x * x * x` is
   * `x ** 3`, `(2 * i) * (2 * i)` is `(2 * i) ** 2` (factors: the operands of unparenthesized
   * `*`; equal as text; none holds a call, which could differ between evaluations, or is a
   * bare literal). [factor, k], else undefined.
   */
  private power(n: PNode): [PNode, number] | undefined {
    if (!this.v2 || !this.on('power')) return undefined;
    const isMul = (e: PNode): boolean => OPERATORS[field(e, 'operator')?.type ?? ''] === '*' && !!field(e, 'left') && !!field(e, 'right') && !this.t.defs[e.type];
    if (!isMul(n)) return undefined;
    const factors: PNode[] = [];
    const walk = (e: PNode): void => {
      if (isMul(e)) {
        walk(field(e, 'left')!);
        walk(field(e, 'right')!);
      } else factors.push(e);
    };
    walk(n);
    const key = (e: PNode): string => this.text(this.unparen(e)).replace(/\s+/g, '');
    const k0 = key(factors[0]);
    if (factors.length < 2 || k0.includes('(') || this.t.literal[this.unparen(factors[0]).type] || !factors.every((f) => key(f) === k0)) return undefined;
    return [this.unparen(factors[0]), factors.length];
  }

  /**
   * v2 'named-constant': a local bound once, by a statement of the function's body (not
   * nested), to a number or string literal, and never assigned again, is that literal
   * where it is read (`const pi = 3.1415; return 2 * pi * r` = `return 2 * 3.1415 * r`):
   * the binding is skipped, its reads are labelled as the literal.
   */
  private namedConstants(body: PNode): void {
    // candidates first (cheap): a statement of the body binding a literal
    const lens = this.on('named-length');
    if (!this.innerStmts(body).some((s) => s.type === 'const_declaration' || (() => { const a = this.plainAssign(s); return !!a && (!!this.t.literal[a.value.type] || (lens && !!this.lenOf(a.value))); })())) return;
    const defs = new Map<string, number>();
    const stack = [body];
    while (stack.length) {
      const n = stack.pop()!;
      const f = this.t.defs[n.type];
      if (f) {
        const names = new Set<string>();
        for (const fname of f) for (const tg of fname === '' ? n.children.filter((c) => c.named) : fields(n, fname)) this.patternNames(tg, names);
        for (const nm of names) defs.set(nm, (defs.get(nm) ?? 0) + 1);
      }
      // an index loop: `for...of` over children allocated an iterator per node (hot: every body)
      const cs = n.children;
      for (let i = 0; i < cs.length; i++) if (cs[i].named) stack.push(cs[i]);
    }
    for (const s of this.innerStmts(body)) {
      let a = this.plainAssign(s);
      // go `const pi = 3.14`: one spec, one name, one value
      const specs = s.type === 'const_declaration' ? s.children.filter((c) => c.type === 'const_spec') : [];
      if (specs.length === 1 && fields(specs[0], 'name').length === 1) {
        const v = field(specs[0], 'value');
        const vs = v ? (v.type === 'expression_list' ? v.children.filter((c) => c.named) : [v]) : [];
        if (vs.length === 1) a = { expr: specs[0], name: this.text(field(specs[0], 'name')!), value: vs[0] };
      }
      // 'named-length': `n = len(xs)`, n bound once, xs a parameter the body never assigns or changes
      const xs = a && lens && (defs.get(a.name) ?? 1) === 1 && !this.fn.params.has(a.name) && this.fn.locals.has(a.name) ? this.lenOf(a.value) : undefined;
      if (a && xs && this.fn.params.has(this.text(xs)) && !defs.has(this.text(xs)) && !this.changes(body, this.text(xs))) {
        (this.fn.lens ??= new Map()).set(a.name, xs);
        this.skipped.add(s);
        continue;
      }
      const cls = a && this.t.literal[a.value.type];
      if (!this.on('named-constant') || !a || !cls || (cls !== 'int' && cls !== 'num' && cls !== 'float' && cls !== 'str' && cls !== 'string') || (defs.get(a.name) ?? 1) !== 1 || this.fn.params.has(a.name) || !this.fn.locals.has(a.name)) continue;
      if (/^\s*(let|var)\b/.test(this.text(s))) continue; // a js `let` / `var` may be meant to change; `const` and plain bindings only
      (this.fn.consts ??= new Map()).set(a.name, a.value);
      this.skipped.add(s);
    }
  }

  /** 'named-length': the body may change sequence xs in place (a mutating method on it, or an element assignment). */
  private changes(body: PNode, xs: string): boolean {
    const e = xs.replace(/[$]/g, '\\$');
    return new RegExp(`\\b${e}\\s*(?:\\.\\s*(?:append|push|pop|insert|extend|splice|remove|shift|unshift|sort|reverse|clear|fill)\\b|\\[[^\\]]*\\]\\s*(?:[-+*/%&|^]|<<|>>|\\*\\*|//)?=(?!=))|\\b${e}\\s*=\\s*append\\(`).test(this.text(body));
  }

  /** 'power': a name read k times as the factors of `x * ... * x` is read once (as in `x ** k`): its occurrence counts, for temporaries. */
  private powerCounts(body: PNode): void {
    const stack = [body];
    while (stack.length) {
      const n = stack.pop()!;
      const pw = n.named && field(n, 'operator') ? this.power(n) : undefined;
      if (pw) {
        const name = this.t.ident.has(pw[0].type) ? this.text(pw[0]) : undefined;
        const c = name !== undefined ? this.fn.counts.get(name) : undefined;
        if (c !== undefined) this.fn.counts.set(name!, c - (pw[1] - 1));
        continue;
      }
      const cs = n.children;
      for (let i = 0; i < cs.length; i++) if (cs[i].named) stack.push(cs[i]);
    }
  }

  /**
   * v2 'membership': an `or` of equalities of one operand with literals, `x == 1 or x == 3
   * or x == 5` (either side, any language's `==` / `===`), is `x in [1, 3, 5]` (values in
   * written order): x and the values, else undefined.
   */
  private membership(n: PNode): { x: PNode; values: PNode[] } | undefined {
    if (!this.on('membership')) return undefined;
    const terms: PNode[] = [];
    const flat = (e: PNode): boolean => {
      e = this.unparen(e);
      const op = field(e, 'operator');
      const l = field(e, 'left');
      const r = field(e, 'right');
      if (op && l && r && OPERATORS[op.type] === 'or' && !this.t.defs[e.type]) return flat(l) && flat(r);
      terms.push(e);
      return true;
    };
    if (!flat(n) || terms.length < 2) return undefined;
    let x: PNode | undefined;
    const values: PNode[] = [];
    for (const e of terms) {
      const kids = e.children.filter((c) => c.named);
      const ops = e.children.filter((c) => !c.named && OPERATORS[c.type] !== undefined);
      if (kids.length !== 2 || ops.length !== 1 || OPERATORS[ops[0].type] !== '==') return undefined;
      const [a, b] = kids.map((k) => this.unparen(k));
      const [other, lit] = this.t.literal[b.type] ? [a, b] : this.t.literal[a.type] ? [b, a] : [undefined, undefined];
      if (!other || !lit || this.t.literal[other.type]) return undefined;
      if (x && this.text(x).replace(/\s+/g, '') !== this.text(other).replace(/\s+/g, '')) return undefined;
      x ??= other;
      values.push(lit);
    }
    return x && { x, values };
  }

  /**
   * `a and b` in canonical text. v2 'char-class': a character range test is the library
   * predicate it spells, in either order (`'0' <= c and c <= '9'` is `c.isdigit()`; also
   * islower for a-z, isupper for A-Z).
   */
  private andCanon(a: string, b: string): string {
    if (this.on('char-class')) {
      const x = unBinary(a);
      const y = unBinary(b);
      if (x && y && x[0] === '<=' && y[0] === '<=') {
        for (const [lo, hi] of [[x, y], [y, x]]) {
          const cls = lo[2] === hi[1] ? CHAR_CLASSES[lo[1] + '-' + hi[2]] : undefined;
          if (cls) return cls + '(' + lo[2] + ')';
        }
      }
    }
    return 'and(' + a + ',' + b + ')';
  }

  /**
   * The parts of a slice `xs[lo:hi:step]` (python subscript with a slice, go
   * slice_expression without a capacity): [xs, lo, hi, step], a missing part undefined.
   * JavaScript's `xs.slice(lo, hi)` is a method call, `slice(xs,lo,hi)` by 'method-call'.
   */
  private sliceParts(n: PNode): [PNode, PNode | undefined, PNode | undefined, PNode | undefined] | undefined {
    if (n.type === 'slice_expression' && this.t === TABLES.go) {
      const obj = field(n, 'operand');
      return obj && !field(n, 'capacity') ? [obj, field(n, 'start'), field(n, 'end'), undefined] : undefined;
    }
    if (n.type !== 'subscript' || this.t !== TABLES.python) return undefined;
    const obj = field(n, 'value');
    const sl = field(n, 'subscript');
    if (!obj || !sl || sl.type !== 'slice' || fields(n, 'subscript').length !== 1) return undefined;
    // the tree copy keeps no `:` tokens: a part's position is the colons before it in the text
    const parts: (PNode | undefined)[] = [undefined, undefined, undefined];
    let k = 0;
    let at = sl.start;
    for (const c of sl.children) {
      if (!c.named || this.t.ignore.has(c.type)) continue;
      for (let i = at; i < c.start; i++) if (this.code.charCodeAt(i) === 58) k++;
      if (k < 3) parts[k] = c;
      at = c.end;
    }
    return [obj, parts[0], parts[1], parts[2]];
  }

  /** JavaScript `xs.filter((_, i) => i % k === 0)` (python's `xs[::k]`): [xs, k]. */
  private stepFilter(n: PNode): [PNode, PNode] | undefined {
    return this.t === TABLES.javascript && this.v2 && this.on('step-slice') ? jsStepFilter(n, (x) => this.text(x)) : undefined;
  }

  /**
   * v2 'negative-index': an index or slice bound counted from the end of its own sequence
   * is python's negative index: in `xs`, `len(xs) - e` is `-e` (`xs[len(xs) - 1]` =
   * `xs[-1]`, go's `xs[len(xs)-k:]` = `xs[-k:]` for k > 0).
   */
  private negIndex(obj: string, c: string): string {
    if (!this.on('negative-index')) return c;
    const b = unBinary(c);
    if (!b || b[0] !== '-' || b[1] !== 'len(' + obj + ')') return c;
    return /^\d/.test(b[2]) ? '-' + b[2] : '-(' + b[2] + ')';
  }

  /** The operand of a character range test `lo <= x and x <= hi` whose canonical text is `x`. */
  private rangeOperand(n: PNode, x: string): PNode | undefined {
    const stack = [n];
    while (stack.length) {
      const m = stack.pop()!;
      for (const c of m.children) {
        if (!c.named) continue;
        if (!this.t.literal[c.type] && this.canon(c) === x) return c;
        if (c.type === 'comparison_operator' || c.type === 'binary_expression' || c.type.startsWith('parenthesized_')) stack.push(c);
      }
    }
    return undefined;
  }

  /** The bag feature of a callee: its name; v2 'method-call': `contains` is the operator `in`, `slice` a slice. */
  private calleeFeature(name: string): string {
    if (!this.v2 || !this.on('method-call')) return 'n:' + name;
    // js `xs.slice(a, b)` is the slice python and go write `xs[a:b]`
    return name === 'contains' || name === 'containsrune' ? 'op:in' : name === 'slice' ? 'slice' : 'n:' + name;
  }

  private call(n: PNode, acc: Acc): void {
    const t = this.t;
    const made = this.goEmptyMake(n);
    if (made) {
      bump(acc.bag, 'coll:' + made);
      return;
    }
    const inl = this.inlineCall(n);
    if (inl) return this.withSubst(inl.subst, () => this.expr(inl.ret, acc));
    let callee: PNode | undefined;
    for (const f of t.callee) {
      callee = field(n, f);
      if (callee) break;
    }
    const args = field(n, 'arguments');
    const block = field(n, 'block');
    const receiver = field(n, 'receiver');
    // v2 'accumulator': sum(f(x) for x in xs) reads the accumulator its loop builds
    const cons = callee ? this.consumer(n) : undefined;
    const copied = this.listCopy(n, cons);
    if (copied && copied === cons?.comp) {
      // the generator is read as the list its loop builds (as a list comprehension is)
      (acc.compRoles ??= new Map()).set(copied, 'list');
      bump(acc.bag, 'v');
      acc.comps.push(copied);
      return;
    }
    if (copied) return this.expr(copied, acc);
    if (cons) {
      (acc.compRoles ??= new Map()).set(cons.comp, cons.role);
      if (WHOLE_ROLES.has(cons.role)) {
        bump(acc.bag, 'v');
        acc.comps.push(cons.comp);
        return;
      }
    }
    // No 'call' feature: the callee's name says what is called, and whether an
    // operation is a call (len(x)) or a member read (x.length) differs by language.
    if (receiver) this.expr(receiver, acc);
    let name: string | undefined;
    if (callee) {
      if (t.ident.has(callee.type) || (t === TABLES.ruby && callee.type === 'identifier')) {
        const raw = this.text(callee);
        if (!receiver && this.fn.locals.has(raw)) this.ident(raw, acc);
        else if (!receiver && this.helperBuiltins.has(raw)) bump(acc.bag, 'n:' + this.helperBuiltins.get(raw));
        else if (!receiver && this.localFns.has(raw)) {
          bump(acc.bag, 'n:fn');
          acc.calls.push(raw);
        } else {
          name = canonName(raw);
          // v2 'ruby-calls': `x.nil?` is `x is None` (a comparison with the null literal)
          if (receiver && raw === 'nil?' && this.v2 && this.on('ruby-calls')) bump(acc.bag, 'lit:null');
          else if (name) bump(acc.bag, this.calleeFeature(name));
        }
      } else if (t.attr[callee.type]) {
        const a = t.attr[callee.type];
        const obj = field(callee, a.object);
        // a namespace (math.Abs, Math.abs, strings.Split) says nothing the name does not
        if (obj && !(t.ident.has(obj.type) && this.isFree(this.text(obj)))) this.expr(obj, acc);
        const nm = field(callee, a.name);
        if (nm) {
          name = canonName(this.text(nm));
          if (name && !this.builderRead(callee, args ? namedCount(args) : 0)) bump(acc.bag, this.calleeFeature(name));
          // this.f() / self.f(): a method of the snippet
          const raw = this.text(nm);
          if (obj && (t.self.has(obj.type) || this.fn.selfNames.has(this.text(obj))) && this.localFns.has(raw)) acc.calls.push(raw);
          if (obj && name && MUTATORS.has(name) && t.ident.has(obj.type) && this.fn.locals.has(this.text(obj))) acc.weakDefs.push(this.text(obj));
        }
      } else this.expr(callee, acc);
    }
    if (receiver && name && MUTATORS.has(name) && t.ident.has(receiver.type) && this.fn.locals.has(this.text(receiver))) acc.weakDefs.push(this.text(receiver));
    const before = acc.lambdas.length;
    const spread = this.spreadExtreme(n);
    if (spread) this.expr(spread, acc);
    else if (args && args === cons?.comp) this.expr(args, acc);
    else if (args) for (const c of args.children) this.expr(c, acc);
    if (block) {
      acc.lambdas.push(block);
      bump(acc.bag, 'lambda');
    }
    // lambdas given to map/filter/... are loop bodies (see closure), not values
    if (name && ITER_FUNCS.has(name)) {
      for (let k = before; k < acc.lambdas.length; k++) {
        (acc.iterLambdas ??= new Map()).set(acc.lambdas[k], name);
        const v = (acc.bag.get('lambda') ?? 1) - 1;
        if (v > 0) acc.bag.set('lambda', v);
        else acc.bag.delete('lambda');
      }
    }
  }
}

/** Anonymous tokens the builder reads: operators (features), `delete` (an effect). */
const keepToken = (t: string): boolean => OPERATORS[t] !== undefined || t === 'delete';

/**
 * v2: a temporary assigned once and read once (`t = a * b; return t + 1`) is folded into
 * its reader (`return a * b + 1`): the reader takes the temporary's features (less the
 * one local read), its data inputs, and the temporary's node is removed.
 */
function collapseTemps(kinds: Kind[], bags: Map<string, number>[], edges: number[], funcs: number[], temps: Map<number, string>, dead: ReadonlySet<number> = new Set()): { kinds: Kind[]; bags: Map<string, number>[]; edges: number[]; funcs: number[] } {
  // dead constant assignments (v2 'dead-store') go with their edges: nothing reads them
  const gone = new Set<number>(dead);
  const redirect = new Map<number, number>();
  for (const t of temps.keys()) {
    let reader = -1;
    let readers = 0;
    for (let i = 0; i < edges.length; i += 3) {
      if (edges[i] === t && edges[i + 2] === DATA && edges[i + 1] !== reader) {
        reader = edges[i + 1];
        readers++;
      }
    }
    if (readers !== 1 || gone.has(reader)) continue;
    gone.add(t);
    redirect.set(t, reader);
    const into = copyMap(bags[reader]);
    const v = (into.get('v') ?? 0) - 1;
    if (v > 0) into.set('v', v);
    else into.delete('v');
    for (const [k, c] of bags[t]) if (!k.startsWith('x:') && k !== 'br:F') into.set(k, (into.get(k) ?? 0) + c);
    bags[reader] = into;
  }
  if (gone.size === 0) return { kinds, bags, edges, funcs };
  const final = (x: number): number => {
    for (let k = 0; k < 16 && redirect.has(x); k++) x = redirect.get(x)!;
    return x;
  };
  const newId = new Array<number>(kinds.length).fill(-1);
  const k2: Kind[] = [];
  const b2: Map<string, number>[] = [];
  for (let i = 0; i < kinds.length; i++) {
    if (gone.has(i)) continue;
    newId[i] = k2.length;
    k2.push(kinds[i]);
    b2.push(bags[i]);
  }
  const e2: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < edges.length; i += 3) {
    let a = edges[i];
    const b = edges[i + 1];
    const ty = edges[i + 2];
    if (gone.has(b)) continue; // edges into a temporary: its inputs now feed the reader
    if (gone.has(a)) {
      // a temporary's data and control dependants (a closure it holds) now hang off its reader
      if (ty !== DATA && ty !== CTRL) continue;
      a = final(a);
    }
    const na = newId[a];
    const nb = newId[b];
    if (na < 0 || nb < 0 || na === nb) continue;
    const key = (na * 4096 + nb) * 4 + ty;
    if (seen.has(key)) continue;
    seen.add(key);
    e2.push(na, nb, ty);
  }
  // a temporary's own data inputs go to its reader
  for (let i = 0; i < edges.length; i += 3) {
    const b = edges[i + 1];
    if (!gone.has(b) || edges[i + 2] !== DATA) continue;
    const na = newId[final(edges[i])] ?? -1;
    const nb = newId[final(b)];
    if (na < 0 || nb < 0 || na === nb) continue;
    const key = (na * 4096 + nb) * 4 + DATA;
    if (seen.has(key)) continue;
    seen.add(key);
    e2.push(na, nb, DATA);
  }
  return { kinds: k2, bags: b2, edges: e2, funcs: funcs.map((f) => newId[f]).filter((f) => f >= 0) };
}

/** Non-blank characters of `s`. */
function nonBlank(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 32) n++;
  return n;
}

/**
 * Build the CSSG graph of a snippet (`version` 2 by default: v2 labels and
 * canonicalisation; 1: the first metric, kept as 'cssg-v1'). Never throws;
 * unparseable or empty input gives an empty graph.
 */
export function buildGraph(code: string, lang: Lang, version: 1 | 2 = 2, opts?: CssgOptions): Graph {
  const off = offSet(opts); // an unknown normalisation name is the caller's error: thrown
  const empty = (): Graph => ({ kinds: ['root'], bags: [new Map()], edges: [], funcs: [], empty: true, capped: false, errorFrac: 1, entry: undefined });
  try {
    if (typeof code !== 'string' || code.trim() === '') return empty();
    const src = code.length > MAX_CHARS ? code.slice(0, MAX_CHARS) : code;
    const parsed = plainTree(src, lang, MAX_TREE_NODES, keepToken);
    let tree = parsed;
    let text = src;
    let b = new Builder(src, lang, version === 2, off);
    // v2 'inline-helper': a helper of several statements called once is written at its call
    // (the new source is parsed and built; a round per helper, a few at most; only for a
    // snippet that parses cleanly, and only when the new one does too)
    // (a rewrite that throws leaves the snippet as written, not empty)
    for (let round = 0; round < 3 && parsed.errorChars === 0 && parsed.missing === 0; round++) {
      let next: string | undefined;
      try {
        next = b.inlinedSource(tree.root);
      } catch {
        next = undefined;
      }
      if (next === undefined) break;
      const t2 = plainTree(next, lang, MAX_TREE_NODES, keepToken);
      if (t2.errorChars !== 0 || t2.missing !== 0) break;
      [text, tree] = [next, t2];
      b = new Builder(text, lang, version === 2, off);
    }
    b.build(tree.root);
    // v2 'dead-store': a constant assigned that no statement reads (overwritten first, or
    // never read) is dropped: built again without those statements (names then count one
    // occurrence less, so what they shadowed may fold as a temporary)
    // (the second build only when a dropped name could then fold: otherwise its nodes are removed from the graph, cheaper)
    let deadIds = new Set<number>();
    if (b.deadCandidates.size) {
      const dead = new Map(b.deadCandidates);
      for (let i = 0; i < b.edges.length && dead.size; i += 3) if (b.edges[i + 2] === DATA) dead.delete(b.edges[i]);
      for (const t of b.temps.keys()) dead.delete(t);
      if ([...dead.values()].some((v) => v[2])) {
        const again = new Builder(text, lang, version === 2, off);
        again.deadStores = new Map([...dead.values()].map((v) => [v[0], v[1]]));
        again.build(tree.root);
        b = again;
      } else deadIds = new Set(dead.keys());
    }
    // Prose is not code, even where a grammar accepts it (`hello world` is a Ruby call):
    // text with no function and none of the symbols code is made of counts as empty.
    const prose = b.funcs.length === 0 && !CODE_SYMBOLS.test(src);
    const errorFrac = Math.min(1, (parsed.errorChars + MISSING_CHARS * parsed.missing) / Math.max(1, nonBlank(src)));
    let parts = { kinds: b.kinds, bags: b.bags, edges: b.edges, funcs: b.funcs };
    if (b.temps.size || deadIds.size) parts = collapseTemps(b.kinds, b.bags, b.edges, b.funcs, b.temps, deadIds);
    // v2: the entry's name, for the interface gate (src/cssg/score.ts); every graph has the
    // field (one object shape for the matcher's hot reads)
    const entry = version === 2 ? b.entryWords(tree.root) : undefined;
    const g: Graph = { kinds: parts.kinds, bags: parts.bags, edges: parts.edges, funcs: parts.funcs, empty: parts.kinds.length <= 1 || prose, capped: b.capped, errorFrac, entry };
    return g;
  } catch {
    // A builder bug must not stall training: the snippet scores as unparseable.
    return empty();
  }
}
