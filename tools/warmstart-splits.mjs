// Measures a model (default: the shipped warm start) on the held-out evaluation split and on
// a same-size sample of training-split tasks, with the trainer's evaluation (greedy; format
// rate, round trip, pass@1), per task so the two samples can be compared.
//   node tools/warmstart-splits.mjs [--model DIR] [--seed S] [--count N] [--out FILE.json]
// Needs a build (dist/) and the GPU engine (lavapipe on CPU).
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const d = (p) => import(join(root, 'dist/src', p));
const arg = (k, v) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : v);
const modelDir = resolve(arg('--model', join(root, 'assets/warmstart')));
const seed = Number(arg('--seed', '1'));
const count = Number(arg('--count', '32'));
const { getGpu, releaseGpu } = await d('gpu/index.js');
const { loadModel } = await d('nn/io.js');
const { Tokenizer } = await d('tokenizer/index.js');
const { Policy } = await d('train/policy.js');
const { DEFAULTS } = await d('train/config.js');
const { evalTasks } = await d('train/data.js');
const { generateTasks, taskProgram } = await d('data/tasks/index.js');
const { checkDoc } = await d('rl/format.js');
const { runProgram } = await d('eval/languages.js');
const { mapParallel } = await d('eval/sandbox.js');

const gpu = await getGpu();
const policy = new Policy(await loadModel(gpu, modelDir), await Tokenizer.load(join(modelDir, 'tokenizer.json')));
const lang = 'python';
const cfg = DEFAULTS;
const passes = async (t, code) => ((await runProgram(lang, taskProgram(t, lang, code), { timeoutMs: 5000 })).status === 'passed' ? 1 : 0);

// the loop of src/train/evaluate.ts, kept per task
async function measure(tasks) {
  const codes = tasks.map((t) => t.code[lang]);
  const gen = (dir, inputs, max) => policy.generate(dir, inputs.map((x) => policy.prompt(dir, x, lang)), { maxNewTokens: max, temperature: 1, seed: 0, greedy: true });
  const g1 = await gen('code2doc', codes, cfg.maxDocTokens);
  const checks = g1.text.map((doc, i) => checkDoc(doc, codes[i], lang));
  const sig = (t, doc) => `${doc}\n\n${t.signature[lang]}`;
  const g2 = await gen('doc2code', checks.map((c, i) => sig(tasks[i], c.doc)), cfg.maxCodeTokens);
  const g3 = await gen('doc2code', tasks.map((t) => sig(t, t.description)), cfg.maxCodeTokens);
  const rt = await mapParallel(tasks, 2, (t, _s, i) => (checks[i].doc ? passes(t, g2.text[i]) : Promise.resolve(0)));
  const p1 = await mapParallel(tasks, 2, (t, _s, i) => passes(t, g3.text[i]));
  return tasks.map((t, i) => ({ id: t.id, structure: t.structure, formatExact: checks[i].score === 1 ? 1 : 0, formatValid: checks[i].score > 0 ? 1 : 0, roundTripPass: rt[i], passAt1: p1[i], pass1Code: g3.text[i] }));
}
const samples = {
  heldout: evalTasks(seed, count, [lang]),
  train: generateTasks({ seed: seed + 7_000_001, count, split: 'train', langs: [lang] }),
};
const out = {};
for (const [name, tasks] of Object.entries(samples)) {
  const rows = await measure(tasks);
  const m = (k) => rows.reduce((s, r) => s + r[k], 0);
  out[name] = { n: rows.length, formatExact: m('formatExact'), formatValid: m('formatValid'), roundTripPass: m('roundTripPass'), passAt1: m('passAt1'), rows };
  console.log(`${name}: n=${rows.length}  format exact ${m('formatExact')}/${rows.length}  format valid ${m('formatValid')}/${rows.length}  round-trip pass ${m('roundTripPass')}/${rows.length}  pass@1 ${m('passAt1')}/${rows.length}`);
}
const file = arg('--out', null);
if (file) writeFileSync(file, JSON.stringify({ model: modelDir, seed, count, ...out }, null, 1));
releaseGpu();
