// tree-sitter parsers for the four languages BatCoder handles. Grammar versions are
// pinned exactly in package.json: tree shapes change between releases (tree-sitter-go
// 0.25 added `statement_list`), and with them every structural reward.
//
// Native bindings (tree-sitter 0.25.1) rather than web-tree-sitter: no .delete()
// discipline on trees, cursors ~5x faster than child accessors, ~75 s compile at install.
import { createRequire } from 'node:module';
import type ParserT from 'tree-sitter';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter') as typeof ParserT;

export type Lang = 'python' | 'ruby' | 'go' | 'javascript';
export const LANGS: readonly Lang[] = ['python', 'ruby', 'go', 'javascript'];

const grammarModule: Record<Lang, string> = {
  python: 'tree-sitter-python',
  ruby: 'tree-sitter-ruby',
  go: 'tree-sitter-go',
  javascript: 'tree-sitter-javascript',
};

const extensions: Record<string, Lang> = {
  '.py': 'python',
  '.rb': 'ruby',
  '.go': 'go',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
};

const aliases: Record<string, Lang> = { py: 'python', rb: 'ruby', js: 'javascript', golang: 'go', node: 'javascript' };

/** Normalise a user-given language name ('py', 'Python', 'js', ...); throws on unknown names. */
export function parseLang(name: string): Lang {
  const n = typeof name === 'string' ? name.toLowerCase() : '';
  if ((LANGS as readonly string[]).includes(n)) return n as Lang;
  // own properties only: 'constructor' or '__proto__' must not reach Object.prototype
  if (Object.hasOwn(aliases, n)) return aliases[n];
  throw new Error(`unknown language '${name}' (expected one of ${LANGS.join(', ')})`);
}

/** Language from a file name's extension, or undefined. */
export function langFromPath(path: string): Lang | undefined {
  const m = /\.[^./]+$/.exec(path);
  const ext = m ? m[0].toLowerCase() : '';
  return Object.hasOwn(extensions, ext) ? extensions[ext] : undefined;
}

const parsers = new Map<Lang, ParserT>();

/** A parser for `lang` (one per language per thread; tree-sitter parsers are not reentrant). */
export function parserFor(lang: Lang): ParserT {
  let p = parsers.get(lang);
  if (!p) {
    p = new Parser();
    p.setLanguage(require(grammarModule[lang]));
    parsers.set(lang, p);
  }
  return p;
}

/**
 * Parse source text. tree-sitter recovers from syntax errors (ERROR / MISSING nodes),
 * so this returns a tree for any string. Large inputs are passed through a callback
 * because the binding's string path is limited to 32 KiB.
 */
export function parse(code: string, lang: Lang): ParserT.Tree {
  const p = parserFor(lang);
  if (code.length < 32_000) return p.parse(code);
  return p.parse((index: number) => (index < code.length ? code.slice(index, index + 16_384) : null));
}

export type { ParserT as TreeSitter };
export type SyntaxNode = ParserT.SyntaxNode;
