// The layering check: which folder of src/ may import which.
//
//   node tools/check-layers.mjs [--json] [--root DIR]   exit 0: clean; 1: a violation (file and import named)
//
// The import graph is read from the TypeScript sources (no build needed): static
// `import ... from '...'`, `export ... from '...'`, side-effect `import '...'` and dynamic
// `import('...')` with a literal path; only relative paths count (packages and node: are not
// layers). Each file belongs to the folder right under src/ (kernels/ at the top level counts
// as src/kernels until it moves there; bench/ is its own folder).
//
// Two rules:
//   1. an import from folder A to folder B is allowed iff B is in MAY_IMPORT[A] (or A = B);
//   2. the folder graph of the allowed imports has no cycle (the table below is checked
//      for cycles too, so rule 2 can only fire if the table itself is edited into a loop).
// Imports that break rule 1 today and are being fixed elsewhere are listed, by file and
// import, in KNOWN_VIOLATIONS: they are reported as known and do not fail the check; an
// entry that no longer matches any import is reported as stale (a warning: delete it).
// A kernel path matches as kernels/X.ts or src/kernels/X.ts.

// Bottom to top. The engine: util <- gpu <- kernels <- tensor <- nn, optim, checkpoint,
// tokenizer <- sample <- rl <- train <- cli, serve. Beside the engine (never importing
// gpu/kernels/tensor/nn/optim/sample): lang <- doc <- data <- eval, and cssg (on lang).
// Only tensor looks inside the kernels (and the `bench` command, which tunes them).
const ENGINE_BELOW_RL = ['src/sample', 'src/nn', 'src/optim', 'src/checkpoint', 'src/tokenizer', 'src/tensor', 'src/gpu'];
const MAY_IMPORT = {
  'src/util': [],
  'src/gpu': ['src/util'],
  'src/kernels': ['src/gpu', 'src/util'],
  'src/tensor': ['src/kernels', 'src/gpu', 'src/util'],
  'src/checkpoint': ['src/tensor', 'src/gpu', 'src/util'],
  'src/tokenizer': ['src/checkpoint', 'src/util'],
  'src/nn': ['src/checkpoint', 'src/tensor', 'src/gpu', 'src/util'],
  'src/optim': ['src/tensor', 'src/gpu', 'src/util'],
  'src/sample': ['src/nn', 'src/tokenizer', 'src/tensor', 'src/gpu', 'src/util'],
  'src/lang': ['src/util'],
  'src/doc': ['src/lang', 'src/util'],
  'src/cssg': ['src/lang', 'src/util'],
  'src/data': ['src/doc', 'src/lang', 'src/util'],
  'src/eval': ['src/data', 'src/doc', 'src/lang', 'src/util'],
  'src/rl': [...ENGINE_BELOW_RL, 'src/doc', 'src/lang', 'src/util'],
  'src/train': ['src/rl', ...ENGINE_BELOW_RL, 'src/cssg', 'src/eval', 'src/data', 'src/doc', 'src/lang', 'src/util'],
  'src/serve': ['src/train', 'src/rl', ...ENGINE_BELOW_RL, 'src/cssg', 'src/eval', 'src/data', 'src/doc', 'src/lang', 'src/util'],
  'src/cli': ['src/serve', 'src/train', 'src/rl', ...ENGINE_BELOW_RL, 'src/kernels', 'src/cssg', 'src/eval', 'src/data', 'src/doc', 'src/lang', 'src/util', 'bench'],
};

// Upward imports being removed by other work (issue 14): { file, import, why }.
export const KNOWN_VIOLATIONS = [
  { file: 'src/nn/kv-cache.ts', import: 'kernels/kv-scatter.ts', why: 'nn calls a kernel directly (issue 14 item 2: a tensor-level KV scatter op)' },
  { file: 'src/nn/model.ts', import: 'kernels/attention.ts', why: 'nn calls a kernel directly (issue 14 item 2: a tensor-level decode attention op)' },
  { file: 'src/optim/adamw.ts', import: 'kernels/adamw.ts', why: 'optim calls a kernel directly (issue 14 item 2: a tensor-level AdamW step)' },
  { file: 'src/optim/adamw.ts', import: 'kernels/gradnorm.ts', why: 'optim calls a kernel directly (issue 14 item 2)' },
  { file: 'src/sample/generate.ts', import: 'kernels/sampling.ts', why: 'sample calls a kernel directly (issue 14 item 2: a tensor-level token selection op)' },
  { file: 'src/data/corpus/decontam.ts', import: 'src/eval/benchmarks.ts', why: 'data imports eval (issue 14 item 4: benchmark loaders move to src/data)' },
];

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The layer (folder) a repository-relative path belongs to, or null if it is not a layer. */
export function folderOf(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'src' && parts.length > 2) return parts[1] === 'kernels' ? 'src/kernels' : `src/${parts[1]}`;
  if (parts[0] === 'kernels') return 'src/kernels';
  if (parts[0] === 'bench') return 'bench';
  return null;
}

