/**
 * The documentation format filter of BatCoder's stage 1: R_doc in {0, 0.5, 1}.
 *
 * THE FORMAT (the same for python, ruby, go and javascript: the doc is prose; only the
 * parameter names come from the code, see signature.ts for the per-language rules):
 *
 *     <one-line summary>
 *
 *     [<optional description paragraphs>
 *
 *     ]Args:
 *         <param 1>: <description>
 *         <param 2> (<type>): <description>      (a type in parentheses is allowed)
 *
 *     Returns:
 *         <description, one or more lines>
 *
 * - The summary is one line of prose. Description paragraphs are optional.
 * - `Args:` lists every parameter of the code's first function, one line each, in the
 *   signature's order, indented by 4 spaces, with a non-empty description. It is omitted
 *   when the function has no parameters.
 * - `Returns:` is always present (a function without a result says e.g. "None.").
 * - Leading/trailing blank lines and trailing spaces do not matter; anything else does.
 *
 * DECISIONS
 *   1    the doc is exactly in this format and names every parameter.
 *   0.5  usable after a deterministic rewrite, which is what stage 2 sees (`doc`):
 *        chatter stripped ("Sure! Here is...", "Hope this helps"), markdown fences, docstring
 *        quotes or comment markers removed, markdown headings normalised, the signature line
 *        removed, a code example block removed, headers added or renamed (Parameters ->
 *        Args, Return -> Returns), parameters listed without a header or in Sphinx
 *        (`:param a:`), JSDoc (`@param a`), numpy (`a : int`) or bullet style collected,
 *        parameter order fixed, parameters that the code lacks dropped, a parameter
 *        missing from Args recovered from a prose sentence naming it and no other parameter
 *        (in backticks, or as a whole word when the name has 3+ characters; not the
 *        summary's first sentence), a multi-line summary joined, extra
 *        sections (Raises, Examples...) dropped, a missing Returns section added (from a
 *        "Returns ..." sentence when there is one, else "None."), layout re-indented.
 *   0    unusable (`doc` is ''): empty; code instead of prose; leaks the code body (a
 *        code line of >= 12 non-space characters appears verbatim); no summary line;
 *        parameters missing that cannot be recovered; degenerate repetition.
 *
 * `reasons` says why the score is not 1 (what was rewritten, or why the doc is unusable).
 */
import type { Lang } from '../lang/parser.js';
import { signatureOf, type Signature } from './signature.js';
import { renderDoc, type DocArg, type DocParts } from './render.js';

export type DocScore = 0 | 0.5 | 1;

export interface FormatResult {
  score: DocScore;
  /** The doc stage 2 sees: the input (score 1), its rewrite (0.5), or '' (0). */
  doc: string;
  reasons: string[];
  /** Parameter names required by the code (empty when the code has no function). */
  params: string[];
}

export interface FormatOptions {
  /** Minimum non-space characters of a code line for a verbatim copy to count as a leak (default 12). */
  minLeakChars?: number;
  /**
   * The code's signature if already known (signatureOf(code, lang)); saves a parse per doc
   * when the K docs of one snippet are checked. null: the code has no function.
   */
  signature?: Signature | null;
}

