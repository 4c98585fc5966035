// Rendering THE documentation format of BatCoder (the filter that scores generated docs
// against it is filter.ts): the suite writes every description with `formatDoc`, the
// filter writes its rewrites with `renderDoc`. Format (Google style, language-neutral text):
//
//   <one-line summary ending with a period>
//   <blank line>
//   Args:
//       <name>: <description>        one line per parameter, in signature order
//   <blank line>
//   Returns:
//       <description>
//
// Optional description paragraphs may follow the summary, and an Args entry may carry a
// type in parentheses (`name (type): text`). A function without parameters omits the
// Args: section. Each language's comment syntax (Python docstring, Ruby/Go/JS line or
// block comments) wraps this text unchanged apart from the comment markers: see `docComment`.
import type { Lang } from '../lang/parser.js';

export interface Doc {
  summary: string;
  args: { name: string; text: string }[];
  returns: string;
}

export const DOC_INDENT = '    ';

export interface DocArg {
  name: string;
  /** Type text inside the parentheses of `name (type): ...`, if any. */
  type?: string;
  text: string;
}

/** A doc in parts: what the filter parses and rewrites. */
export interface DocParts {
  summary: string;
  description: string[][];
  args: DocArg[];
  returns: string[];
}

/** Render parts in the canonical format. */
export function renderDoc(p: DocParts): string {
  const out: string[] = [p.summary];
  for (const para of p.description) out.push('', ...para);
  if (p.args.length) {
    out.push('', 'Args:');
    for (const a of p.args) out.push(`${DOC_INDENT}${a.name}${a.type !== undefined ? ` (${a.type})` : ''}: ${a.text}`);
  }
  out.push('', 'Returns:', ...p.returns.map((l) => DOC_INDENT + l));
  return out.join('\n');
}

/** A one-paragraph doc (summary, Args, a one-line Returns) in the canonical format. */
export function formatDoc(d: Doc): string {
  return renderDoc({ summary: d.summary, description: [], args: d.args, returns: [d.returns] });
}

/** The documentation as a comment in `lang`, indented by `indent` (Python: a docstring body). */
export function docComment(lang: Lang, text: string, indent = ''): string {
  const lines = text.split('\n');
  switch (lang) {
    case 'python':
      return `${indent}"""${lines.map((l, i) => (i === 0 || l === '' ? l : indent + l)).join('\n')}\n${indent}"""\n`;
    case 'ruby':
      return lines.map((l) => (l ? `${indent}# ${l}` : `${indent}#`)).join('\n') + '\n';
    case 'go':
      return lines.map((l) => (l ? `${indent}// ${l}` : `${indent}//`)).join('\n') + '\n';
    case 'javascript':
      return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
  }
}

/** Strips comment markers from a doc comment written by `docComment` (or a model imitating it). */
export function uncomment(lang: Lang, comment: string): string {
  let lines = comment.replace(/\r\n?/g, '\n').split('\n');
  if (lang === 'python') {
    const body = comment.trim().replace(/^[rRuU]?("""|''')/, '').replace(/("""|''')$/, '');
    lines = body.split('\n');
    const ind = Math.min(...lines.slice(1).filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length), Infinity);
    return lines.map((l, i) => (i === 0 || !Number.isFinite(ind) ? l.trim() === '' ? '' : l : l.slice(ind))).join('\n').trim();
  }
  if (lang === 'javascript') {
    return lines
      .map((l) => l.replace(/^\s*\/\*\*?/, '').replace(/\*\/\s*$/, '').replace(/^\s*\* ?/, '').replace(/^\s*\/\/ ?/, ''))
      .join('\n')
      .trim();
  }
  const marker = lang === 'ruby' ? /^\s*# ?/ : /^\s*\/\/ ?/;
  return lines.map((l) => l.replace(marker, '')).join('\n').trim();
}