/** Equal paths, the kernels folder counted the same at kernels/ and src/kernels/. */
function samePath(a, b) {
  const c = (p) => p.replace(/^src\/kernels\//, 'kernels/');
  return c(a) === c(b);
}

/** Relative import specifiers of one source text (comments removed first). */
export function importsOf(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out = [];
  const re = /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m; (m = re.exec(code)); ) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

function walk(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** A cycle in a graph Map<node, Set<node>> as a list of nodes, or null. */
export function findCycle(graph) {
  const state = new Map(); // 1: on the stack, 2: done
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

/**
 * Checks the tree at `root` (the files under src/ and kernels/). Returns
 * { violations: [{file, import, from, to}], known, stale, cycle, files, edges }.
 */
export function checkLayers(root, rules = MAY_IMPORT, known = KNOWN_VIOLATIONS) {
  const tableCycle = findCycle(new Map(Object.entries(rules).map(([a, bs]) => [a, new Set(bs.filter((b) => b !== a))])));
  if (tableCycle) throw new Error(`check-layers: the MAY_IMPORT table has a cycle: ${tableCycle.join(' -> ')}`);
  const files = [...walk(join(root, 'src')), ...walk(join(root, 'kernels'))].map((f) => relative(root, f).split('\\').join('/'));
  const violations = [];
  const knownHits = new Set();
  const knownFound = [];
  const folderGraph = new Map();
  let edges = 0;
  for (const file of files) {
    const from = folderOf(file);
    if (!(from in rules)) {
      violations.push({ file, import: '(none)', from, to: from, why: `folder ${from} is not in the layer table of tools/check-layers.mjs` });
      continue;
    }
    for (const spec of importsOf(readFileSync(join(root, file), 'utf8'))) {
      const target = relative(root, resolve(root, dirname(file), spec)).split('\\').join('/').replace(/\.js$/, '.ts');
      const to = folderOf(target);
      edges++;
      if (to === null) {
        violations.push({ file, import: spec, from, to: target, why: `imports ${target}, outside every layer` });
        continue;
      }
      if (to === from) continue;
      const k = known.findIndex((v) => samePath(v.file, file) && samePath(v.import, target));
      if (k >= 0) {
        knownHits.add(k);
        knownFound.push({ file, import: spec, from, to, why: known[k].why });
        continue;
      }
      if (!rules[from].includes(to)) {
        violations.push({ file, import: spec, from, to, why: `${from} may not import ${to} (allowed: ${rules[from].join(', ') || 'nothing'})` });
        continue;
      }
      if (!folderGraph.has(from)) folderGraph.set(from, new Set());
      folderGraph.get(from).add(to);
    }
  }
  const stale = known.filter((_, i) => !knownHits.has(i));
  return { violations, known: knownFound, stale, cycle: findCycle(folderGraph), files: files.length, edges };
}

function main() {
  const at = process.argv.indexOf('--root');
  const root = at > 0 ? resolve(process.argv[at + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const r = checkLayers(root);
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 1));
  else {
    for (const v of r.violations) console.log(`VIOLATION ${v.file}: import '${v.import}': ${v.why}`);
    for (const v of r.stale) console.log(`stale     known violation ${v.file} -> ${v.import}: no such import any more; delete it from KNOWN_VIOLATIONS`);
    if (r.cycle) console.log(`CYCLE between folders: ${r.cycle.join(' -> ')}`);
    for (const v of r.known) console.log(`known     ${v.file}: import '${v.import}' (${v.why})`);
    const bad = r.violations.length + (r.cycle ? 1 : 0);
    console.log(`layers: ${r.files} files, ${r.edges} relative imports, ${bad} problems, ${r.known.length} known violations`);
  }
  process.exit(r.violations.length || r.cycle ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
