// The layering check (tools/check-layers.mjs): the repository passes it, and it does fail,
// naming file and import, on an upward import, an unknown folder and a table with a cycle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/util/paths.js';

interface Finding {
  file: string;
  import: string;
  from: string;
  to: string;
  why: string;
}
interface Report {
  violations: Finding[];
  known: Finding[];
  stale: { file: string; import: string }[];
  cycle: string[] | null;
  files: number;
  edges: number;
}
interface CheckLayers {
  checkLayers(root: string, rules?: Record<string, string[]>, known?: { file: string; import: string; why: string }[]): Report;
  importsOf(text: string): string[];
  findCycle(g: Map<string, Set<string>>): string[] | null;
}

const script = join(repoRoot(), 'tools', 'check-layers.mjs');
const load = async (): Promise<CheckLayers> => (await import(pathToFileURL(script).href)) as CheckLayers;

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

test('the repository passes the layering check (exit 0)', () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /0 problems/);
});

test('an upward import fails, naming the file and the import', async () => {
  const { checkLayers } = await load();
  const root = tree({
    'src/gpu/device.ts': "import { train } from '../train/loop.js';\nexport const d = train;\n",
    'src/train/loop.ts': "import type { X } from '../gpu/device.js';\nexport const train = 1;\n",
  });
  try {
    const r = checkLayers(root, undefined, []);
    assert.is(r.violations.length, 1);
    assert.is(r.violations[0].file, 'src/gpu/device.ts');
    assert.is(r.violations[0].import, '../train/loop.js');
    assert.match(r.violations[0].why, /src\/gpu may not import src\/train/);
    const cli = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
    assert.is(cli.status, 1);
    assert.match(cli.stdout, /VIOLATION src\/gpu\/device\.ts: import '\.\.\/train\/loop\.js'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('dynamic imports, export-from and multi-line imports count; comments do not', async () => {
  const { importsOf } = await load();
  const text = [
    "import {\n  a,\n  b,\n} from './x.js';",
    "export * from '../y.js';",
    "const m = await import('../z.js');",
    "import './side.js';",
    "// import { q } from '../commented.js';",
    "/* import { r } from '../block.js'; */",
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  assert.equal(importsOf(text), ['./x.js', '../y.js', '../z.js', './side.js']);
});

test('a folder missing from the table fails; a known violation passes with either kernels path', async () => {
  const { checkLayers } = await load();
  const root = tree({
    'src/newthing/a.ts': 'export const a = 1;\n',
    'src/nn/m.ts': "import { k } from '../kernels/attention.js';\nexport const m = k;\n",
    'src/kernels/attention.ts': 'export const k = 1;\n',
  });
  try {
    const r = checkLayers(root, undefined, [{ file: 'src/nn/m.ts', import: 'kernels/attention.ts', why: 'being fixed' }]);
    assert.is(r.violations.length, 1);
    assert.match(r.violations[0].why, /src\/newthing is not in the layer table/);
    assert.is(r.known.length, 1);
    const strict = checkLayers(root, undefined, []);
    assert.ok(strict.violations.some((v) => v.file === 'src/nn/m.ts' && /src\/nn may not import src\/kernels/.test(v.why)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('cycles: found in a graph, and a rules table with a cycle is refused', async () => {
  const { checkLayers, findCycle } = await load();
  const g = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a'])],
  ]);
  assert.equal(findCycle(g), ['a', 'b', 'c', 'a']);
  assert.is(findCycle(new Map([['a', new Set(['b'])], ['b', new Set<string>()]])), null);
  assert.throws(() => checkLayers(repoRoot(), { 'src/data': ['src/eval'], 'src/eval': ['src/data'] }, []), /table has a cycle: src\/data -> src\/eval -> src\/data/);
});

test.run();
