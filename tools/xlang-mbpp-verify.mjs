// Verifier of the xlang-mbpp set (assets/xlang-mbpp/*.jsonl): every hand translation must
// pass its problem's MBPP tests, and every file must keep the fixed format.
//
// Format checked (per line): a JSON object with exactly task_id, python, javascript, go;
// task_ids strictly increasing; for a named split, the ids equal assets/xlang-mbpp/split.json;
// python equal to sanitized MBPP's `code` field; JavaScript's entry is the last top-level
// `function name(` (camelCase, no module.exports/require/import); Go has no `package` line,
// its entry is the last top-level `func Name(` (MixedCaps, exported).
//
// Tests: each `assert name(args) == expected` of the problem's test_list is parsed by
// python3's ast.literal_eval (tuples become arrays) into JSON args and expected; a result
// passes when it equals expected as JSON, numbers within |a - b| <= 1e-6 * max(1, |b|).
//   JavaScript: one fresh vm context per problem (timeout 5 s per call);
//   Go: one package per problem (pNNN), one main binary that decodes the JSON args into the
//   entry's parameter types with reflect + encoding/json and prints the JSON result; a
//   problem whose package does not compile fails alone; one process per problem (timeout).
//
// Usage: node tools/xlang-mbpp-verify.mjs [tune|held|tune2|held2|held3|FILE] [--mbpp PATH] [--lang js|go]
// Prints pass/fail per problem and language, then totals; exit code 1 if anything fails.
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import vm from 'node:vm';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
function option(name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
}
const mbppPath = option('--mbpp', join(root, '..', 'shared', 'datasets', 'sanitized-mbpp.json'));
const langs = option('--lang', 'js,go').split(',');
const which = argv[0] ?? 'tune';
const named = ['tune', 'held', 'tune2', 'held2', 'held3'].includes(which);
const file = named ? join(root, 'assets', 'xlang-mbpp', `${which}.jsonl`) : resolve(which);
const splitName = named ? which : basename(file).replace(/\.jsonl$/, '');

const formatErrors = [];
function formatError(line, msg) {
  formatErrors.push(`${file}:${line}: ${msg}`);
}

// ---- read and check the format ----
if (!existsSync(file)) {
  console.error(`xlang-mbpp-verify: no such file ${file}`);
  process.exit(1);
}
if (!existsSync(mbppPath)) {
  console.error(`xlang-mbpp-verify: MBPP not found at ${mbppPath} (pass --mbpp PATH)`);
  process.exit(1);
}
const mbpp = new Map(JSON.parse(readFileSync(mbppPath, 'utf8')).map((r) => [r.task_id, r]));
const rows = [];
readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
  if (text.trim() === '') return;
  let row;
  try {
    row = JSON.parse(text);
  } catch (e) {
    return formatError(i + 1, `not JSON (${e.message})`);
  }
  const keys = Object.keys(row ?? {}).sort().join(',');
  if (keys !== 'go,javascript,python,task_id') return formatError(i + 1, `fields must be task_id, python, javascript, go (got ${keys})`);
  if (!Number.isInteger(row.task_id)) return formatError(i + 1, 'task_id is not an integer');
  for (const k of ['python', 'javascript', 'go']) if (typeof row[k] !== 'string' || row[k].trim() === '') return formatError(i + 1, `${k} is not a non-empty string`);
  row.line = i + 1;
  rows.push(row);
});
for (let i = 1; i < rows.length; i++) if (rows[i].task_id <= rows[i - 1].task_id) formatError(rows[i].line, `task_id ${rows[i].task_id} not after ${rows[i - 1].task_id}`);
const split = JSON.parse(readFileSync(join(root, 'assets', 'xlang-mbpp', 'split.json'), 'utf8'));
if (split[splitName]) {
  const want = split[splitName].join(',');
  const got = rows.map((r) => r.task_id).join(',');
  if (want !== got) formatError(0, `ids differ from split.json's ${splitName}: missing [${split[splitName].filter((t) => !rows.some((r) => r.task_id === t))}], extra [${rows.filter((r) => !split[splitName].includes(r.task_id)).map((r) => r.task_id)}]`);
}