/** CRLF -> LF, trailing spaces trimmed, leading/trailing blank lines dropped. */
function normalizeWhitespace(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const nonSpace = (s: string) => s.replace(/\s+/g, '').length;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---- recognisers -------------------------------------------------------------------

const ARGS_NAMES = /^(args|arguments|parameters|params|param|inputs|keyword arguments|kwargs)$/i;
const RETURNS_NAMES = /^(returns?|return values?|yields?|outputs?|result)$/i;
const OTHER_NAMES = /^(raises|throws|exceptions|errors|examples?|usage|notes?|see also|attributes|complexity|time complexity|warning|todo|references?)$/i;

type HeaderKind = 'args' | 'returns' | 'other';

/** A section header line: "Args:", "## Parameters", "**Returns:**", "Returns: the sum" (inline). */
function headerOf(line: string): { kind: HeaderKind; name: string; inline: string } | null {
  let t = line.trim().replace(/^#{1,6}\s+/, '').replace(/^\*\*(.+?)\*\*/, '$1').replace(/^__(.+?)__/, '$1');
  t = t.replace(/^\*\*/, '').replace(/\*\*$/, '').trim();
  // the name runs to a colon or to the end of the line
  const m = /^([A-Za-z][A-Za-z ]{0,24}?)\s*(?:(:)\s*(.*))?$/.exec(t);
  if (!m) return null;
  const name = m[1]!.trim();
  const colon = m[2] !== undefined;
  const inline = (m[3] ?? '').replace(/^\*\*\s*/, '').trim();
  let kind: HeaderKind | null = null;
  if (ARGS_NAMES.test(name)) kind = 'args';
  else if (RETURNS_NAMES.test(name)) kind = 'returns';
  else if (OTHER_NAMES.test(name)) kind = 'other';
  if (!kind) return null;
  // Without a colon only a bare word is a header ("Returns" alone; not "Returns the sum").
  if (!colon && inline !== '') return null;
  if (kind === 'args' && inline !== '') return null; // "Args: a, b" is too vague to parse
  return { kind, name, inline };
}

/** `name: desc`, `- name: desc`, `1. name: desc`, `name (type): desc`, `name - desc`, `` `name`: desc ``. */
const ENTRY_RE = /^(?:(?:[-*•+]|\d+[.)])\s+)?`?([*&]{0,2}(?:\.\.\.)?[A-Za-z_$][\w$]*)`?\s*(?:\(([^)]*)\))?\s*(?::|\s-\s|\s–\s|\s—\s|\s--\s)\s*(.*)$/;
/** numpy style entry: `name : type` (description on the following indented lines). */
const NUMPY_RE = /^([*]{0,2}[A-Za-z_$][\w$]*)\s+:\s*(.*)$/;
const SPHINX_PARAM = /^:param\s+(?:[\w.[\], ]+\s+)?([*]{0,2}[A-Za-z_]\w*)\s*:\s*(.*)$/;
const SPHINX_RETURN = /^:returns?\s*:\s*(.*)$/;
const SPHINX_DROP = /^:(type|rtype|raises?)\b/;
const JSDOC_PARAM = /^@(?:param|arg|argument)\s+(?:\{[^}]*\}\s*)?\[?((?:\.\.\.)?[A-Za-z_$][\w$.]*)(?:=[^\]]*)?\]?\s*(?:-\s*)?(.*)$/;
const JSDOC_RETURN = /^@returns?\s+(?:\{[^}]*\}\s*)?(?:-\s*)?(.*)$/;
const JSDOC_DROP = /^@\w+/;

function cleanName(n: string): string {
  return n.replace(/^[*&]+/, '').replace(/^\.\.\./, '');
}

