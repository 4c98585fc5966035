// Cross-language retrieval on HumanEval-X: for each Python solution, is the JavaScript
// (or Go) solution of the same problem the top-scoring one among all problems?
//   node dist/bench/cssg-retrieval.js [N]     (first N problems; default all 164)
import { METRICS, closeWorkers } from '../src/cssg/index.js';
import { loadHumanEvalX, retrieval } from '../test/cssg/humaneval.js';

const all = loadHumanEvalX();
if (!all) {
  console.log('HumanEval-X not found under ../shared/datasets: skipped');
  process.exit(0);
}
const n = Number(process.argv[2]) || all.length;
const problems = all.slice(0, n);
console.log(`problems: ${problems.length} (chance = ${(1 / problems.length).toFixed(3)})`);
console.log('metric | python->javascript | python->go');
for (const metric of METRICS) {
  const t0 = performance.now();
  const js = await retrieval(problems, 'javascript', metric);
  const go = await retrieval(problems, 'go', metric);
  const ms = performance.now() - t0;
  console.log(`${metric} | ${(js.correct / js.total).toFixed(3)} (${js.correct}/${js.total}) | ${(go.correct / go.total).toFixed(3)} (${go.correct}/${go.total})   [${((2 * problems.length ** 2) / (ms / 1000)).toFixed(0)} pairs/s]`);
}
await closeWorkers();
