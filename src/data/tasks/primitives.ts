// Element-level building blocks of the task family: predicates and maps over integers,
// words and characters. Each knows its meaning (eval), its English (for the docs) and its
// rendering as an expression in each language. Templates (templates.ts) compose them.
import type { Lang } from '../../lang/parser.js';
import type { Rng } from '../../util/rng.js';

export const EQ: Record<Lang, string> = { python: '==', ruby: '==', go: '==', javascript: '===' };
export const NE: Record<Lang, string> = { python: '!=', ruby: '!=', go: '!=', javascript: '!==' };
export const AND: Record<Lang, string> = { python: 'and', ruby: '&&', go: '&&', javascript: '&&' };

/** Wraps a compound expression in parentheses so it can be an operand. */
export function paren(e: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$|^-?\d+$/.test(e) ? e : `(${e})`;
}

export interface IntPred {
  kind: string;
  consts: number[];
  /** "is even", "is greater than 3" */
  clause: string;
  /** adjective-ish phrase for lists: "even", "greater than 3" */
  adj: string;
  test(x: number): boolean;
  render(lang: Lang, x: string): string;
}

export interface IntMap {
  kind: string;
  consts: number[];
  /** English for the mapped value of `what` */
  of(what: string): string;
  apply(x: number): number;
  render(lang: Lang, x: string): string;
}

export const INT_PRED_KINDS = ['even', 'odd', 'positive', 'negative', 'gt', 'lt', 'div', 'ndiv', 'between'] as const;
export const INT_MAP_KINDS = ['square', 'cube', 'scale', 'shift', 'minus', 'negate', 'affine'] as const;

export function intPred(kind: string, rng: Rng, nonNegative = false): IntPred {
  switch (kind) {
    case 'even':
      return { kind, consts: [], clause: 'is even', adj: 'even', test: (x) => x % 2 === 0, render: (l, x) => `${paren(x)} % 2 ${EQ[l]} 0` };
    case 'odd':
      return { kind, consts: [], clause: 'is odd', adj: 'odd', test: (x) => x % 2 !== 0, render: (l, x) => `${paren(x)} % 2 ${NE[l]} 0` };
    case 'positive':
      return { kind, consts: [], clause: 'is positive', adj: 'positive', test: (x) => x > 0, render: (_l, x) => `${paren(x)} > 0` };
    case 'negative':
      return { kind, consts: [], clause: 'is negative', adj: 'negative', test: (x) => x < 0, render: (_l, x) => `${paren(x)} < 0` };
    case 'gt': {
      const c = rng.between(nonNegative ? 1 : -5, 9);
      return { kind, consts: [c], clause: `is greater than ${c}`, adj: `greater than ${c}`, test: (x) => x > c, render: (_l, x) => `${paren(x)} > ${c}` };
    }
    case 'lt': {
      const c = rng.between(nonNegative ? 2 : -5, 9);
      return { kind, consts: [c], clause: `is less than ${c}`, adj: `less than ${c}`, test: (x) => x < c, render: (_l, x) => `${paren(x)} < ${c}` };
    }
    case 'div': {
      const c = rng.between(3, 7);
      return { kind, consts: [c], clause: `is divisible by ${c}`, adj: `divisible by ${c}`, test: (x) => x % c === 0, render: (l, x) => `${paren(x)} % ${c} ${EQ[l]} 0` };
    }
    case 'ndiv': {
      const c = rng.between(3, 7);
      return { kind, consts: [c], clause: `is not divisible by ${c}`, adj: `not divisible by ${c}`, test: (x) => x % c !== 0, render: (l, x) => `${paren(x)} % ${c} ${NE[l]} 0` };
    }
    case 'between': {
      const a = rng.between(nonNegative ? 0 : -4, 4);
      const b = a + rng.between(2, 8);
      return {
        kind,
        consts: [a, b],
        clause: `lies between ${a} and ${b} inclusive`,
        adj: `between ${a} and ${b} inclusive`,
        test: (x) => a <= x && x <= b,
        render: (l, x) => (l === 'python' ? `${a} <= ${paren(x)} <= ${b}` : `${paren(x)} >= ${a} ${AND[l]} ${paren(x)} <= ${b}`),
      };
    }
  }
  throw new Error(`unknown int predicate ${kind}`);
}

