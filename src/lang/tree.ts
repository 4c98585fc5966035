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
  // Per node type id, filled as met: its name, whether it is named, whether it is copied
  // (keepToken asked once per type, not per token) and whether it may give its
  // children field names; field names by id likewise.
  const types = typeCache(lang, keepToken);
  const fieldNames = fieldCache(lang);
  let size = 0;
  let errorChars = 0;
  let missing = 0;
  // only a tree with errors can hold MISSING nodes: one native call decides
  const checkMissing = tree.rootNode.hasError;
  // the root's type through the same per-type-id cache as every other node's (reading
  // its name and interning it anew cost a native string and a dictionary object per tree)
  const rootId = cursor.nodeTypeId;
  const rootSlot = rootId === ERROR_TYPE_ID ? 0 : rootId + 1;
  const rootType = (types[rootSlot] ??= typeInfo(lang, cursor.nodeType, cursor.nodeIsNamed, keepToken)).type;
  const root: PNode = { type: rootType, named: true, field: '', start: cursor.startIndex, end: cursor.endIndex, children: NO_CHILDREN };
  if (rootType === 'ERROR') errorChars += root.end - root.start;
  // Iterative pre-order walk. `stack[0..depth]`: the open nodes (root first);
  // `kids[0..count)`: the children copied so far of every open node, one contiguous run
  // per node, the deepest last (`from[d]`: where the run of stack[d] starts). A node's
  // children become one array of exactly their number when the walk leaves it.
  const stack: PNode[] = [root];
  const from: number[] = [0];
  const kids: PNode[] = [];
  let depth = 0;
  let count = 0;
  // whether each open node may give its children field names: the field-id call is
  // skipped under the others (about a third of the nodes)
  const withFields: boolean[] = [mayHaveFields(lang, rootType, true)];
  if (cursor.gotoFirstChild()) {
    for (;;) {
      // slot 0 for ERROR (type id 0xFFFF), else the id + 1: a dense array, not a sparse one
      const typeId = cursor.nodeTypeId;
      const slot = typeId === ERROR_TYPE_ID ? 0 : typeId + 1;
      let info = types[slot];
      if (info === undefined) types[slot] = info = typeInfo(lang, cursor.nodeType, cursor.nodeIsNamed, keepToken);
      let descended = false;
      if (checkMissing && cursor.nodeIsMissing) missing++;
      // Anonymous tokens the caller does not want (punctuation) are skipped before any
      // further native call: they are about a third of all nodes.
      const start = info.copied ? cursor.startIndex : 0;
      const end = info.copied ? cursor.endIndex : 0;
      // zero-width nodes are MISSING tokens invented by error recovery (or empty): no text, no structure
      if (end > start && size < maxNodes) {
        const fid = withFields[depth] ? cursor.currentFieldId : 0;
        let fname = '';
        if (fid) {
          const known = fieldNames[fid];
          fname = known === undefined ? (fieldNames[fid] = internalized(cursor.currentFieldName ?? '')) : known;
        }
        const node: PNode = { type: info.type, named: info.named, field: fname, start, end, children: NO_CHILDREN };
        size++;
        if (info.type === 'ERROR') errorChars += end - start;
        kids[count++] = node;
        if (cursor.gotoFirstChild()) {
          depth++;
          withFields[depth] = info.fielded;
          from[depth] = count;
          stack[depth] = node;
          descended = true;
        }
      }
      if (descended) continue;
      // advance to the next sibling, climbing as needed (closing each node left)
      let moved = false;
      while (!moved) {
        if (cursor.gotoNextSibling()) moved = true;
        else {
          if (depth === 0 || !cursor.gotoParent()) break;
          if (count > from[depth]) stack[depth].children = kids.slice(from[depth], count);
          count = from[depth];
          depth--;
        }
      }
      if (!moved) break;
    }
  }
  // the walk ends at the root's last child (or inside the last copied subtree): close what is open
  for (; depth >= 0; depth--) {
    if (count > from[depth]) stack[depth].children = kids.slice(from[depth], count);
    count = from[depth];
  }
  // Errors nested inside errors were counted twice; clamp to the text length.
  return { root, code, errorChars: Math.min(errorChars, code.length), size, missing };
}

/** What the copy knows of one node type (per language and token filter). */
interface TypeInfo {
  type: string;
  named: boolean;
  /** copied when met with text: named and not a comment, or a token the filter keeps */
  copied: boolean;
  /** its children may carry field names (else the field-id call is skipped under it) */
  fielded: boolean;
}

function typeInfo(lang: Lang, type: string, named: boolean, keepToken?: (token: string) => boolean): TypeInfo {
  type = internalized(type);
  return { type, named, copied: !DROPPED.has(type) && (named || !keepToken || keepToken(type)), fielded: mayHaveFields(lang, type, named) };
}

/**
 * The same text as the engine's unique copy (a V8 "internalized" string, as every
 * property name and literal is). Strings made by the native binding are not: each
 * comparison of a node's type or field with a literal then compares characters, and
 * each use as a key hashes it again. Once per type and field name, not per node.
 */
function internalized(s: string): string {
  for (const k in { [s]: 0 }) return k;
  return s;
}

/** Whether children of a node of this type can have field names (see fieldedTypes). */
function mayHaveFields(lang: Lang, type: string, named: boolean): boolean {
  const fielded = fieldedTypes(lang);
  return !fielded || !named || type === 'ERROR' || fielded.has(type);
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

/** The type id tree-sitter gives ERROR nodes. */
const ERROR_TYPE_ID = 0xffff;

/** Type infos by language, then by token filter (the function itself; ALL_TOKENS: none given), then by slot (see plainTree). */
const typeCaches = new Map<Lang, Map<(token: string) => boolean, (TypeInfo | undefined)[]>>();
const ALL_TOKENS = () => true;
/** Field names by language, indexed by field id. */
const fieldCaches = new Map<Lang, (string | undefined)[]>();
function typeCache(lang: Lang, keepToken: ((token: string) => boolean) | undefined): (TypeInfo | undefined)[] {
  let byFilter = typeCaches.get(lang);
  if (!byFilter) typeCaches.set(lang, (byFilter = new Map()));
  let m = byFilter.get(keepToken ?? ALL_TOKENS);
  if (!m) byFilter.set(keepToken ?? ALL_TOKENS, (m = []));
  return m;
}
function fieldCache(lang: Lang): (string | undefined)[] {
  let m = fieldCaches.get(lang);
  if (!m) fieldCaches.set(lang, (m = []));
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
