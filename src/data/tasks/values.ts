// Value types of task parameters and results, and their literals in each language.
import type { Lang } from '../../lang/parser.js';

export type Ty = 'int' | 'str' | 'bool' | 'int[]' | 'str[]';
export type Value = number | string | boolean | number[] | string[];

export function typeName(lang: Lang, t: Ty): string {
  const table: Record<Ty, Record<Lang, string>> = {
    int: { python: 'int', go: 'int', ruby: 'Integer', javascript: 'number' },
    str: { python: 'str', go: 'string', ruby: 'String', javascript: 'string' },
    bool: { python: 'bool', go: 'bool', ruby: 'Boolean', javascript: 'boolean' },
    'int[]': { python: 'list[int]', go: '[]int', ruby: 'Array<Integer>', javascript: 'number[]' },
    'str[]': { python: 'list[str]', go: '[]string', ruby: 'Array<String>', javascript: 'string[]' },
  };
  return table[t][lang];
}

/** English for a type, used in the Args: lines. */
export function typeWords(t: Ty): string {
  return { int: 'an integer', str: 'a string', bool: 'a boolean', 'int[]': 'a list of integers', 'str[]': 'a list of strings' }[t];
}

function str(s: string): string {
  // Task strings are ASCII letters, digits, spaces and punctuation without quotes,
  // backslashes or '#', so JSON's escaping is valid in all four languages.
  return JSON.stringify(s);
}

export function literal(lang: Lang, t: Ty, v: Value): string {
  switch (t) {
    case 'int':
      return String(v);
    case 'str':
      return str(v as string);
    case 'bool':
      return lang === 'python' ? (v ? 'True' : 'False') : v ? 'true' : 'false';
    case 'int[]': {
      const items = (v as number[]).map(String).join(', ');
      return lang === 'go' ? `[]int{${items}}` : `[${items}]`;
    }
    case 'str[]': {
      const items = (v as string[]).map(str).join(', ');
      return lang === 'go' ? `[]string{${items}}` : `[${items}]`;
    }
  }
}

export function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
