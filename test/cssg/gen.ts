// Seeded generator of small random functions, printed in any of the four languages,
// with the surface transformations CSSG must not see: renaming locals, reformatting,
// comments/docstrings, reordering independent statements. Used by the property tests
// and the throughput bench (10-40 line functions).
import type { Lang } from '../../src/lang/parser.js';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

type Expr =
  | { k: 'var'; i: number }
  | { k: 'param'; i: number }
  | { k: 'int'; v: number }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'len' }
  | { k: 'idx'; e: Expr };

type Stmt =
  | { k: 'assign'; v: number; e: Expr }
  | { k: 'aug'; v: number; op: string; e: Expr }
  | { k: 'if'; c: Expr; then: Stmt[]; else?: Stmt[] }
  | { k: 'for'; v: number; n: Expr; body: Stmt[] }
  | { k: 'while'; c: Expr; body: Stmt[] }
  | { k: 'ret'; e: Expr };

export interface Program {
  name: string;
  /** param 0 is a list of ints, param 1 an int */
  nvars: number;
  /** independent initialisations, one per local */
  inits: Stmt[];
  body: Stmt[];
  ret: Expr;
}

const ARITH = ['+', '-', '*'];
const CMP = ['<', '>', '<=', '>=', '==', '!='];

export function genProgram(seed: number, size = 6): Program {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const nvars = 2 + Math.floor(r() * 3);
  let loopVar = nvars; // loop variables get fresh indices
  const leaf = (): Expr => {
    const x = r();
    if (x < 0.45) return { k: 'var', i: Math.floor(r() * nvars) };
    if (x < 0.65) return { k: 'param', i: 1 };
    if (x < 0.75) return { k: 'len' };
    return { k: 'int', v: Math.floor(r() * 10) };
  };
  const expr = (d: number): Expr => (d <= 0 || r() < 0.4 ? leaf() : { k: 'bin', op: pick(ARITH), l: expr(d - 1), r: expr(d - 1) });
  const cond = (): Expr => ({ k: 'bin', op: pick(CMP), l: leaf(), r: expr(1) });
  const stmts = (n: number, depth: number): Stmt[] => {
    const out: Stmt[] = [];
    for (let i = 0; i < n; i++) {
      const x = r();
      if (depth < 2 && x < 0.2) out.push({ k: 'if', c: cond(), then: stmts(1 + Math.floor(r() * 2), depth + 1), else: r() < 0.4 ? stmts(1, depth + 1) : undefined });
      else if (depth < 2 && x < 0.35) {
        const v = loopVar++;
        out.push({ k: 'for', v, n: { k: 'len' }, body: [{ k: 'aug', v: Math.floor(r() * nvars), op: pick(ARITH), e: { k: 'idx', e: { k: 'var', i: v } } }, ...stmts(Math.floor(r() * 2), depth + 1)] });
      } else if (depth < 2 && x < 0.42) {
        const v = Math.floor(r() * nvars);
        out.push({ k: 'while', c: { k: 'bin', op: '<', l: { k: 'var', i: v }, r: { k: 'param', i: 1 } }, body: [{ k: 'aug', v, op: '+', e: { k: 'int', v: 1 } }, ...stmts(Math.floor(r() * 2), depth + 1)] });
      } else if (x < 0.7) out.push({ k: 'aug', v: Math.floor(r() * nvars), op: pick(ARITH), e: expr(1) });
      else out.push({ k: 'assign', v: Math.floor(r() * nvars), e: expr(2) });
    }
    return out;
  };
  // distinct initial values keep the independent initialisations distinguishable
  const inits: Stmt[] = Array.from({ length: nvars }, (_, i) => ({ k: 'assign', v: i, e: i === 0 ? { k: 'int', v: 0 } : { k: 'bin', op: '+', l: { k: 'param', i: 1 }, r: { k: 'int', v: i + 2 } } }) as Stmt);
  return { name: 'f' + seed, nvars, inits, body: stmts(size, 0), ret: { k: 'var', i: Math.floor(r() * nvars) } };
}

export interface Style {
  /** names of locals/loop vars (index -> name), params, function */
  names: (i: number) => string;
  params: [string, string];
  indent: string;
  /** spaces around binary operators */
  spaced: boolean;
  /** redundant parentheses around binary expressions on the right of assignments */
  parens: boolean;
  comments: boolean;
  blankLines: boolean;
  /** permutation of the independent initialisations */
  initOrder?: number[];
}

export function defaultStyle(): Style {
  return { names: (i) => 'v' + i, params: ['xs', 'n'], indent: '    ', spaced: true, parens: false, comments: false, blankLines: false };
}

