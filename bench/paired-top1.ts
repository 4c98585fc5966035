// The paired top-1 difference between retrieval metrics, printed by the xlang benches:
// for metrics A and B scored on the same problems, d_i = hit_A(i) - hit_B(i) (hit: 1/0, or
// the share of draws won), its mean and percentile-bootstrap 95% interval over problems
// (src/train/stats.ts, seed 0); "(includes 0)" says this n does not tell A and B apart.
import { bootstrapMean, excludesZero, formatEstimate } from '../src/train/stats.js';

/** hits keyed `${metric}|${lang}`, one value per problem, the same problems for every key */
export function printPairedTopOne(title: string, metrics: readonly string[], langs: readonly string[], hits: Map<string, number[]>): void {
  if (metrics.length < 2) return;
  console.log(`paired top-1 difference A - B on the same problems (${title}; bootstrap over problems, seed 0)`);
  for (let a = 0; a < metrics.length; a++) for (let b = a + 1; b < metrics.length; b++) for (const lang of langs) {
    const ha = hits.get(`${metrics[a]}|${lang}`);
    const hb = hits.get(`${metrics[b]}|${lang}`);
    if (!ha || !hb || ha.length !== hb.length) throw new Error(`paired top-1: no matching hits for ${metrics[a]} / ${metrics[b]} on ${lang}`);
    const e = bootstrapMean(ha.map((x, i) => x - hb[i]), { seed: 0 });
    console.log(`${metrics[a]} - ${metrics[b]} | ${lang} | ${formatEstimate(e)}${excludesZero(e) ? '' : ' (includes 0)'}`);
  }
}