function lastTopLevel(code, re) {
  let name = null;
  for (const line of code.split('\n')) {
    const m = re.exec(line);
    if (m) name = m[1];
  }
  return name;
}
for (const r of rows) {
  const m = mbpp.get(r.task_id);
  if (!m) formatError(r.line, `task_id ${r.task_id} is not in MBPP`);
  else if (m.code !== r.python) formatError(r.line, `python differs from MBPP's code of ${r.task_id}`);
  r.jsEntry = lastTopLevel(r.javascript, /^function\s+([A-Za-z_$][\w$]*)\s*\(/);
  if (!r.jsEntry) formatError(r.line, 'javascript has no top-level `function name(`');
  else if (!/^[a-z][A-Za-z0-9]*$/.test(r.jsEntry)) formatError(r.line, `javascript entry ${r.jsEntry} is not camelCase`);
  if (/module\.exports|\brequire\s*\(|^\s*(import|export)\b/m.test(r.javascript)) formatError(r.line, 'javascript must not import or export');
  r.goEntry = lastTopLevel(r.go, /^func\s+([A-Za-z_]\w*)\s*\(/);
  if (!r.goEntry) formatError(r.line, 'go has no top-level `func Name(`');
  else if (!/^[A-Z][A-Za-z0-9]*$/.test(r.goEntry)) formatError(r.line, `go entry ${r.goEntry} is not MixedCaps`);
  if (/^\s*package\s/m.test(r.go)) formatError(r.line, 'go must omit the package line');
}

// ---- the MBPP tests, parsed by python's ast ----
const parser = `
import ast, json, sys
def conv(v):
    if isinstance(v, (list, tuple)): return [conv(x) for x in v]
    return v
out = {}
for r in json.load(sys.stdin):
    tests = []
    for t in r['test_list']:
        a = ast.parse(t).body[0]
        call = a.test.left
        tests.append({'args': [conv(ast.literal_eval(x)) for x in call.args], 'expected': conv(ast.literal_eval(a.test.comparators[0])), 'source': t})
    out[r['task_id']] = tests
print(json.dumps(out))
`;
const parsed = spawnSync('python3', ['-c', parser], { input: JSON.stringify(rows.filter((r) => mbpp.has(r.task_id)).map((r) => mbpp.get(r.task_id))), encoding: 'utf8', maxBuffer: 1 << 26 });
if (parsed.status !== 0) {
  console.error(`xlang-mbpp-verify: could not parse the MBPP tests with python3:\n${parsed.stderr}`);
  process.exit(1);
}
const tests = JSON.parse(parsed.stdout);

function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
}
const show = (v) => (v === undefined ? 'undefined' : JSON.stringify(v));

// ---- JavaScript ----
function runJs(r) {
  const fails = [];
  for (const t of tests[r.task_id] ?? []) {
    try {
      const ctx = vm.createContext({});
      vm.runInContext(r.javascript, ctx, { timeout: 5000, filename: `js-${r.task_id}.js` });
      ctx.__args = JSON.stringify(t.args);
      const out = vm.runInContext(`JSON.stringify(${r.jsEntry}(...JSON.parse(__args)))`, ctx, { timeout: 5000 });
      const got = out === undefined ? undefined : JSON.parse(out);
      if (!same(got, t.expected)) fails.push(`${t.source}: got ${show(got)}`);
    } catch (e) {
      fails.push(`${t.source}: threw ${e && e.message}`);
    }
  }
  return fails;
}

// ---- Go ----
function goEnv(dir) {
  const cache = join(tmpdir(), 'xlang-mbpp-go');
  return { ...process.env, GOCACHE: join(cache, 'cache'), GOPATH: join(cache, 'path'), GOFLAGS: '-mod=mod', GOPROXY: 'off', GO111MODULE: 'on', GOTOOLCHAIN: 'local', PWD: dir };
}
const goMain = (ok) => `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
${ok.map((r) => `\tp${r.task_id} "xm/p${r.task_id}"`).join('\n')}
)

var entries = map[string]interface{}{
${ok.map((r) => `\t"${r.task_id}": p${r.task_id}.${r.goEntry},`).join('\n')}
}

func main() {
	f := reflect.ValueOf(entries[os.Args[1]])
	var calls [][]json.RawMessage
	if err := json.Unmarshal([]byte(os.Args[2]), &calls); err != nil {
		panic(err)
	}
	var out []json.RawMessage
	for _, raw := range calls {
		if len(raw) != f.Type().NumIn() {
			fmt.Fprintf(os.Stderr, "entry takes %d arguments, the test gives %d\\n", f.Type().NumIn(), len(raw))
			os.Exit(2)
		}
		in := make([]reflect.Value, len(raw))
		for i, a := range raw {
			p := reflect.New(f.Type().In(i))
			if err := json.Unmarshal(a, p.Interface()); err != nil {
				fmt.Fprintf(os.Stderr, "argument %d does not decode into %v: %v\\n", i, f.Type().In(i), err)
				os.Exit(2)
			}
			in[i] = p.Elem()
		}
		res := f.Call(in)
		if len(res) != 1 {
			fmt.Fprintf(os.Stderr, "entry returns %d values, want 1\\n", len(res))
			os.Exit(2)
		}
		v := res[0]
		var b []byte
		if v.Kind() == reflect.Slice && v.IsNil() {
			b = []byte("[]")
		} else {
			var err error
			if b, err = json.Marshal(v.Interface()); err != nil {
				panic(err)
			}
		}
		out = append(out, b)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
`;
function runGo(rs) {
  const dir = join(tmpdir(), `xlang-mbpp-verify-${process.pid}`);
  try {
    return runGoIn(dir, rs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function runGoIn(dir, rs) {
  const results = new Map();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), 'module xm\n\ngo 1.19\n');
  const env = goEnv(dir);
  const ok = [];
  for (const r of rs) {
    mkdirSync(join(dir, `p${r.task_id}`));
    writeFileSync(join(dir, `p${r.task_id}`, 'p.go'), `package p${r.task_id}\n\n${r.go}\n`);
  }
  // compile every package in one go; on failure, find the packages that fail alone
  const all = spawnSync('go', ['build', './...'], { cwd: dir, env, encoding: 'utf8' });
  for (const r of rs) {
    if (all.status === 0) {
      ok.push(r);
      continue;
    }
    const one = spawnSync('go', ['build', `./p${r.task_id}`], { cwd: dir, env, encoding: 'utf8' });
    if (one.status === 0) ok.push(r);
    else results.set(r.task_id, [`does not compile: ${one.stderr.trim().split('\n').slice(0, 4).join(' | ')}`]);
  }
  mkdirSync(join(dir, 'main'));
  writeFileSync(join(dir, 'main', 'main.go'), goMain(ok));
  const bin = join(dir, 'harness');
  const build = spawnSync('go', ['build', '-o', bin, './main'], { cwd: dir, env, encoding: 'utf8' });
  if (build.status !== 0) {
    for (const r of ok) results.set(r.task_id, [`harness does not build: ${build.stderr.trim().split('\n').slice(0, 4).join(' | ')}`]);
    return results;
  }
  for (const r of ok) {
    const ts = tests[r.task_id] ?? [];
    const run = spawnSync(bin, [String(r.task_id), JSON.stringify(ts.map((t) => t.args))], { encoding: 'utf8', timeout: 10000 });
    if (run.status !== 0) {
      results.set(r.task_id, [`${run.signal === 'SIGTERM' ? 'timed out (10 s)' : `failed to run (exit ${run.status})`}: ${(run.stderr || '').trim().split('\n').slice(0, 4).join(' | ')}`]);
      continue;
    }
    const got = JSON.parse(run.stdout);
    results.set(r.task_id, ts.flatMap((t, i) => (same(got[i], t.expected) ? [] : [`${t.source}: got ${show(got[i])}`])));
  }
  return results;
}

// ---- report ----
const good = rows.filter((r) => r.jsEntry && r.goEntry && tests[r.task_id]);
const jsFails = new Map(langs.includes('js') ? good.map((r) => [r.task_id, runJs(r)]) : []);
const goFails = langs.includes('go') ? runGo(good) : new Map();
let failed = 0;
const passes = { js: 0, go: 0 };
for (const r of rows) {
  const cells = [];
  for (const [lang, fails] of [['js', jsFails], ['go', goFails]]) {
    if (!langs.includes(lang)) continue;
    const f = fails.get(r.task_id) ?? ['not run (format error)'];
    if (f.length === 0) passes[lang]++;
    else failed++;
    cells.push(`${lang} ${f.length === 0 ? 'pass' : 'FAIL'}`);
  }
  console.log(`${String(r.task_id).padStart(4)}  ${cells.join('  ')}`);
  for (const [lang, fails] of [['js', jsFails], ['go', goFails]]) for (const f of fails.get(r.task_id) ?? []) console.log(`        ${lang}: ${f}`);
}
for (const e of formatErrors) console.log(`format: ${e}`);
const totals = langs.map((l) => `${l} ${passes[l]}/${rows.length}`).join(', ');
console.log(`${basename(file)}: ${rows.length} problems; ${totals}; ${formatErrors.length} format errors`);
process.exit(failed > 0 || formatErrors.length > 0 || rows.length === 0 ? 1 : 0);