const CODE_START = /^(def|class|func|function|return|import|package|var|let|const|elif|elsif|end|puts|print|printf|console\.\w+|fmt\.\w+|raise|yield|self\.|this\.|require|module|async\s+def|export|for\s*\(|while\s*\(|if\s*\(|switch\s*\(|try\s*\{|catch\b)(\b|\s|\(|$)/;

/** Whether one line looks like source code rather than prose. */
export function looksLikeCode(line: string): boolean {
  const t = line.trim().replace(/\s+\/\/.*$/, ''); // a trailing `// comment` says nothing
  if (t === '') return false;
  // a sentence is prose even when it quotes an operator ("Count the positions where a != b, ...")
  const words = t.split(/\s+/);
  if (/^[A-Z][a-z]/.test(t) && /[.!?]$/.test(t) && words.length >= 6 && words.filter((w) => /^[A-Za-z][a-z]*[,.;:]?$/.test(w)).length >= 0.6 * words.length) return false;
  // a keyword start is code when the line carries code punctuation or is a short clause
  // without a full stop ("return a + b", "end", "import os"); "return the sum of a and b" is prose
  if (CODE_START.test(t) && (/[(){}[\]=;<>+\-*/%]/.test(t) || (t.split(/\s+/).length <= 3 && !/\.$/.test(t)))) return true;
  if (/[{};]$/.test(t) || /^[{}]/.test(t)) return true;
  if (/\)\s*:$/.test(t)) return true; // def f(a):
  if (/(=>|:=|==|!=|\+=|-=|&&|\|\||<<|>>)/.test(t)) return true;
  if (/^[\w.[\]]+\s*=\s*\S/.test(t)) return true; // x = ...
  if (/^(if|for|while|unless)\b.*:$/.test(t)) return true; // python blocks
  return false;
}

const CHATTER_START = [
  // an interjection followed by punctuation or alone ("Sure!", "Certainly, here..."; not "OK status codes are...")
  /^(sure|certainly|of course|okay|ok|absolutely|great|alright)([!.,:]|$)/i,
  /^(here(?:'s| is| are)|below is|the following is)\b.*[:.!]$/i,
  /^(documentation|docstring|doc|comment)\s*:$/i,
];
const CHATTER_END = [/^(let me know|i hope|hope this|feel free|if you (?:have|need|want))\b/i];

interface Flags {
  reasons: string[];
}

function add(f: Flags, r: string): void {
  if (!f.reasons.includes(r)) f.reasons.push(r);
}

// ---- unwrapping ---------------------------------------------------------------------

const CODE_FENCE_TAGS = /^(python|py|ruby|rb|go|golang|js|javascript|ts|typescript|jsx|sh|bash|shell|c|cpp|java|rust)$/i;

/** Remove markdown fences: unwrap prose blocks, drop code blocks. */
function unfence(lines: string[], f: Flags): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*```+\s*([\w+-]*)\s*$/.exec(lines[i]!);
    if (!m) {
      out.push(lines[i]!);
      continue;
    }
    let j = i + 1;
    while (j < lines.length && !/^\s*```+\s*$/.test(lines[j]!)) j++;
    const block = lines.slice(i + 1, j);
    const nonEmpty = block.filter((l) => l.trim() !== '');
    const codeLines = nonEmpty.filter((l) => looksLikeCode(l)).length;
    const isCode = CODE_FENCE_TAGS.test(m[1]!) ? codeLines > 0 || nonEmpty.length === 0 : nonEmpty.length > 0 && codeLines * 2 >= nonEmpty.length;
    if (isCode) add(f, 'removed a code block');
    else {
      add(f, 'removed markdown fences');
      out.push(...block);
    }
    i = j; // skip the closing fence (or run to the end if unclosed)
  }
  return out;
}

/** Remove docstring quotes and comment markers around/inside the doc. */
function uncomment(lines: string[], f: Flags): string[] {
  let ls = lines.slice();
  const first = ls.findIndex((l) => l.trim() !== '');
  if (first < 0) return ls;
  // """ ... """ or ''' ... '''
  const q = /^\s*[rRuUbB]?("""|''')/.exec(ls[first]!);
  if (q) {
    add(f, 'removed docstring quotes');
    ls[first] = ls[first]!.replace(/^\s*[rRuUbB]?("""|''')/, '');
    for (let i = ls.length - 1; i >= 0; i--) {
      if (ls[i]!.includes(q[1]!)) {
        ls[i] = ls[i]!.slice(0, ls[i]!.lastIndexOf(q[1]!));
        break;
      }
    }
  }
  // /** ... */ block comments
  if (/^\s*\/\*\*?/.test(ls[first]!)) {
    add(f, 'removed comment markers');
    ls[first] = ls[first]!.replace(/^\s*\/\*\*?/, '');
    ls = ls.map((l) => l.replace(/\s*\*\/\s*$/, '').replace(/^\s*\*(?!\*)\s?/, ''));
  }
  const nonEmpty = ls.filter((l) => l.trim() !== '');
  // every line a `//` or `#` comment (go / ruby / python comment-style docs)
  if (nonEmpty.length && nonEmpty.every((l) => /^\s*\/\/\/?/.test(l))) {
    add(f, 'removed comment markers');
    ls = ls.map((l) => l.replace(/^\s*\/\/\/?\s?/, ''));
  } else if (nonEmpty.length && nonEmpty.every((l) => /^\s*#(?!#)(\s|$)/.test(l))) {
    add(f, 'removed comment markers');
    ls = ls.map((l) => l.replace(/^\s*#\s?/, ''));
  } else if (nonEmpty.length && nonEmpty.some((l) => /^\s*#{1,6}\s+\S/.test(l))) {
    // markdown headings: keep the text (headerOf recognises "## Args")
    ls = ls.map((l) => {
      const m = /^\s*#{1,6}\s+(.*)$/.exec(l);
      if (!m) return l;
      add(f, 'normalised markdown headings');
      return m[1]!;
    });
  }
  return ls;
}

function stripChatter(lines: string[], f: Flags): string[] {
  let ls = lines.slice();
  for (;;) {
    const i = ls.findIndex((l) => l.trim() !== '');
    if (i < 0 || !CHATTER_START.some((re) => re.test(ls[i]!.trim()))) break;
    add(f, 'stripped chatter');
    ls = ls.slice(i + 1);
  }
  for (;;) {
    let i = ls.length - 1;
    while (i >= 0 && ls[i]!.trim() === '') i--;
    if (i < 0 || !CHATTER_END.some((re) => re.test(ls[i]!.trim()))) break;
    add(f, 'stripped chatter');
    ls = ls.slice(0, i);
  }
  return ls;
}

// ---- parsing ------------------------------------------------------------------------

interface Parsed {
  prose: string[][]; // paragraphs before the first section (or outside sections)
  args: DocArg[];
  argsHeader: 'none' | 'canonical' | 'other';
  looseArgs: DocArg[]; // entries found outside an Args section
  returns: string[] | null;
  returnsCanonical: boolean;
  dropped: string[];
}

function parseDoc(lines: string[], params: readonly string[], f: Flags): Parsed {
  const p: Parsed = { prose: [], args: [], argsHeader: 'none', looseArgs: [], returns: null, returnsCanonical: false, dropped: [] };
  const paramSet = new Set(params);
  let section: 'prose' | 'args' | 'returns' | 'other' = 'prose';
  let para: string[] = [];
  let last: DocArg | null = null;
  let numpy = false;
  let afterBlank = false;
  const flushPara = () => {
    if (para.length) p.prose.push(para);
    para = [];
  };
  const indentOf = (l: string) => /^\s*/.exec(l)![0].length;
  const entryIndent = new Map<DocArg, number>(); // indentation of each Args entry line
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    // numpy underline "----------" after a header: skip
    if (/^-{3,}$/.test(t) || /^={3,}$/.test(t)) {
      if (section !== 'prose') numpy = true;
      continue;
    }
    if (t === '') {
      flushPara();
      last = section === 'args' && numpy ? last : null;
      if (section === 'returns' && p.returns!.length) afterBlank = true;
      continue;
    }
    // unindented text after a blank line that ends the Returns block: trailing prose
    if (section === 'returns' && afterBlank && indentOf(line) === 0 && !headerOf(line)) {
      add(f, 'dropped text after the Returns section');
      section = 'other';
      continue;
    }
    const h = headerOf(line);
    if (h) {
      flushPara();
      last = null;
      afterBlank = false;
      numpy = i + 1 < lines.length && /^\s*-{3,}\s*$/.test(lines[i + 1]!);
      if (h.kind === 'args') {
        section = 'args';
        const canonical = line === 'Args:';
        if (p.argsHeader !== 'canonical') p.argsHeader = canonical ? 'canonical' : 'other';
        if (!canonical) add(f, `renamed header '${t}' to 'Args:'`);
      } else if (h.kind === 'returns') {
        section = 'returns';
        p.returns = p.returns ?? [];
        p.returnsCanonical = line === 'Returns:';
        if (!p.returnsCanonical) add(f, `renamed header '${t}' to 'Returns:'`);
        if (h.inline) p.returns.push(h.inline);
      } else {
        section = 'other';
        p.dropped.push(h.name);
        add(f, `dropped section '${h.name}'`);
      }
      continue;
    }
    // Sphinx / JSDoc tags anywhere
    let m: RegExpExecArray | null;
    if ((m = SPHINX_PARAM.exec(t)) || (m = JSDOC_PARAM.exec(t))) {
      flushPara();
      add(f, 'converted tagged parameters (:param / @param) to Args');
      const a: DocArg = { name: cleanName(m[1]!), text: m[2]!.trim() };
      p.looseArgs.push(a);
      last = a;
      section = 'args';
      continue;
    }
    if ((m = SPHINX_RETURN.exec(t)) || (m = JSDOC_RETURN.exec(t))) {
      flushPara();
      add(f, 'converted a tagged return (:returns: / @returns) to Returns');
      p.returns = [m[1]!.trim()].filter((x) => x);
      section = 'returns';
      last = null;
      continue;
    }
    if (SPHINX_DROP.test(t) || (JSDOC_DROP.test(t) && !/^@(param|arg|argument|returns?)\b/.test(t))) {
      add(f, `dropped tag line '${t.split(/\s/)[0]}'`);
      continue;
    }
    if (section === 'args') {
      const e = numpy ? NUMPY_RE.exec(t) ?? ENTRY_RE.exec(t) : ENTRY_RE.exec(t);
      // a new entry unless it is indented deeper than the previous one (a continuation),
      // except that a line naming a real parameter always starts an entry
      const lastIndent = last ? entryIndent.get(last) : undefined;
      const isEntry = e && (!last || (lastIndent !== undefined && indentOf(line) <= lastIndent) || paramSet.has(cleanName(e[1]!)));
      if (e && isEntry) {
        const a: DocArg = { name: cleanName(e[1]!), text: '' };
        if (numpy && NUMPY_RE.test(t)) {
          if (e[2]) a.type = e[2].trim();
        } else {
          if (e[2] !== undefined) a.type = e[2].trim();
          a.text = (e[3] ?? '').trim();
        }
        entryIndent.set(a, indentOf(line));
        p.args.push(a);
        last = a;
        continue;
      }
      if (last) {
        last.text = (last.text ? last.text + ' ' : '') + t;
        if (!numpy) add(f, 'joined a multi-line parameter description');
        continue;
      }
      if (/^none\.?$/i.test(t)) {
        add(f, "removed 'None' from Args");
        continue;
      }
      // unparseable line in Args: treat as prose after the section
      section = 'prose';
    }
    if (section === 'returns') {
      p.returns!.push(t);
      continue;
    }
    if (section === 'other') continue;
    // prose: a bare `name: desc` line naming a real parameter is an Args entry without a header
    const e = ENTRY_RE.exec(t);
    if (e && paramSet.has(cleanName(e[1]!)) && (e[3] ?? '').trim() !== '') {
      flushPara();
      add(f, 'parameters listed without an Args header');
      const a: DocArg = { name: cleanName(e[1]!), text: e[3]!.trim() };
      if (e[2] !== undefined) a.type = e[2].trim();
      p.looseArgs.push(a);
      last = a;
      continue;
    }
    if (last && p.looseArgs.includes(last) && indentOf(line) > 0) {
      last.text += ' ' + t;
      continue;
    }
    last = null;
    para.push(line);
  }
  flushPara();
  return p;
}

/**
 * A sentence of the prose describing `name`: it mentions the name (in backticks, or as a
 * whole word if the name has 3+ characters) and no other parameter, and it is not the
 * summary's first sentence (which describes the function, not the parameter).
 */
function recoverFromProse(name: string, prose: string[][], params: readonly string[]): string | null {
  const text = prose.map((para) => para.map((l) => l.trim()).join(' ')).join(' ');
  const sentences = text.split(/(?<=[.!?])\s+/).slice(1);
  const mentions = (s: string, n: string) =>
    new RegExp('`' + escapeRe(n) + '`').test(s) || (n.length >= 3 && new RegExp('(^|[^\\w$])' + escapeRe(n) + '(?![\\w$])').test(s));
  for (const s of sentences) {
    if (mentions(s, name) && !params.some((o) => o !== name && mentions(s, o))) return s.trim();
  }
  return null;
}

function zero(reason: string, params: string[]): FormatResult {
  return { score: 0, doc: '', reasons: [reason], params };
}

/** Score a generated doc for `code` and produce the doc stage 2 sees (see the file comment). */
export function checkDoc(doc: string, code: string, lang: Lang, opts: FormatOptions = {}): FormatResult {
  const minLeak = opts.minLeakChars ?? 12;
  const sig = opts.signature !== undefined ? opts.signature : signatureOf(code, lang);
  const params = sig?.params ?? [];
  const f: Flags = { reasons: [] };
  const input = normalizeWhitespace(doc);
  if (input.trim() === '') return zero('empty', params);

  // 1. leaks: a substantial line of the code body copied verbatim
  const codeLines = code.replace(/\r\n?/g, '\n').split('\n');
  const bodyFrom = sig ? sig.startLine + sig.header.split('\n').length : 0;
  const flatDoc = collapse(input);
  for (let i = bodyFrom; i < codeLines.length; i++) {
    const l = collapse(codeLines[i]!);
    if (nonSpace(l) < minLeak || /^(#|\/\/|\/\*|\*)/.test(l)) continue;
    if (flatDoc.includes(l)) return zero(`leaks the code body: '${l}'`, params);
  }

  // 2. degenerate repetition (a looping sampler)
  const counts = new Map<string, number>();
  for (const l of input.split('\n')) {
    const t = l.trim();
    if (t.length < 10) continue;
    const c = (counts.get(t) ?? 0) + 1;
    counts.set(t, c);
    if (c >= 3) return zero(`degenerate repetition: '${t}'`, params);
  }

  // 3. unwrap: fences, quotes/comment markers, chatter, the signature line
  let lines = input.split('\n');
  lines = unfence(lines, f);
  lines = stripChatter(lines, f); // before uncomment: quotes/markers must be the first line
  lines = uncomment(lines, f);
  lines = stripChatter(lines, f); // chatter inside the quotes/markers
  let sigRemoved = 0;
  if (sig) {
    const head = collapse(sig.header);
    const before = lines.length;
    lines = lines.filter((l) => collapse(l) !== head && collapse(l) !== head + ' {' && !(sig.name && new RegExp(`^(async\\s+)?(def|func|function)\\s+(\\([^)]*\\)\\s*)?${escapeRe(sig.name)}\\s*\\(`).test(l.trim())));
    sigRemoved = before - lines.length;
    if (sigRemoved) add(f, 'removed the signature line');
  }
  if (lines.every((l) => l.trim() === '')) {
    return zero(f.reasons.includes('removed a code block') ? 'code instead of prose' : 'empty after removing chatter and markup', params);
  }

  // 4. code instead of prose
  const content = lines.filter((l) => l.trim() !== '' && !headerOf(l));
  // (a copied signature line counts as code: "summary + def line + body" is code)
  const codeCount = content.filter((l) => looksLikeCode(l)).length + sigRemoved;
  const total = content.length + sigRemoved;
  if (codeCount >= 2 && codeCount * 2 >= total) return zero(`code instead of prose (${codeCount} of ${total} lines look like code)`, params);

  // 5. structure
  const p = parseDoc(lines, params, f);
  if (p.prose.length === 0) return zero('no summary line', params);
  const summaryPara = p.prose[0]!;
  if (summaryPara.length > 1) add(f, 'joined a multi-line summary');
  const summary = collapse(summaryPara.join(' '));
  if (looksLikeCode(summary)) return zero(`code instead of prose (summary '${summary}')`, params);
  const description = p.prose.slice(1).map((para) => para.map((l) => l.trim()));

  // 6. parameters
  const entries = [...p.args, ...p.looseArgs];
  const byName = new Map<string, DocArg>();
  for (const a of entries) {
    if (byName.has(a.name)) {
      add(f, `dropped a duplicate entry for '${a.name}'`);
      continue;
    }
    byName.set(a.name, a);
  }
  const extras = [...byName.keys()].filter((n) => !params.includes(n));
  if (sig && extras.length) add(f, `dropped parameters the code does not have: ${extras.join(', ')}`);
  if (!sig && entries.length) add(f, 'note: no function found in the code; parameters not checked');
  const args: DocArg[] = [];
  const missing: string[] = [];
  for (const name of params) {
    const a = byName.get(name);
    if (a && a.text.trim() !== '') {
      args.push(a.type !== undefined ? { name, type: a.type, text: a.text.trim() } : { name, text: a.text.trim() });
      continue;
    }
    const rec = recoverFromProse(name, p.prose, params);
    if (rec) {
      add(f, `recovered the description of '${name}' from the prose`);
      args.push({ name, text: rec });
    } else missing.push(name);
  }
  if (missing.length) return zero(`missing parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, params);
  if (!sig) for (const a of entries) if (!args.some((x) => x.name === a.name)) args.push(a);
  const docOrder = entries.map((a) => a.name).filter((n) => params.includes(n));
  const uniqueOrder = docOrder.filter((n, i) => docOrder.indexOf(n) === i);
  if (uniqueOrder.join(',') !== params.filter((n) => uniqueOrder.includes(n)).join(',')) add(f, 'reordered parameters');
  if (params.length && p.argsHeader === 'none') add(f, 'added the Args header');
  if (!params.length && p.argsHeader !== 'none' && sig) add(f, 'removed the Args section (the function has no parameters)');

  // 7. returns
  let returns = (p.returns ?? []).filter((l) => l.trim() !== '');
  if (!returns.length) {
    const s = p.prose
      .flat()
      .map((l) => l.trim())
      .join(' ')
      .split(/(?<=[.!?])\s+/)
      .find((x) => /^(?:\w+\s+)?returns?\s+\S/i.test(x)); // "Returns the sum", Go's "Add returns the sum"
    if (s) {
      const r = s.replace(/^(?:\w+\s+)?returns?\s+/i, '');
      returns = [r.charAt(0).toUpperCase() + r.slice(1)];
      add(f, p.returns ? 'filled the empty Returns section from a "Returns ..." sentence' : 'added the Returns section from a "Returns ..." sentence');
    } else {
      returns = ['None.'];
      add(f, p.returns ? 'filled the empty Returns section with "None."' : 'added a missing Returns section ("None.")');
    }
  }

  const rendered = renderDoc({ summary, description, args, returns });
  if (rendered === input && f.reasons.every((r) => r.startsWith('note:'))) return { score: 1, doc: rendered, reasons: f.reasons, params };
  if (f.reasons.every((r) => r.startsWith('note:'))) add(f, 'normalised layout');
  return { score: 0.5, doc: rendered, reasons: f.reasons, params };
}