/** A random consistent renaming, other formatting, comments, or an init reordering. */
export function variant(seed: number, kind: 'rename' | 'reformat' | 'comments' | 'reorder', p: Program): Style {
  const r = rng(seed * 7919 + 13);
  const s = defaultStyle();
  if (kind === 'rename') {
    const words = ['acc', 'tmp', 'cur', 'val', 'idx', 'total', 'best', 'k', 'w', 'z', 'item', 'res', 'cnt', 'q'];
    const shuffled = words.map((w) => [r(), w] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    s.names = (i) => shuffled[i % shuffled.length] + (i >= shuffled.length ? String(i) : '');
    s.params = ['items', 'limit'];
  } else if (kind === 'reformat') {
    s.indent = r() < 0.5 ? '  ' : '\t';
    s.spaced = false;
    s.parens = true;
    s.blankLines = true;
  } else if (kind === 'comments') {
    s.comments = true;
  } else {
    const order = p.inits.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    if (order.every((v, i) => v === i) && order.length > 1) order.reverse();
    s.initOrder = order;
  }
  return s;
}

/** Print `p` in `lang` with `style`. */
export function print(p: Program, lang: Lang, style: Style = defaultStyle()): string {
  const st = style;
  const sp = (op: string) => (st.spaced ? ` ${op} ` : op);
  const cmpOp = (op: string) => (lang === 'javascript' && op === '==' ? '===' : lang === 'javascript' && op === '!=' ? '!==' : op);
  const ex = (e: Expr, top = false): string => {
    switch (e.k) {
      case 'var':
        return st.names(e.i);
      case 'param':
        return st.params[e.i];
      case 'int':
        return String(e.v);
      case 'len':
        return lang === 'python' || lang === 'go' ? `len(${st.params[0]})` : `${st.params[0]}.length`;
      case 'idx':
        return `${st.params[0]}[${ex(e.e)} % ${ex({ k: 'len' })}]`;
      case 'bin': {
        const s = ex(e.l) + sp(cmpOp(e.op)) + ex(e.r);
        return top && st.parens ? `(${s})` : `(${s})`.slice(top ? 1 : 0, top ? -1 : undefined);
      }
    }
  };
  const lines: string[] = [];
  const comment = (d: number, text: string) => {
    if (!st.comments) return;
    const c = lang === 'python' || lang === 'ruby' ? '# ' : '// ';
    lines.push(st.indent.repeat(d) + c + text);
  };
  const declared = new Set<number>();
  const assign = (v: number, rhs: string, d: number) => {
    let kw = '';
    if (!declared.has(v) && d === 1) {
      declared.add(v);
      if (lang === 'javascript') kw = 'let ';
      if (lang === 'go') return lines.push(`${st.indent.repeat(d)}${st.names(v)} := ${rhs}`);
    }
    const semi = lang === 'javascript' ? ';' : '';
    lines.push(`${st.indent.repeat(d)}${kw}${st.names(v)}${sp('=')}${rhs}${semi}`);
  };
  const block = (ss: Stmt[], d: number) => {
    for (const s of ss) stmt(s, d);
  };
  const open = (head: string, d: number) => {
    const ind = st.indent.repeat(d);
    if (lang === 'python') lines.push(`${ind}${head}:`);
    else if (lang === 'ruby') lines.push(`${ind}${head}`);
    else lines.push(`${ind}${head} {`);
  };
  const close = (d: number) => {
    if (lang !== 'python') lines.push(st.indent.repeat(d) + (lang === 'ruby' ? 'end' : '}'));
  };
  const stmt = (s: Stmt, d: number) => {
    const ind = st.indent.repeat(d);
    const semi = lang === 'javascript' ? ';' : '';
    if (st.blankLines && d === 1) lines.push('');
    switch (s.k) {
      case 'assign':
        comment(d, 'update ' + st.names(s.v));
        assign(s.v, ex(s.e, true), d);
        break;
      case 'aug':
        lines.push(`${ind}${st.names(s.v)}${sp(s.op + '=')}${ex(s.e, true)}${semi}`);
        break;
      case 'if': {
        comment(d, 'branch');
        const c = ex(s.c, true);
        open(lang === 'python' || lang === 'ruby' || lang === 'go' ? `if ${c}` : `if (${c})`, d);
        block(s.then, d + 1);
        if (s.else) {
          if (lang === 'python') lines.push(`${ind}else:`);
          else if (lang === 'ruby') lines.push(`${ind}else`);
          else lines.push(`${ind}} else {`);
          block(s.else, d + 1);
        }
        close(d);
        break;
      }
      case 'for': {
        comment(d, 'loop over the input');
        const v = st.names(s.v);
        const n = ex(s.n);
        if (lang === 'python') open(`for ${v} in range(${n})`, d);
        else if (lang === 'ruby') lines.push(`${ind}(0...${n}).each do |${v}|`);
        else if (lang === 'go') open(`for ${v} := 0; ${v} < ${n}; ${v}++`, d);
        else open(`for (let ${v} = 0; ${v} < ${n}; ${v}++)`, d);
        block(s.body, d + 1);
        close(d);
        break;
      }
      case 'while': {
        const c = ex(s.c, true);
        if (lang === 'go') open(`for ${c}`, d);
        else open(lang === 'javascript' ? `while (${c})` : `while ${c}`, d);
        block(s.body, d + 1);
        close(d);
        break;
      }
      case 'ret':
        lines.push(`${ind}return ${ex(s.e, true)}${semi}`);
        break;
    }
  };
  const [a, b] = st.params;
  if (st.comments && lang !== 'python') lines.push(lang === 'ruby' ? `# ${p.name}: a generated function` : `// ${p.name}: a generated function`);
  if (lang === 'python') lines.push(`def ${p.name}(${a}, ${b}):`);
  else if (lang === 'ruby') lines.push(`def ${p.name}(${a}, ${b})`);
  else if (lang === 'go') lines.push(`func ${p.name}(${a} []int, ${b} int) int {`);
  else lines.push(`function ${p.name}(${a}, ${b}) {`);
  if (st.comments && lang === 'python') lines.push(`${st.indent}"""${p.name}: a generated function.\n${st.indent}Returns an int."""`);
  const order = st.initOrder ?? p.inits.map((_, i) => i);
  for (const i of order) stmt(p.inits[i], 1);
  block(p.body, 1);
  stmt({ k: 'ret', e: p.ret }, 1);
  close(0);
  return lines.join('\n') + '\n';
}
