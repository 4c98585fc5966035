// Function extraction with tree-sitter: each function or method of a source file, with its
// documentation (Python docstring; Ruby/Go/JS comment block directly above) split out.
import { parse, type Lang, type SyntaxNode } from '../../lang/parser.js';

export interface ExtractedFunction {
  /** `name`, or `Class.name` / `Receiver.name` for methods */
  funcName: string;
  /** the function without its documentation, dedented */
  code: string;
  /** documentation text without comment markers or quotes ('' if none) */
  docstring: string;
  /** the function as written, with its documentation */
  original: string;
  /** 1-based first line in the file */
  line: number;
  /** leaf tokens of `code`, comments excluded */
  tokens: string[];
}

const FUNCTION_NODES: Record<Lang, Set<string>> = {
  python: new Set(['function_definition']),
  ruby: new Set(['method', 'singleton_method']),
  go: new Set(['function_declaration', 'method_declaration']),
  javascript: new Set(['function_declaration', 'method_definition', 'generator_function_declaration']),
};

const CONTAINER_NAMES = new Set(['class_definition', 'class', 'module', 'class_declaration']);

function dedent(text: string, firstColumn: number): string {
  const lines = (' '.repeat(firstColumn) + text).split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Math.min(ind, /^[ \t]*/.exec(l)![0].length))).join('\n').replace(/\s+$/, '');
}

/** Leaf tokens of a subtree, skipping comments (and, for Python, the docstring node). */
export function leafTokens(node: SyntaxNode, skip?: SyntaxNode | null): string[] {
  const out: string[] = [];
  const cursor = node.walk();
  let descend = true;
  for (;;) {
    const n = cursor.currentNode;
    const isSkip = (skip && n.startIndex === skip.startIndex && n.endIndex === skip.endIndex && n.type === skip.type) || n.type === 'comment' || n.type === 'line_comment' || n.type === 'block_comment';
    if (descend && !isSkip) {
      if (n.childCount === 0 || n.type === 'string' || n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal' || n.type === 'template_string') {
        const t = n.text.trim();
        if (t) out.push(t);
      } else if (cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    let up = false;
    while (cursor.gotoParent()) {
      if (cursor.currentNode.id === node.id) return out;
      if (cursor.gotoNextSibling()) {
        up = true;
        break;
      }
    }
    if (!up) return out;
    descend = true;
  }
}

function pythonDocNode(fn: SyntaxNode): SyntaxNode | null {
  const body = fn.childForFieldName('body');
  const first = body?.namedChildren[0];
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') return first;
  return null;
}

function pythonDocText(node: SyntaxNode): string {
  const raw = node.text.trim();
  const m = /^[rRbBuU]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(raw);
  const body = m ? m[2] : raw;
  const lines = body.split('\n');
  const rest = lines.slice(1).filter((l) => l.trim());
  const ind = rest.length ? Math.min(...rest.map((l) => /^\s*/.exec(l)![0].length)) : 0;
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(ind))].join('\n').trim();
}

/** Comment block directly above `node` (no blank line between), markers stripped. */
function leadingComment(node: SyntaxNode, lang: Lang): string {
  const parts: string[] = [];
  let prev = node.previousSibling;
  let expectRow = node.startPosition.row;
  while (prev && (prev.type === 'comment' || prev.type === 'line_comment' || prev.type === 'block_comment') && prev.endPosition.row >= expectRow - 1) {
    parts.unshift(prev.text);
    expectRow = prev.startPosition.row;
    prev = prev.previousSibling;
  }
  if (!parts.length) return '';
  const text = parts.join('\n');
  const lines = text.split('\n').map((l) => {
    let s = l.trim();
    if (lang === 'ruby') s = s.replace(/^#+ ?/, '');
    else s = s.replace(/^\/\*\*?/, '').replace(/\*\/$/, '').replace(/^\* ?/, '').replace(/^\/\/+ ?/, '');
    return s.replace(/\s+$/, '');
  });
  if (lang === 'ruby' && /^=begin/.test(text)) return text.replace(/^=begin\n?|=end\s*$/g, '').trim();
  return lines.join('\n').trim();
}

function qualifiedName(fn: SyntaxNode, lang: Lang): string {
  const name = fn.childForFieldName('name')?.text ?? '<anonymous>';
  if (lang === 'go' && fn.type === 'method_declaration') {
    const recv = fn.childForFieldName('receiver')?.text ?? '';
    const m = /([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*\)\s*$/.exec(recv);
    return m ? `${m[1]}.${name}` : name;
  }
  for (let p = fn.parent; p; p = p.parent) {
    if (CONTAINER_NAMES.has(p.type)) {
      const cn = p.childForFieldName('name')?.text;
      if (cn) return `${cn}.${name}`;
    }
    if (FUNCTION_NODES[lang].has(p.type)) break; // nested function: keep the bare name
  }
  return name;
}

/** Every function in `code`. Functions containing syntax errors are skipped. */
export function extractFunctions(code: string, lang: Lang): ExtractedFunction[] {
  const tree = parse(code, lang);
  const out: ExtractedFunction[] = [];
  const types = FUNCTION_NODES[lang];
  const visit = (node: SyntaxNode) => {
    if (types.has(node.type) && !node.hasError) {
      const col = node.startPosition.column;
      let docstring = '';
      let codeText: string;
      let original: string;
      let tokens: string[];
      if (lang === 'python') {
        const doc = pythonDocNode(node);
        docstring = doc ? pythonDocText(doc) : '';
        original = dedent(node.text, col);
        if (doc) {
          // cut the docstring statement, and its line if it stood alone
          const s = code.lastIndexOf('\n', doc.startIndex - 1) + 1;
          const lineStart = /^\s*$/.test(code.slice(s, doc.startIndex)) ? s : doc.startIndex;
          let e = doc.endIndex;
          const nl = code.indexOf('\n', e);
          if (nl >= 0 && /^\s*$/.test(code.slice(e, nl))) e = nl + 1;
          const text = code.slice(node.startIndex, lineStart) + code.slice(e, node.endIndex);
          codeText = dedent(text, col);
        } else codeText = original;
        tokens = leafTokens(node, doc);
      } else {
        docstring = leadingComment(node, lang);
        codeText = original = dedent(node.text, col);
        tokens = leafTokens(node);
      }
      out.push({ funcName: qualifiedName(node, lang), code: codeText, docstring, original, line: node.startPosition.row + 1, tokens });
    }
    for (const c of node.namedChildren) visit(c);
  };
  visit(tree.rootNode);
  return out;
}
