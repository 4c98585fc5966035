// The skeleton of a program: its token stream with names and constants taken out, so two
// programs that differ only by renaming and by their constants have equal skeletons.
//
//   codeSkeleton(code, lang) -> string[]       tokens; comments and layout dropped
//   skeletonKey(code, lang)  -> string          the tokens joined (a Map key)
//   tokenSimilarity(a, b)    -> [0, 1]          Jaccard of the token-trigram sets of two skeletons
//
// Normalisation, token by token (a small lexer shared by Python, Ruby, Go and JavaScript):
//   - a number literal, with a unary minus in front of it, becomes `#num`; a string, char,
//     template or Ruby symbol literal becomes `#str`;
//   - a keyword or builtin type name of the language stays (`def`, `for`, `int`, `true`);
//   - a name after `.` stays (a method or field: `.append`, `.sort_by`), and so does a name
//     called as a function that the program does not define (`len(`, `sorted(`, `append(`):
//     library calls are structure;
//   - every other name (the function, its parameters, locals, package qualifiers) becomes
//     `$k`, k the order of its first occurrence: a consistent renaming maps to one skeleton.
// Renaming more than needed only makes skeletons coarser (more programs count as twins),
// which is the safe direction for a leakage check.
//
// Similarity: with T(a) the set of consecutive token triples of skeleton a (padded with a
// start and end marker), sim(a, b) = |T(a) n T(b)| / |T(a) u T(b)|; 1 for equal skeletons.
import type { Lang } from '../lang/parser.js';

const KEYWORDS: Record<Lang, ReadonlySet<string>> = {
  python: new Set(
    'def return if elif else for while in not and or is lambda None True False pass break continue yield with as try except finally raise import from global nonlocal class del assert int str bool float list dict set tuple'.split(' '),
  ),
  ruby: new Set('def end return if elsif else unless for while until in do then and or not nil true false next break yield begin rescue ensure case when class module self lambda proc'.split(' ')),
  go: new Set(
    'func return if else for range var const type struct map chan go defer switch case default break continue fallthrough package import nil true false int int64 int32 uint string bool rune byte float64 error any interface'.split(
      ' ',
    ),
  ),
  javascript: new Set(
    'function return if else for while do of in const let var new typeof instanceof null undefined true false break continue switch case default class this throw try catch finally yield async await'.split(' '),
  ),
};

/** Keywords that introduce the name of a function the program defines. */
const DEFINERS = new Set(['def', 'func', 'function']);

const OPERATORS = ['===', '!==', '**=', '//=', '...', '<=>', '&&=', '||=', '==', '!=', '<=', '>=', '&&', '||', '**', '//', ':=', '+=', '-=', '*=', '/=', '%=', '++', '--', '->', '=>', '<<', '>>', '..', '::'];

interface Lexeme {
  kind: 'name' | 'num' | 'str' | 'op';
  text: string;
}

/** Splits `code` into names, numbers, strings and operators; comments and whitespace are dropped. */
function lex(code: string, lang: Lang): Lexeme[] {
  const out: Lexeme[] = [];
  const hashComments = lang === 'python' || lang === 'ruby';
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (hashComments && c === '#') {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (!hashComments && c === '/' && code[i + 1] === '/') {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (!hashComments && c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const triple = lang === 'python' && code.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < n && !code.startsWith(close, j)) j += code[j] === '\\' ? 2 : 1;
      i = Math.min(n, j + close.length);
      out.push({ kind: 'str', text: '#str' });
      continue;
    }
    if (lang === 'ruby' && c === ':' && /[A-Za-z_]/.test(code[i + 1] ?? '') && code[i - 1] !== ':') {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_?!]/.test(code[j])) j++;
      i = j;
      out.push({ kind: 'str', text: '#str' });
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(code[j]) && !(code[j] === '.' && !/[0-9]/.test(code[j + 1] ?? ''))) j++;
      i = j;
      out.push({ kind: 'num', text: '#num' });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(code[j])) j++;
      if (lang === 'ruby' && (code[j] === '?' || code[j] === '!') && code[j + 1] !== '=') j++;
      // a string prefix (Python f'...', r'...', b'...'): the literal that follows is the token
      if (lang === 'python' && /^[rRbBfFuU]{1,2}$/.test(code.slice(i, j)) && (code[j] === '"' || code[j] === "'")) {
        i = j;
        continue;
      }
      out.push({ kind: 'name', text: code.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => code.startsWith(o, i) && !(o === '//' && lang !== 'python'));
    out.push({ kind: 'op', text: op ?? c });
    i += op ? op.length : 1;
  }
  return out;
}

/** True when a `-` at position i is a sign (not a subtraction): no operand right before it. */
function isSign(lx: Lexeme[], i: number, keywords: ReadonlySet<string>): boolean {
  const prev = lx[i - 1];
  if (!prev) return true;
  if (prev.kind === 'num' || prev.kind === 'str') return false;
  if (prev.kind === 'name') return keywords.has(prev.text) && !VALUE_KEYWORDS.has(prev.text);
  return !(prev.text === ')' || prev.text === ']' || prev.text === '}');
}

/** Keywords that are operands (a `-` after them subtracts). */
const VALUE_KEYWORDS = new Set(['None', 'True', 'False', 'nil', 'true', 'false', 'null', 'undefined', 'this', 'self', 'end']);

/** The normalised token stream of a program (see the top of this file). */
export function codeSkeleton(code: string, lang: Lang): string[] {
  const lx = lex(code, lang);
  const keywords = KEYWORDS[lang];
  const defined = new Set<string>();
  for (let i = 1; i < lx.length; i++) if (lx[i].kind === 'name' && DEFINERS.has(lx[i - 1].text)) defined.add(lx[i].text);
  const renamed = new Map<string, string>();
  const out: string[] = [];
  for (let i = 0; i < lx.length; i++) {
    const t = lx[i];
    if (t.kind === 'op' && t.text === '-' && lx[i + 1]?.kind === 'num' && isSign(lx, i, keywords)) continue; // folded into the number
    if (t.kind !== 'name') {
      out.push(t.text);
      continue;
    }
    const afterDot = lx[i - 1]?.text === '.' || lx[i - 1]?.text === '&.';
    const called = lx[i + 1]?.text === '(' && !defined.has(t.text);
    if (keywords.has(t.text) || afterDot || called) {
      out.push(t.text);
      continue;
    }
    let r = renamed.get(t.text);
    if (r === undefined) renamed.set(t.text, (r = `$${renamed.size}`));
    out.push(r);
  }
  return out;
}

/** The skeleton as one string: equal keys <=> equal up to renaming and constants. */
export function skeletonKey(code: string, lang: Lang): string {
  return codeSkeleton(code, lang).join(' ');
}

/** The set of token trigrams of a skeleton (start/end padded), the unit of `tokenSimilarity`. */
export function trigrams(skeleton: readonly string[]): Set<string> {
  const t = ['^', ...skeleton, '$end'];
  const out = new Set<string>();
  for (let i = 0; i + 2 < t.length; i++) out.add(`${t[i]}\u0001${t[i + 1]}\u0001${t[i + 2]}`);
  if (t.length < 3) out.add(t.join('\u0001'));
  return out;
}

/** Jaccard similarity of two trigram sets (from `trigrams`). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common);
}

/** Normalised-token similarity of two programs in one language, in [0, 1]. */
export function tokenSimilarity(a: string, b: string, lang: Lang): number {
  return jaccard(trigrams(codeSkeleton(a, lang)), trigrams(codeSkeleton(b, lang)));
}
