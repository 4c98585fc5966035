// THE documentation format of BatCoder tasks, in one place. The RL format filter checks
// generated documentation with `checkDoc`; the suite writes every description with
// `formatDoc`. Format (Google style, language-neutral text):
//
//   <one-line summary ending with a period>
//   <blank line>
//   Args:
//       <name>: <description>        one line per parameter, in signature order
//   <blank line>
//   Returns:
//       <description>
//
// A function without parameters omits the Args: section. Each language's comment syntax
// (Python docstring, Ruby/Go/JS line or block comments) wraps this text unchanged apart
// from the comment markers: see `docComment`.
import type { Lang } from '../../lang/parser.js';

export interface Doc {
  summary: string;
  args: { name: string; text: string }[];
  returns: string;
}

export const DOC_INDENT = '    ';

export function formatDoc(d: Doc): string {
  const lines = [d.summary, ''];
  if (d.args.length) {
    lines.push('Args:');
    for (const a of d.args) lines.push(`${DOC_INDENT}${a.name}: ${a.text}`);
    lines.push('');
  }
  lines.push('Returns:', `${DOC_INDENT}${d.returns}`);
  return lines.join('\n');
}

export interface DocCheck {
  ok: boolean;
  problems: string[];
  doc?: Doc;
}

/**
 * Parses and validates documentation text. With `params`, every parameter must appear in
 * Args: exactly once, in order, and no other names. Tolerates CRLF, trailing spaces and
 * leading/trailing blank lines; everything else is a problem reported by line.
 */
export function checkDoc(text: string, params?: readonly string[]): DocCheck {
  const problems: string[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return { ok: false, problems: ['empty documentation'] };
  const summary = lines[0].trim();
  if (summary.length < 3) problems.push('line 1: summary is empty');
  else if (/^(Args|Returns):/.test(summary)) problems.push('line 1: summary is missing (starts with a section header)');
  else if (!/[.!?]$/.test(summary)) problems.push('line 1: summary must end with a period');
  if (lines.length > 1 && lines[1] !== '') problems.push('line 2: summary must be a single line followed by a blank line');
  const args: Doc['args'] = [];
  let returns = '';
  let section: 'none' | 'args' | 'returns' = 'none';
  let sawArgs = false;
  let sawReturns = false;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') continue;
    if (l === 'Args:') {
      if (sawArgs) problems.push(`line ${i + 1}: second Args: section`);
      if (sawReturns) problems.push(`line ${i + 1}: Args: must come before Returns:`);
      sawArgs = true;
      section = 'args';
      continue;
    }
    if (l === 'Returns:') {
      if (sawReturns) problems.push(`line ${i + 1}: second Returns: section`);
      sawReturns = true;
      section = 'returns';
      continue;
    }
    if (!/^\s+\S/.test(l)) {
      if (section === 'none' && i > 1) problems.push(`line ${i + 1}: text outside a section (only a one-line summary, Args: and Returns: are allowed)`);
      else if (section !== 'none') problems.push(`line ${i + 1}: section lines must be indented`);
      continue;
    }
    if (section === 'args') {
      const m = /^\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?:\s*(\S.*)$/.exec(l);
      if (m) args.push({ name: m[1], text: m[3] });
      else if (args.length) args[args.length - 1].text += ' ' + l.trim(); // continuation line
      else problems.push(`line ${i + 1}: expected 'name: description' under Args:`);
    } else if (section === 'returns') {
      returns = returns ? `${returns} ${l.trim()}` : l.trim();
    } else problems.push(`line ${i + 1}: indented text outside a section`);
  }
  if (!sawReturns || !returns) problems.push('Returns: section missing or empty');
  if (params) {
    if (params.length && !sawArgs) problems.push('Args: section missing');
    const names = args.map((a) => a.name);
    for (const p of params) if (!names.includes(p)) problems.push(`parameter '${p}' is not documented under Args:`);
    for (const n of names) if (!params.includes(n)) problems.push(`Args: names '${n}', which is not a parameter`);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    for (const n of new Set(dup)) problems.push(`parameter '${n}' documented twice`);
    if (!problems.length && names.join(',') !== params.join(',')) problems.push(`Args: order ${names.join(', ')} differs from the signature ${params.join(', ')}`);
  }
  return { ok: problems.length === 0, problems, doc: { summary, args, returns } };
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
