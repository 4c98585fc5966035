// Corpus builder: extraction and docstring split per language, dedup, decontamination,
// the Python standard library end to end, and the CodeSearchNet reader.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFunctions } from '../../src/data/corpus/extract.js';
import { buildCorpus, readCorpus, type CorpusRecord } from '../../src/data/corpus/build.js';
import { benchmarkDecontaminator, normName } from '../../src/data/corpus/decontam.js';
import { datasetsDir, loadHumanEval } from '../../src/data/benchmarks.js';

test('python: docstring split off, methods qualified, syntax errors skipped', () => {
  const src = 'class A:\n    def f(self, x):\n        """Return x.\n\n        More.\n        """\n        # keep me\n        return x\n\ndef g(:\n    pass\n\ndef h():\n    return 1\n';
  const fs = extractFunctions(src, 'python');
  assert.equal(fs.map((f) => f.funcName), ['A.f', 'h']);
  assert.is(fs[0].docstring, 'Return x.\n\nMore.');
  assert.is(fs[0].code, 'def f(self, x):\n    # keep me\n    return x');
  assert.ok(fs[0].original.includes('"""Return x.'));
  assert.not.ok(fs[0].tokens.includes('# keep me'));
});

test('ruby, go, javascript: the comment block right above is the docstring', () => {
  const rb = extractFunctions('# Adds.\n# Twice.\ndef add(a, b)\n  a + b\nend\n\n# far away\n\ndef sub(a, b)\n  a - b\nend\n', 'ruby');
  assert.equal(rb.map((f) => [f.funcName, f.docstring]), [['add', 'Adds.\nTwice.'], ['sub', '']]);
  const go = extractFunctions('package p\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n\nfunc (t *T) M() {}\n', 'go');
  assert.equal(go.map((f) => [f.funcName, f.docstring]), [['Add', 'Add adds.'], ['T.M', '']]);
  const js = extractFunctions('/**\n * Adds.\n */\nfunction add(a, b) {\n  return a + b;\n}\nclass C { m() { return 1; } }\n', 'javascript');
  assert.equal(js.map((f) => [f.funcName, f.docstring]), [['add', 'Adds.'], ['C.m', '']]);
});

test('dedup by normalised tokens and decontamination by name and by near-duplicate code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-test-'));
  try {
    const body = '    total = 0\n    for v in values:\n        total += v * v\n    return total\n';
    writeFileSync(join(dir, 'a.py'), `def squares(values):\n${body}\n`);
    // same function, other formatting and comments: a duplicate
    writeFileSync(join(dir, 'b.py'), `def squares(values):   # note\n${body.replace('total = 0', 'total   =   0  # start')}\n`);
    let extra = '';
    const d = existsSync(join(datasetsDir(), 'HumanEval.jsonl.gz')) ? benchmarkDecontaminator(datasetsDir()).d : undefined;
    if (d) {
      const he = loadHumanEval().problems[0];
      // a benchmark entry point by name, and a renamed copy of a canonical solution
      extra = `def has_close_elements(a, b):\n    return a\n    pass\n\n` + (he.prompt + he.reference).replace(/has_close_elements/g, 'near_pairs');
    }
    writeFileSync(join(dir, 'c.py'), extra + '\n');
    const out: CorpusRecord[] = [];
    const st = buildCorpus({ lang: 'python', srcDirs: [dir], decontaminator: d }, (r) => out.push(r));
    assert.is(st.duplicates, 1);
    assert.equal(out.map((r) => r.func_name), ['squares']);
    if (d) {
      assert.is(st.contaminatedByName, 1);
      assert.is(st.contaminatedByCode, 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Python standard library: thousands of functions, no duplicates, no benchmark entry points', () => {
  const stdlib = ['/usr/lib/python3.11', '/usr/lib/python3'].find((p) => existsSync(join(p, 'json')));
  if (!stdlib) return console.log('  skipped: no Python standard library under /usr/lib');
  const haveData = existsSync(join(datasetsDir(), 'HumanEval.jsonl.gz'));
  const d = haveData ? benchmarkDecontaminator(datasetsDir()).d : undefined;
  const seen = new Set<string>();
  let n = 0;
  let documented = 0;
  // a part of the library keeps CI fast (the CLI on all of it: see the report); email is
  // walked twice, so every one of its functions must come back as a duplicate
  const dirs = ['json', 'email', 'asyncio', 'importlib', 'xml', 'http', 'logging', 'concurrent', 'multiprocessing', 'unittest', 'email'].map((x) => join(stdlib, x));
  const st = buildCorpus({ lang: 'python', srcDirs: dirs, decontaminator: d }, (r) => {
    n++;
    if (r.docstring) documented++;
    const key = r.code_tokens.join(' ');
    assert.not.ok(seen.has(key), `duplicate ${r.path}:${r.line}`);
    seen.add(key);
    if (d) assert.not.ok(d.names.has(normName(r.func_name)), `benchmark entry point ${r.func_name}`);
    assert.not.ok(r.code.includes('"""') && r.docstring && r.code.includes(r.docstring.split('\n')[0]) && r.docstring.length > 20, `docstring left in ${r.func_name}`);
  });
  console.log(`  stdlib: ${n} functions (${documented} documented) from ${st.files} files; ${st.duplicates} duplicates dropped`);
  assert.ok(n > 3000, `${n}`);
  assert.ok(st.duplicates > 0); // the tree is walked twice in part: duplicates must be caught
});

test('reader: CodeSearchNet JSONL, malformed lines reported with file and line and skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csn-test-'));
  try {
    const f = join(dir, 'x.jsonl');
    writeFileSync(
      f,
      [
        JSON.stringify({ repo: 'r', path: 'p.py', func_name: 'f', language: 'python', code: 'def f(): pass', docstring: 'Doc.' }),
        '{not json',
        JSON.stringify({ func_name: 'g', language: 'python', code_tokens: ['def', 'g', '(', ')', ':', 'pass'], docstring_tokens: ['Doc'] }),
        JSON.stringify({ func_name: 'h' }),
        '[1]',
        '',
      ].join('\n'),
    );
    const problems: string[] = [];
    const rs = [...readCorpus(f, (m) => problems.push(m))];
    assert.equal(rs.map((r) => r.func_name), ['f', 'g']);
    assert.is(rs[1].code, 'def g ( ) : pass');
    assert.equal(problems.map((p) => p.replace(f, 'F').split(':').slice(0, 2).join(':')), ['F:2', 'F:4', 'F:5']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
