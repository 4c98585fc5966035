// A plain-JavaScript copy of a tree-sitter tree. Every property read on a native
// SyntaxNode crosses into C++; the graph builder reads each node many times (type,
// fields, text), so one cursor walk into plain objects is several times cheaper than
// walking SyntaxNodes, and the copy can be inspected without holding the native tree.
import { parse, parserFor, type Lang } from './parser.js';

export interface PNode {
  /** grammar node type ('if_statement') or, for anonymous tokens, the token text ('+'). */
  type: string;
  /** whether the grammar names this node (identifiers, statements) or it is a bare token. */
  named: boolean;
  /** field name in the parent ('condition', 'left'), or '' */
  field: string;
  start: number;
  end: number;
  children: PNode[];
}

export interface PlainTree {
  root: PNode;
  code: string;
  /** characters inside ERROR nodes (tree-sitter's error recovery), for the non-code test. */
  errorChars: number;
  /** total number of nodes copied */
  size: number;
  /** MISSING tokens tree-sitter invented to repair the text (a missing `)`, `:`, `}`) */
  missing: number;
}

/** The children of every leaf: one shared, frozen empty array (no array allocated per leaf). */
const NO_CHILDREN = Object.freeze([]) as unknown as PNode[];

/** Node types dropped while copying: comments never count toward structure. */
const DROPPED = new Set(['comment', 'line_comment', 'block_comment', 'heredoc_body']);

/**
 * Parse `code` and copy its tree. Missing nodes (tokens tree-sitter invented to repair
 * a syntax error) and comments are left out; ERROR nodes are kept so that whatever
 * parsed inside them still counts. `maxNodes` bounds the copy (the size cap).
 * `keepToken`, when given, selects which anonymous tokens (operators, keywords,
 * punctuation) are copied; by default all are.
 */
export function plainTree(code: string, lang: Lang, maxNodes = 20_000, keepToken?: (token: string) => boolean): PlainTree {
  const tree = parse(code, lang);
  const cursor = tree.walk();
  // Type names and field names by numeric id, filled as met: one native call per node
  // for each instead of a string conversion.
  const types = typeCache(lang);
  const fieldNames = fieldCache(lang);
  const fielded = fieldedTypes(lang);
  let size = 0;
  let errorChars = 0;
  let missing = 0;
  // only a tree with errors can hold MISSING nodes: one native call decides
  const checkMissing = tree.rootNode.hasError;
  const root: PNode = { type: cursor.nodeType, named: true, field: '', start: cursor.startIndex, end: cursor.endIndex, children: [] };
  if (cursor.nodeType === 'ERROR') errorChars += cursor.endIndex - cursor.startIndex;
  // Iterative pre-order walk with an explicit stack of parents.
  const stack: PNode[] = [root];
  // whether each node on the stack may give its children field names: the field-id
  // call is skipped under the others (about a third of the nodes)
  const mayHaveFields = (type: string, named: boolean) => !fielded || !named || type === 'ERROR' || fielded.has(type);
  const withFields: boolean[] = [mayHaveFields(root.type, true)];
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      let info = types.get(typeId);
      if (!info) types.set(typeId, (info = { type: cursor.nodeType, named: cursor.nodeIsNamed }));
      const type = info.type;
      let descended = false;
      // Anonymous tokens the caller does not want (punctuation) are skipped before any
      // further native call: they are about a third of all nodes.
      if (checkMissing && cursor.nodeIsMissing) missing++;
      const wanted = info.named || !keepToken || keepToken(type);
      const start = wanted ? cursor.startIndex : 0;
      const end = wanted ? cursor.endIndex : 0;
      // zero-width nodes are MISSING tokens invented by error recovery (or empty): no text, no structure
      if (end > start && !DROPPED.has(type) && size < maxNodes) {
        const fid = withFields[stack.length - 1] ? cursor.currentFieldId : 0;
        let fname = '';
        if (fid) {
          fname = fieldNames.get(fid) ?? '';
          if (!fieldNames.has(fid)) fieldNames.set(fid, (fname = cursor.currentFieldName ?? ''));
        }
        const node: PNode = { type, named: info.named, field: fname, start, end, children: NO_CHILDREN };
        size++;
        if (type === 'ERROR') errorChars += node.end - node.start;
        stack[stack.length - 1].children.push(node);
        if (cursor.gotoFirstChild()) {
          node.children = [];
          withFields[stack.length] = mayHaveFields(type, info.named);
          stack.push(node);
          descended = true;
        }
      }
      if (descended) continue;
      // advance to the next sibling, climbing as needed
      let moved = false;
      while (!moved) {
        if (cursor.gotoNextSibling()) moved = true;
        else {
          if (stack.length <= 1 || !cursor.gotoParent()) break;
          stack.pop();
        }
      }
      if (!moved) break;
    }
  }
  // Errors nested inside errors were counted twice; clamp to the text length.
  return { root, code, errorChars: Math.min(errorChars, code.length), size, missing };
}

/**
 * The node types whose children can carry a field name, by the grammar's node-types
 * (`fields` non-empty). Under any other named type a child's field id is always 0.
 */
const fieldedCaches = new Map<Lang, ReadonlySet<string> | null>();
function fieldedTypes(lang: Lang): ReadonlySet<string> | null {
  let s = fieldedCaches.get(lang);
  if (s === undefined) {
    const info = (parserFor(lang).getLanguage() as { nodeTypeInfo?: { type: string; named: boolean; fields?: Record<string, unknown> }[] }).nodeTypeInfo;
    // null: no node-types to read, so every type may have fields (the call is never skipped)
    s = info ? new Set(info.filter((t) => t.named && t.fields && Object.keys(t.fields).length > 0).map((t) => t.type)) : null;
    fieldedCaches.set(lang, s);
  }
  return s;
}

const typeCaches = new Map<Lang, Map<number, { type: string; named: boolean }>>();
const fieldCaches = new Map<Lang, Map<number, string>>();
function typeCache(lang: Lang): Map<number, { type: string; named: boolean }> {
  let m = typeCaches.get(lang);
  if (!m) typeCaches.set(lang, (m = new Map()));
  return m;
}
function fieldCache(lang: Lang): Map<number, string> {
  let m = fieldCaches.get(lang);
  if (!m) fieldCaches.set(lang, (m = new Map()));
  return m;
}

/** First child with the given field name. */
export function field(n: PNode, name: string): PNode | undefined {
  // an index loop: `for...of` here allocated an iterator per call (hot: the builder asks
  // for fields of most nodes, and leaves share a frozen array another loop shape reads)
  const cs = n.children;
  for (let i = 0; i < cs.length; i++) if (cs[i].field === name) return cs[i];
  return undefined;
}

/** All children with the given field name. */
export function fields(n: PNode, name: string): PNode[] {
  return n.children.filter((c) => c.field === name);
}

export function namedChildren(n: PNode): PNode[] {
  return n.children.filter((c) => c.named);
}
