// Parameter names of the first function in a code snippet, per language, from the
// tree-sitter trees of src/lang/parser.ts (robust to defaults, annotations, splats and
// syntax errors elsewhere in the snippet). These are the names the documentation
// format requires in its Args section.
//
// Naming rules (what a doc writes for each kind of parameter):
//   python      a, a: T, a=1, a: T = 1 -> a;  *args -> args;  **kw -> kw;  bare * and / skipped;
//               a leading `self` or `cls` is skipped (methods document their real inputs).
//   ruby        a, b = 1, *rest, key:, key: 1, **opts, &blk -> a, b, rest, key, opts, blk
//   go          the receiver is skipped; `a, b int` -> a, b; `xs ...int` -> xs; unnamed
//               parameters (`func f(int)`) have no name and are not required.
//   javascript  a, b = 1, ...rest -> a, b, rest; destructuring patterns contribute the
//               names they bind ({c, d} -> c, d; [e] -> e).
import { parse, type Lang, type SyntaxNode } from '../lang/parser.js';

export interface Signature {
  /** Function name ('' for an anonymous function). */
  name: string;
  params: string[];
  /** The signature's source text up to the body (for prompts that give the signature). */
  header: string;
  /** 0-based line range of the function in the snippet (start, end inclusive). */
  startLine: number;
  endLine: number;
}

const FUNCTION_TYPES: Record<Lang, readonly string[]> = {
  python: ['function_definition'],
  ruby: ['method', 'singleton_method'],
  go: ['function_declaration', 'method_declaration'],
  javascript: ['function_declaration', 'function_expression', 'function', 'generator_function_declaration', 'generator_function', 'arrow_function', 'method_definition'],
};

function firstFunction(root: SyntaxNode, lang: Lang): SyntaxNode | null {
  const types = FUNCTION_TYPES[lang];
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (types.includes(n.type)) return n;
    const kids = n.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return null;
}

/** Identifiers bound by a (possibly nested) pattern node, in source order. */
function boundNames(n: SyntaxNode, out: string[]): void {
  switch (n.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      out.push(n.text);
      return;
    case 'pair_pattern': {
      const v = n.childForFieldName('value');
      if (v) boundNames(v, out);
      return;
    }
    case 'assignment_pattern':
    case 'object_assignment_pattern': {
      const l = n.childForFieldName('left');
      if (l) boundNames(l, out);
      return;
    }
    default:
      for (const c of n.namedChildren) boundNames(c, out);
  }
}

function pythonParams(list: SyntaxNode): string[] {
  const out: string[] = [];
  for (const p of list.namedChildren) {
    switch (p.type) {
      case 'identifier':
        out.push(p.text);
        break;
      case 'typed_parameter': {
        const first = p.namedChildren[0];
        if (!first) break;
        if (first.type === 'identifier') out.push(first.text);
        else {
          const id = first.namedChildren.find((c) => c.type === 'identifier');
          if (id) out.push(id.text);
        }
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const nm = p.childForFieldName('name');
        if (nm) out.push(nm.text);
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const id = p.namedChildren.find((c) => c.type === 'identifier');
        if (id) out.push(id.text);
        break;
      }
      case 'tuple_pattern':
        boundNames(p, out);
        break;
      default: // keyword_separator, positional_separator, comments
        break;
    }
  }
  if (out[0] === 'self' || out[0] === 'cls') out.shift();
  return out;
}

function rubyParams(list: SyntaxNode): string[] {
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (p.type === 'identifier') out.push(p.text);
    else if (['optional_parameter', 'splat_parameter', 'keyword_parameter', 'hash_splat_parameter', 'block_parameter'].includes(p.type)) {
      const nm = p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
      if (nm) out.push(nm.text);
    } else if (p.type === 'destructured_parameter') boundNames(p, out);
  }
  return out;
}

function goParams(list: SyntaxNode): string[] {
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
    for (const c of p.childrenForFieldName('name')) out.push(c.text);
  }
  return out;
}

function jsParams(fn: SyntaxNode): string[] {
  const single = fn.childForFieldName('parameter'); // `x => ...`
  if (single) return [single.text];
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: string[] = [];
  for (const p of list.namedChildren) {
    if (p.type === 'comment') continue;
    boundNames(p, out);
  }
  return out;
}

function functionName(fn: SyntaxNode, lang: Lang): string {
  const nm = fn.childForFieldName('name');
  if (nm) return nm.text;
  if (lang === 'javascript') {
    const p = fn.parent;
    if (p && (p.type === 'variable_declarator' || p.type === 'pair' || p.type === 'assignment_expression')) {
      const k = p.childForFieldName('name') ?? p.childForFieldName('key') ?? p.childForFieldName('left');
      if (k) return k.text;
    }
  }
  return '';
}

/** The first function of `code`, or null when the snippet has none. */
export function signatureOf(code: string, lang: Lang): Signature | null {
  const tree = parse(code, lang);
  const fn = firstFunction(tree.rootNode, lang);
  if (!fn) return null;
  let params: string[] = [];
  if (lang === 'javascript') params = jsParams(fn);
  else {
    const list = fn.childForFieldName('parameters');
    if (list) params = lang === 'python' ? pythonParams(list) : lang === 'ruby' ? rubyParams(list) : goParams(list);
  }
  const body = fn.childForFieldName('body');
  // `const f = (a) => ...`: the header starts at the declaration, not at the arrow function
  let start = fn.startIndex;
  const decl = fn.parent?.type === 'variable_declarator' ? fn.parent.parent : null;
  if (decl && (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration')) start = decl.startIndex;
  const header = body ? code.slice(start, body.startIndex).trimEnd() : code.slice(start, fn.endIndex).split('\n')[0]!;
  return { name: functionName(fn, lang), params, header, startLine: fn.startPosition.row, endLine: fn.endPosition.row };
}