export function intMap(kind: string, rng: Rng): IntMap {
  switch (kind) {
    case 'square':
      return { kind, consts: [], of: (w) => `the square of ${w}`, apply: (x) => x * x, render: (_l, x) => `${paren(x)} * ${paren(x)}` };
    case 'cube':
      return { kind, consts: [], of: (w) => `the cube of ${w}`, apply: (x) => x * x * x, render: (_l, x) => `${paren(x)} * ${paren(x)} * ${paren(x)}` };
    case 'scale': {
      const c = rng.between(2, 5);
      return { kind, consts: [c], of: (w) => `${c} times ${w}`, apply: (x) => c * x, render: (_l, x) => `${c} * ${paren(x)}` };
    }
    case 'shift': {
      const c = rng.between(1, 9);
      return { kind, consts: [c], of: (w) => `${w} plus ${c}`, apply: (x) => x + c, render: (_l, x) => `${paren(x)} + ${c}` };
    }
    case 'minus': {
      const c = rng.between(1, 9);
      return { kind, consts: [c], of: (w) => `${w} minus ${c}`, apply: (x) => x - c, render: (_l, x) => `${paren(x)} - ${c}` };
    }
    case 'negate':
      return { kind, consts: [], of: (w) => `the negation of ${w}`, apply: (x) => -x, render: (_l, x) => `-${paren(x)}` };
    case 'affine': {
      const a = rng.between(2, 4);
      const b = rng.between(1, 5);
      return { kind, consts: [a, b], of: (w) => `${a} times ${w} plus ${b}`, apply: (x) => a * x + b, render: (_l, x) => `${a} * ${paren(x)} + ${b}` };
    }
  }
  throw new Error(`unknown int map ${kind}`);
}

// ---- words ----------------------------------------------------------------------------

export interface StrPred {
  kind: string;
  consts: (string | number)[];
  clause: string;
  test(w: string): boolean;
  render(lang: Lang, w: string): string;
}

export interface StrMap {
  kind: string;
  of(what: string): string;
  apply(w: string): string;
  render(lang: Lang, w: string): string;
}

export const STR_PRED_KINDS = ['starts', 'ends', 'longer', 'shorter', 'contains', 'capitalized'] as const;
export const STR_MAP_KINDS = ['upper', 'lower', 'capitalize', 'first', 'double'] as const;

const LETTERS = 'abcdefghijklmnoprstuw';

export function strPred(kind: string, rng: Rng): StrPred {
  switch (kind) {
    case 'starts': {
      const c = rng.pick([...LETTERS]);
      const q = JSON.stringify(c);
      const r: Record<Lang, (w: string) => string> = {
        python: (w) => `${w}.startswith(${q})`,
        ruby: (w) => `${w}.start_with?(${q})`,
        go: (w) => `strings.HasPrefix(${w}, ${q})`,
        javascript: (w) => `${w}.startsWith(${q})`,
      };
      return { kind, consts: [c], clause: `starts with the letter '${c}'`, test: (w) => w.startsWith(c), render: (l, w) => r[l](w) };
    }
    case 'ends': {
      const c = rng.pick([...LETTERS]);
      const q = JSON.stringify(c);
      const r: Record<Lang, (w: string) => string> = {
        python: (w) => `${w}.endswith(${q})`,
        ruby: (w) => `${w}.end_with?(${q})`,
        go: (w) => `strings.HasSuffix(${w}, ${q})`,
        javascript: (w) => `${w}.endsWith(${q})`,
      };
      return { kind, consts: [c], clause: `ends with the letter '${c}'`, test: (w) => w.endsWith(c), render: (l, w) => r[l](w) };
    }
    case 'longer': {
      const n = rng.between(2, 5);
      const len: Record<Lang, (w: string) => string> = { python: (w) => `len(${w})`, ruby: (w) => `${w}.length`, go: (w) => `len(${w})`, javascript: (w) => `${w}.length` };
      return { kind, consts: [n], clause: `has more than ${n} characters`, test: (w) => w.length > n, render: (l, w) => `${len[l](w)} > ${n}` };
    }
    case 'shorter': {
      const n = rng.between(3, 6);
      const len: Record<Lang, (w: string) => string> = { python: (w) => `len(${w})`, ruby: (w) => `${w}.size`, go: (w) => `len(${w})`, javascript: (w) => `${w}.length` };
      return { kind, consts: [n], clause: `has fewer than ${n} characters`, test: (w) => w.length < n, render: (l, w) => `${len[l](w)} < ${n}` };
    }
    case 'contains': {
      const c = rng.pick([...'aeiou']);
      const q = JSON.stringify(c);
      const r: Record<Lang, (w: string) => string> = {
        python: (w) => `${q} in ${w}`,
        ruby: (w) => `${w}.include?(${q})`,
        go: (w) => `strings.Contains(${w}, ${q})`,
        javascript: (w) => `${w}.includes(${q})`,
      };
      return { kind, consts: [c], clause: `contains the letter '${c}'`, test: (w) => w.includes(c), render: (l, w) => r[l](w) };
    }
    case 'capitalized': {
      const r: Record<Lang, (w: string) => string> = {
        python: (w) => `${w}[:1].isupper()`,
        ruby: (w) => `${w}[0] =~ /[A-Z]/`,
        go: (w) => `${w}[0] >= 'A' && ${w}[0] <= 'Z'`,
        javascript: (w) => `/^[A-Z]/.test(${w})`,
      };
      return { kind, consts: [], clause: 'starts with an uppercase letter', test: (w) => /^[A-Z]/.test(w), render: (l, w) => r[l](w) };
    }
  }
  throw new Error(`unknown word predicate ${kind}`);
}

