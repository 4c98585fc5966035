// Ordering accuracy on the fixture triples, per language and metric:
//   node dist/bench/cssg-order.js [--verbose]
// A triple is ordered correctly when S(anchor, rewrite) > S(anchor, mutant) > S(anchor, unrelated).
import { LANGS } from '../src/lang/parser.js';
import { METRICS } from '../src/cssg/index.js';
import { loadTriples, ordering } from '../test/cssg/fixtures.js';

const verbose = process.argv.includes('--verbose');
const rows: string[] = [];
rows.push(['language', 'triples', ...METRICS].join(' | '));
for (const lang of LANGS) {
  const triples = loadTriples(lang);
  const cells: string[] = [];
  for (const metric of METRICS) {
    const r = ordering(lang, metric, triples);
    cells.push(`${(r.correct / r.total).toFixed(3)} (${r.correct}/${r.total})`);
    if (verbose && r.wrong.length) console.log(`${lang} ${metric} wrong: ${r.wrong.join('; ')}`);
  }
  rows.push([lang, String(triples.length), ...cells].join(' | '));
}
console.log(rows.join('\n'));
