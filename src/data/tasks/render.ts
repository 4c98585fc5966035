// Turning a task into source text: signatures, whole functions, doc comments, and the
// test program appended to a (reference or model-written) function.
import type { Lang } from '../../lang/parser.js';
import { docComment } from '../../doc/index.js';
import { literal, typeName, type Ty, type Value } from './values.js';

export const INDENT: Record<Lang, string> = { python: '    ', ruby: '  ', go: '\t', javascript: '  ' };

/** Re-indents a body written with 4-space steps to the language's own step, one level deep. */
export function reindent(lang: Lang, body: string, depth = 1): string {
  return body
    .split('\n')
    .map((l) => {
      if (!l.trim()) return '';
      const m = /^( *)(.*)$/.exec(l)!;
      const level = Math.floor(m[1].length / 4) + depth;
      return INDENT[lang].repeat(level) + m[2];
    })
    .join('\n');
}

export function snake(words: string[]): string {
  return words.map((w) => w.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()).join('_');
}

export function camel(words: string[]): string {
  const parts = words.flatMap((w) => w.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[ _]/));
  return parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('');
}

export function entryName(lang: Lang, words: string[]): string {
  return lang === 'python' || lang === 'ruby' ? snake(words) : camel(words);
}

export function signature(lang: Lang, name: string, params: { name: string; type: Ty }[], returns: Ty): string {
  switch (lang) {
    case 'python':
      return `def ${name}(${params.map((p) => `${p.name}: ${typeName('python', p.type)}`).join(', ')}) -> ${typeName('python', returns)}:`;
    case 'ruby':
      return `def ${name}(${params.map((p) => p.name).join(', ')})`;
    case 'go':
      return `func ${name}(${params.map((p) => `${p.name} ${typeName('go', p.type)}`).join(', ')}) ${typeName('go', returns)} {`;
    case 'javascript':
      return `function ${name}(${params.map((p) => p.name).join(', ')}) {`;
  }
}

/** A whole function: signature, optional documentation, body, closing line. */
export function functionText(lang: Lang, sig: string, body: string, doc?: string): string {
  const b = reindent(lang, body);
  switch (lang) {
    case 'python':
      return `${sig}\n${doc ? docComment('python', doc, INDENT.python) : ''}${b}\n`;
    case 'ruby':
      return `${doc ? docComment('ruby', doc) : ''}${sig}\n${b}\nend\n`;
    case 'go':
    case 'javascript':
      return `${doc ? docComment(lang, doc) : ''}${sig}\n${b}\n}\n`;
  }
}

/** The part a model sees when it writes code from documentation: doc + signature (+ docstring for Python). */
export function codePrompt(lang: Lang, sig: string, doc: string): string {
  return lang === 'python' ? `${sig}\n${docComment('python', doc, INDENT.python)}` : `${docComment(lang, doc)}${sig}\n`;
}

export interface TestCase {
  args: Value[];
  expected: Value;
}

/** Test statements for `entry` (appended after the function; Go: a test function). */
export function testCode(lang: Lang, entry: string, params: { type: Ty }[], returns: Ty, cases: TestCase[]): string {
  const call = (c: TestCase) => `${entry}(${c.args.map((a, i) => literal(lang, params[i].type, a)).join(', ')})`;
  const want = (c: TestCase) => literal(lang, returns, c.expected);
  switch (lang) {
    case 'python':
      return cases.map((c, i) => `assert ${call(c)} == ${want(c)}, "case ${i + 1}: ${call(c).replace(/"/g, "'")}"`).join('\n') + '\n';
    case 'ruby':
      return cases.map((c, i) => `raise "case ${i + 1} failed" unless ${call(c)} == ${want(c)}`).join('\n') + '\n';
    case 'javascript':
      return (
        'const __same = (a, b) => JSON.stringify(a) === JSON.stringify(b);\n' +
        cases.map((c, i) => `if (!__same(${call(c)}, ${want(c)})) throw new Error("case ${i + 1} failed: got " + JSON.stringify(${call(c)}));`).join('\n') +
        '\n'
      );
    case 'go': {
      // %v prints nil and empty slices alike; %q keeps string boundaries visible.
      const verb = returns === 'str' || returns === 'str[]' ? '%q' : '%v';
      const body = cases
        .map((c, i) => `\tif got, want := fmt.Sprintf("${verb}", ${call(c)}), fmt.Sprintf("${verb}", ${want(c)}); got != want {\n\t\tt.Errorf("case ${i + 1}: got %s, want %s", got, want)\n\t}`)
        .join('\n');
      return `func TestTask(t *testing.T) {\n${body}\n}\n`;
    }
  }
}

const GO_PACKAGES = ['fmt', 'sort', 'strconv', 'strings', 'testing', 'unicode'];

/** A Go test file around `code` and `tests`, importing exactly the standard packages they use. */
export function goTestFile(code: string, tests: string): string {
  const text = `${code}\n${tests}`;
  const used = GO_PACKAGES.filter((p) => new RegExp(`\\b${p}\\.`).test(text));
  return `package task_test\n\nimport (\n${used.map((p) => `\t"${p}"`).join('\n')}\n)\n\n${text}`;
}