export function strMap(kind: string): StrMap {
  const table: Record<string, { of: (w: string) => string; apply: (w: string) => string; r: Record<Lang, (w: string) => string> }> = {
    upper: {
      of: (w) => `${w} in uppercase`,
      apply: (w) => w.toUpperCase(),
      r: { python: (w) => `${w}.upper()`, ruby: (w) => `${w}.upcase`, go: (w) => `strings.ToUpper(${w})`, javascript: (w) => `${w}.toUpperCase()` },
    },
    lower: {
      of: (w) => `${w} in lowercase`,
      apply: (w) => w.toLowerCase(),
      r: { python: (w) => `${w}.lower()`, ruby: (w) => `${w}.downcase`, go: (w) => `strings.ToLower(${w})`, javascript: (w) => `${w}.toLowerCase()` },
    },
    capitalize: {
      of: (w) => `${w} with its first letter in uppercase`,
      apply: (w) => w.slice(0, 1).toUpperCase() + w.slice(1),
      r: {
        python: (w) => `${w}[:1].upper() + ${w}[1:]`,
        ruby: (w) => `${w}[0].upcase + ${w}[1..]`,
        go: (w) => `strings.ToUpper(${w}[:1]) + ${w}[1:]`,
        javascript: (w) => `${w}[0].toUpperCase() + ${w}.slice(1)`,
      },
    },
    first: {
      of: (w) => `the first letter of ${w}`,
      apply: (w) => w.slice(0, 1),
      r: { python: (w) => `${w}[0]`, ruby: (w) => `${w}[0]`, go: (w) => `${w}[:1]`, javascript: (w) => `${w}[0]` },
    },
    double: {
      of: (w) => `${w} written twice`,
      apply: (w) => w + w,
      r: { python: (w) => `${w} + ${w}`, ruby: (w) => `${w} * 2`, go: (w) => `${w} + ${w}`, javascript: (w) => `${w}.repeat(2)` },
    },
  };
  const t = table[kind];
  if (!t) throw new Error(`unknown word map ${kind}`);
  return { kind, of: t.of, apply: t.apply, render: (l, w) => t.r[l](w) };
}

// ---- characters -----------------------------------------------------------------------

export interface CharPred {
  kind: string;
  consts: string[];
  noun: string;
  test(c: string): boolean;
  /** in Go `ch` is a rune, elsewhere a one-character string */
  render(lang: Lang, ch: string): string;
}

export const CHAR_PRED_KINDS = ['vowel', 'digit', 'upper', 'lower', 'equal', 'space'] as const;

export function charPred(kind: string, rng: Rng): CharPred {
  switch (kind) {
    case 'vowel':
      return {
        kind,
        consts: [],
        noun: 'vowels (a, e, i, o, u in either case)',
        test: (c) => 'aeiouAEIOU'.includes(c),
        render: (l, ch) => ({ python: `${ch} in "aeiouAEIOU"`, ruby: `"aeiouAEIOU".include?(${ch})`, go: `strings.ContainsRune("aeiouAEIOU", ${ch})`, javascript: `"aeiouAEIOU".includes(${ch})` })[l],
      };
    case 'digit':
      return {
        kind,
        consts: [],
        noun: 'decimal digits',
        test: (c) => c >= '0' && c <= '9',
        render: (l, ch) => ({ python: `${ch}.isdigit()`, ruby: `${ch}.match?(/[0-9]/)`, go: `${ch} >= '0' && ${ch} <= '9'`, javascript: `${ch} >= "0" && ${ch} <= "9"` })[l],
      };
    case 'upper':
      return {
        kind,
        consts: [],
        noun: 'uppercase letters',
        test: (c) => c >= 'A' && c <= 'Z',
        render: (l, ch) => ({ python: `"A" <= ${ch} <= "Z"`, ruby: `${ch}.match?(/[A-Z]/)`, go: `${ch} >= 'A' && ${ch} <= 'Z'`, javascript: `${ch} >= "A" && ${ch} <= "Z"` })[l],
      };
    case 'lower':
      return {
        kind,
        consts: [],
        noun: 'lowercase letters',
        test: (c) => c >= 'a' && c <= 'z',
        render: (l, ch) => ({ python: `"a" <= ${ch} <= "z"`, ruby: `${ch}.match?(/[a-z]/)`, go: `${ch} >= 'a' && ${ch} <= 'z'`, javascript: `${ch} >= "a" && ${ch} <= "z"` })[l],
      };
    case 'equal': {
      const c = rng.pick([...'aeinorst']);
      return {
        kind,
        consts: [c],
        noun: `occurrences of the character '${c}'`,
        test: (x) => x === c,
        render: (l, ch) => ({ python: `${ch} == "${c}"`, ruby: `${ch} == "${c}"`, go: `${ch} == '${c}'`, javascript: `${ch} === "${c}"` })[l],
      };
    }
    case 'space':
      return {
        kind,
        consts: [],
        noun: 'spaces',
        test: (c) => c === ' ',
        render: (l, ch) => ({ python: `${ch} == " "`, ruby: `${ch} == " "`, go: `${ch} == ' '`, javascript: `${ch} === " "` })[l],
      };
  }
  throw new Error(`unknown char predicate ${kind}`);
}
