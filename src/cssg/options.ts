// The CSSG v2 normalisations by name, and the options object that switches them off.
//
// Each name is one canonicalisation of src/cssg/build.ts (docs/cssg.md lists them with
// an example each), but the last, 'interface-gate', which switches the score's interface
// gate (src/cssg/interface.ts) instead of a graph rule. All are on by default; `{ off: ['commutative'] }` builds graphs
// without that one, so its effect on the validation numbers can be measured
// (`node dist/bench/cssg-validity.js --ablate`). The options travel with each call
// (similarity, scorePairs): there is no global switch, and graphs built under different
// options never share a cache entry.

export const NORMALISATIONS = [
  'commutative', // `b * a` = `a * b`
  'comparison-direction', // `a > b` = `b < a`
  'negation', // `not a < b` = `b <= a`
  'update-form', // `x += y` = `x = x + y`
  'if-swap', // `if a != b: A else: B` = `if a == b: B else: A`
  'temporaries', // `t = a * b; return t + 1` = `return a * b + 1`
  'bag-comparisons', // comparison operators leave the feature bag (the canonical text holds them)
  'comprehension-loop', // `[f(x) for x in xs if p(x)]` = `out = []; for x in xs: if p(x): out.append(f(x))`
  'accumulator', // `sum(f(x) for x in xs)` = `s = 0; for x in xs: s += f(x)`; any/all in a return
  'index-loop', // `for i in range(len(xs)): ... xs[i] ...` = `for x in xs: ... x ...`; enumerate with an unused index
  'ternary-return', // `return a if c else b` = `if c: return a` / `else: return b`
  'method-call', // `s.split(',')` = go's `strings.Split(s, ",")`; `sep.join(xs)` = `xs.join(sep)`; `s.includes(x)` = `x in s`
  'append-call', // go's `out = append(out, x)` = `out.append(x)` = `out.push(x)`
  'switch-if', // go's `switch { case c: A; default: B }` = `if c: A` / `else: B`
  'chained-comparison', // `a <= x <= b` = `a <= x and x <= b`
  'char-class', // `'0' <= c and c <= '9'` = `c.isdigit()` (a-z islower, A-Z isupper)
  'flag-break', // `ok = False; for ...: if c: ok = True; break; return ok` = `for ...: if c: return True; return False`
  'step-slice', // js `xs.filter((_, i) => i % k === 0)` = `xs[::k]`; go's stepping append loop = `xs[::k]`
  'negative-index', // `xs[len(xs) - 1]` = `xs[-1]`; `xs[len(xs)-k:]` = `xs[-k:]`
  'clamp', // `v = a; if v > b: v = b` = `v = min(a, b)` (max likewise)
  'enumerate-index', // `for i in range(len(xs)): ... i ... xs[i]` = `for i, x in enumerate(xs): ... i ... x`
  'reverse-loop', // `for i in range(len(xs) - 1, -1, -1): ... xs[i]` = `for x in reversed(xs)`; `max((i for i, x in enumerate(xs) if p(x)), default=d)` = the search from the end
  'insertion-sort', // `out = []; for x in xs: i = len(out); while i > 0 and out[i - 1] > x: i -= 1; out.insert(i, x)` = `out = sorted(xs)`
  'conditional-assign', // `v = a if c else b` = `if c: v = a` / `else: v = b`; `a = b = 0` = `a = 0; b = 0`
  'string-builder', // go's `var b strings.Builder; b.WriteString(x); b.String()` = `b = ''; b += x; b`
  'map-filter', // python `list(filter(lambda x: p, xs))` = `[x for x in xs if p]`; `tuple(e for ...)` = `[e for ...]`
  'membership', // `x == 1 or x == 3` = `x in [1, 3]` = js `[1, 3].includes(x)`
  'value-switch', // go's `switch x { case 1, 3: A; default: B }` = `if x in [1, 3]: A` / `else: B`
  'bool-return', // `if c: return True` + `return False` = `return c` (c a comparison, any/all, in, not, and/or of those)
  'zero-value', // go's `var xs []int` = `xs = []`, `var n int` = `n = 0`; `make([]int, 0, k)` = `[]`, `make(map[K]V)` = `{}`
  'power', // `x * x * x` = `x ** 3` (a product of equal factors, no calls in them)
  'parallel-assign', // `a, b = 0, 1` = `a = 0; b = 1` when no right side reads a left name
  'dead-store', // `j = 0` that nothing reads (overwritten first) is dropped
  'sum-loop', // `sum(xs)` = js `xs.reduce((a, b) => a + b, 0)` = `t = 0; for x in xs: t += x`
  'spread-max', // js `Math.max(...xs)` = `max(xs)`; a chain's `([a, b]) => e` = python's `for a, b in xs`
  'search-break', // `r = d; for ...: if c: r = e; break` + `return r` = `for ...: if c: return e` + `return d`
  'named-constant', // `const pi = 3.14; return pi * r * r` = `return 3.14 * r * r` (a local bound once to a literal)
  'min-max', // `if a <= b: return a` / `else: return b` = `return min(a, b)`; a helper that is min/max/abs of its parameters is that builtin
  'fill-loop', // go's `out := make([]T, len(xs)); for i, x := range xs { out[i] = f(x) }` = `out = []; for x in xs: out.append(f(x))`
  'loop-forms', // `range(0, n)` = `range(n)`; go's `for init; cond; post {}` labelled as js's (init, `while cond`, post)
  'abs-if', // `if d < 0: d = -d` = `d = abs(d)`; after `d = e` it is `d = abs(e)`
  'element-unpack', // `for a, b in ps: a * b` = go `for _, p := range ps { p[0] * p[1] }` = js `([a, b]) => a * b`: the k-th element of a loop's tuple is `v<k>`
  'index-zip', // `for i in range(len(xs)): ... xs[i] ... ys[i]` = `for x, y in zip(xs, ys)` = js `xs.map((x, i) => f(x, ys[i]))` = `map(lambda x, y: f, xs, ys)`
  'pairs-from-one', // `for i in range(1, len(xs)): ... xs[i - 1], xs[i]` = `for a, b in zip(xs, xs[1:])` (js/go counted loops from 1 too)
  'named-length', // `n = len(xs)` (xs never changed) then `range(n)` = `range(len(xs))`: the name reads as the length it holds
  'extreme-chain', // `if a <= b and a <= c: r = a` / `elif b <= c: r = b` / `else: r = c` = `r = min(a, b, c)`; `v = a; if b < v: v = b; if c < v: v = c` = `v = min(a, b, c)`
  'reduce-loop', // js `xs.reduce((a, x) => a ^ x, 0)` = `a = 0; for x in xs: a ^= x` (any operator, any start value: reduce is that loop)
  'multi-append', // go `out = append(out, a, b)` = js `out.push(a, b)` = python `out.extend([a, b])`; `[v for x in xs for v in (a, b)]` = js `xs.flatMap((x) => [a, b])` = that loop
  'counting-while', // `i = 0` + `while i < n: ...; i += 1` = `for i in range(n): ...` (the update last, i and n unchanged otherwise, no continue)
  'many-zip', // `for i in range(len(xs)): ... xs[i], ys[i], zs[i]` = `for x, y, z in zip(xs, ys, zs)` (index-zip with more sequences)
  'best-so-far', // `m = xs[0]; for x in xs: if x > m: m = x` + `return m` = `return max(xs)`: the fold is max of the list its loop builds
  'ruby-blocks', // ruby `xs.select { |x| p }.map { |x| f }` = `[f(x) for x in xs if p(x)]`; `.sum`, `.count { }`, `any? { }`, `find { }`... (src/cssg/ruby.ts)
  'ruby-loops', // ruby `xs.each do |x|` = `for x in xs`; `n.times`, `(a...b).each`, `a.upto(b)` = `for i in range(...)`; `each_with_index`
  'ruby-calls', // ruby `xs.length` = `len(xs)`; `s.split(',')` = `split(s, ',')`; `out << e` = `out.push(e)` = `out.append(e)`
  'inline-helper', // `def is_vowel(c): return c in 'aeiou'` called once as `is_vowel(s[i])` = `s[i] in 'aeiou'` written inline; a helper of several statements called once (`return h(x)`, `y = h(x)`, `if h(x):`) = its statements at the call
  'ruby-returns', // ruby's last expression is its return: `x + 1` at the end = `return x + 1`; `c ? a : b` there = if/else returns
  'interface-gate', // not a graph rule: S is multiplied by a + (1 - a) N, N = Dice of the entry function's name subwords (src/cssg/interface.ts); renaming the entry lowers S
] as const;

export type Normalisation = (typeof NORMALISATIONS)[number];

export interface CssgOptions {
  /** normalisations switched off (default: none, every one is on) */
  off?: readonly Normalisation[];
}

const NONE: ReadonlySet<Normalisation> = new Set();

/** The switched-off set of `opts`; an unknown name is an error naming it. */
export function offSet(opts: CssgOptions | undefined): ReadonlySet<Normalisation> {
  const off = opts?.off;
  if (!off || off.length === 0) return NONE;
  for (const n of off) if (!(NORMALISATIONS as readonly string[]).includes(n)) throw new Error(`unknown CSSG normalisation '${String(n)}' (expected one of ${NORMALISATIONS.join(', ')})`);
  return new Set(off);
}

/** A cache-key part for the switched-off set ('' when all are on). */
export function offKey(off: ReadonlySet<Normalisation>): string {
  return off.size === 0 ? '' : [...off].sort().join(',');
}
