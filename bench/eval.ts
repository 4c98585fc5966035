// Harness and suite throughput: `node dist/bench/eval.js [--parallel N] [--n N]`.
//  - task generation (tinybench): tasks/s, all four languages rendered
//  - sandbox: programs/s per language for trivial passing programs (the floor cost of one
//    sandboxed run: bwrap + interpreter start-up; Go includes `go test` compile+link)
import { Bench } from 'tinybench';
import { LANGS, type Lang } from '../src/lang/parser.js';
import { generateTasks, taskProgram } from '../src/data/tasks/index.js';
import { runProgram, unavailable } from '../src/eval/languages.js';
import { mapParallel, sandboxInfo } from '../src/eval/sandbox.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const parallel = arg('--parallel', 2);
const n = arg('--n', 40);

const bench = new Bench({ time: 1000 });
let seed = 0;
bench.add('generateTasks 100 (4 languages)', () => {
  generateTasks({ seed: seed++, count: 100 });
});
bench.add('generateTasks 100 (python only)', () => {
  generateTasks({ seed: seed++, count: 100, langs: ['python'] });
});
await bench.run();
for (const t of bench.tasks) {
  const r = t.result as { latency?: { mean: number }; mean?: number } | undefined;
  const ms = r?.latency?.mean ?? r?.mean ?? NaN;
  console.log(`${t.name.padEnd(36)} ${ms.toFixed(1)} ms  (${((100 / ms) * 1000).toFixed(0)} tasks/s)`);
}

const info = sandboxInfo();
console.log(`sandbox: network ${info.network}, filesystem ${info.filesystem}; parallel ${parallel}`);
for (const lang of LANGS) {
  const why = unavailable(lang);
  if (why) {
    console.log(`${lang.padEnd(11)} ${why}`);
    continue;
  }
  const count = lang === 'go' ? Math.max(4, Math.floor(n / 4)) : n;
  const tasks = generateTasks({ seed: 1, count, langs: [lang as Lang] });
  const progs = tasks.map((t) => taskProgram(t, lang, t.code[lang]!));
  await runProgram(lang, progs[0]); // warm caches (Go build cache, page cache)
  const t0 = performance.now();
  const res = await mapParallel(progs, parallel, (p, slot) => runProgram(lang, p, {}, { slot }));
  const s = (performance.now() - t0) / 1000;
  const passed = res.filter((r) => r.status === 'passed').length;
  console.log(`${lang.padEnd(11)} ${(count / s).toFixed(1)} programs/s  (${count} suite programs in ${s.toFixed(1)} s, ${passed} passed)`);
}
