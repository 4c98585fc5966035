// `batcoder report RUN_DIR...`: curves of the logged metrics as SVG files and one HTML
// page, plus a table comparing the runs' evaluations (e.g. full BatCoder vs ablations):
// every evaluation of every run, per language, each metric with its n and 95% bootstrap
// interval over tasks (evaluate.ts says what each metric measures), and each run's compute
// (optimizer updates and sampled tokens of phase 1, and which budget held it).
import { readFileSync, existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readMetrics } from './metrics.js';
import { formatTrend, rewardTrend } from './trend.js';
import { formatEstimate, type Estimate } from './stats.js';
import type { EvalMetric } from './evaluate.js';

export const CURVES: [string, string][] = [
  ['sampled_reward_doc2code', 'mean R_doc2code of every sampled group'],
  ['sampled_reward_code2doc', 'mean R_code2doc of every sampled group'],
  ['sampled_format_valid', 'format-valid rate of every sampled doc'],
  ['reward_doc2code', 'mean R_doc2code of the kept batch (CSSG of the reconstruction)'],
  ['reward_code2doc', 'mean R_code2doc of the kept batch (S * R_doc)'],
  ['format_valid', 'format-valid rate of the kept batch'],
  ['loss', 'loss'],
  ['approx_kl', 'approx KL(old || new)'],
  ['tokens_per_s', 'generated tokens / s'],
];

/** An evaluation as stored in eval-*.json (files of older runs lack `ci` and `nUsable`). */
type StoredLangEval = Partial<Record<EvalMetric | 'n' | 'nUsable' | 'timeouts', number>> & { ci?: Partial<Record<EvalMetric, Estimate>> };

interface Run {
  name: string;
  dir: string;
  rows: Record<string, unknown>[];
  config: Record<string, unknown>;
  evals: { tag: string; perLang: Record<string, StoredLangEval> }[];
}

/** The evaluation table's columns: header, metric, percent or not. */
const EVAL_COLUMNS: [string, EvalMetric, boolean][] = [
  ['doc format valid', 'formatValid', true],
  ['doc format exact', 'formatExact', true],
  ['S on usable docs', 'usableSimilarity', false],
  ['round-trip CSSG (unusable = 0)', 'roundTripSimilarity', false],
  ['round-trip pass', 'roundTripPass', true],
  ['pass@1 (doc->code)', 'passAt1', true],
];

/** One cell: mean [95% CI] n=.. where the file has intervals, the bare number where it does not. */
function evalCell(v: StoredLangEval, m: EvalMetric, pct: boolean): string {
  const e = v.ci?.[m];
  if (e) return formatEstimate(e, { pct });
  const x = v[m];
  if (x === undefined || !Number.isFinite(x)) return '-';
  return pct ? `${(100 * x).toFixed(1)}%` : x.toFixed(3);
}

/** The run's phase-1 compute from its last step row, and the budget that bounded it. */
export function computeOf(r: Pick<Run, 'rows' | 'config'>): { steps: number; updates: number | null; sampledTokens: number | null; heldEqual: string } {
  const steps = stepRows(r as Run);
  const last = steps[steps.length - 1] ?? {};
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  const c = r.config;
  const heldEqual = num(c.maxUpdates) ? `updates <= ${c.maxUpdates}` : num(c.maxSampledTokens) ? `sampled tokens <= ${c.maxSampledTokens}` : `steps = ${c.steps ?? steps.length}`;
  return { steps: steps.length, updates: num(last.total_updates), sampledTokens: num(last.total_sampled_tokens), heldEqual };
}

function loadRun(dir: string): Run {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) throw new Error(`${dir}: no metrics.jsonl (is this a run directory?)`);
  const rows = readMetrics(path, (m) => console.warn(`warning: ${m}`)) as Record<string, unknown>[];
  const order = (tag: string) => (tag === 'phase0' || tag === 'start' ? -1 : tag === 'final' ? 1e9 : Number(tag.replace(/\D/g, '')) || 0);
  const evals = readdirSync(dir)
    .filter((f) => /^eval-.*\.json$/.test(f))
    .sort((a, b) => order(a.slice(5, -5)) - order(b.slice(5, -5)))
    .map((f) => ({ tag: f.slice(5, -5), ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { perLang: Record<string, Record<string, number>> }) }));
  const cfgPath = join(dir, 'config.json');
  const config = existsSync(cfgPath) ? (JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>) : {};
  return { name: basename(dir), dir, rows, config, evals };
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2'];

/** A line chart of one metric over phase-1 steps for every run. */
export function svgChart(title: string, series: { name: string; points: [number, number][] }[]): string {
  const W = 560, H = 300, L = 56, R = 16, Tp = 28, Bm = 40;
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (!all.length) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><text x="10" y="20">${esc(title)}: no data</text></svg>`;
  const xs = all.map(([x]) => x), ys = all.map(([, y]) => y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => H - Bm - ((y - y0) / (y1 - y0)) * (H - Tp - Bm);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/><text x="${L}" y="16" font-size="13">${esc(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/><text x="${L - 4}" y="${py(y) + 4}" text-anchor="end">${+y.toPrecision(3)}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">step</text>`);
  parts.push(`<text x="${L}" y="${H - Bm + 14}">${x0}</text><text x="${W - R}" y="${H - Bm + 14}" text-anchor="end">${x1}</text>`);
  series.forEach((s, i) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y));
    if (!pts.length) return;
    const c = COLORS[i % COLORS.length];
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    parts.push(`<text x="${W - R - 4}" y="${Tp + 12 * (i + 1)}" text-anchor="end" fill="${c}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Moving average (window w) so noisy per-step rewards show their trend. */
function smooth(points: [number, number][], w: number): [number, number][] {
  return points.map(([x], i) => {
    const win = points.slice(Math.max(0, i - w + 1), i + 1).map(([, y]) => y).filter(Number.isFinite);
    return [x, win.length ? win.reduce((a, b) => a + b, 0) / win.length : NaN];
  });
}

const stepRows = (r: Run) => r.rows.filter((x) => x.phase === 1 && x.eval === undefined);

/**
 * The comparison as Markdown (what the README and issue notes quote): every evaluation of every
 * run per language, then each run's reward trend (first vs last third of its steps).
 */
export function markdownSummary(runs: Run[]): string {
  const L = [
    'Each cell: mean [95% percentile-bootstrap interval over tasks] n = the items behind it (S on usable docs: the usable docs). Timeouts: sandbox runs stopped at their time limit (above 0, the numbers may depend on machine load; "-": not recorded).',
    '',
    `| run | eval | lang | ${EVAL_COLUMNS.map((c) => c[0]).join(' | ')} | timeouts |`,
    `|---|---|---|${EVAL_COLUMNS.map(() => '---').join('|')}|---|`,
  ];
  for (const r of runs) {
    for (const e of r.evals) {
      for (const [lang, v] of Object.entries(e.perLang)) {
        L.push(`| ${r.name} | ${e.tag} | ${lang} | ${EVAL_COLUMNS.map(([, m, pct]) => evalCell(v, m, pct)).join(' | ')} | ${v.timeouts ?? '-'} |`);
      }
    }
  }
  L.push('', '| run | phase-1 steps | optimizer updates | sampled tokens | budget |', '|---|---|---|---|---|');
  for (const r of runs) {
    const c = computeOf(r);
    L.push(`| ${r.name} | ${c.steps} | ${c.updates ?? '-'} | ${c.sampledTokens ?? '-'} | ${c.heldEqual} |`);
  }
  L.push('');
  for (const r of runs) {
    const rows = stepRows(r);
    if (rows.length >= 2) L.push(`- ${r.name} (${rows.length} steps), first vs last ${Math.max(1, Math.floor(rows.length / 3))} steps: ${formatTrend(rewardTrend(rows))}`);
  }
  return L.join('\n');
}

export function writeReport(dirs: string[], out: string): { html: string; svgs: string[]; markdown: string } {
  const runs = dirs.map(loadRun);
  mkdirSync(out, { recursive: true });
  const svgs: string[] = [];
  const sections: string[] = [];
  for (const [key, title] of CURVES) {
    const series = runs.map((r) => ({
      name: r.name,
      points: smooth(r.rows.filter((x) => x.phase === 1 && x.eval === undefined && typeof x[key] === 'number').map((x) => [x.step as number, x[key] as number] as [number, number]), 5),
    }));
    const svg = svgChart(title, series);
    const file = join(out, `${key}.svg`);
    writeFileSync(file, svg);
    svgs.push(file);
    sections.push(`<figure>${svg}</figure>`);
  }
  // comparison table: every evaluation of every run, per language
  const rows: string[] = [];
  for (const r of runs) {
    for (const e of r.evals) {
      for (const [lang, v] of Object.entries(e.perLang)) {
        rows.push(`<tr><td>${r.name}</td><td>${e.tag}</td><td>${lang}</td>${EVAL_COLUMNS.map(([, m, pct]) => `<td>${evalCell(v, m, pct)}</td>`).join('')}</tr>`);
      }
    }
  }
  const table = `<p>mean [95% bootstrap interval over tasks] n</p><table><tr><th>run</th><th>eval</th><th>lang</th>${EVAL_COLUMNS.map((c) => `<th>${c[0]}</th>`).join('')}</tr>${rows.join('')}</table>`;
  const trends = runs
    .filter((r) => stepRows(r).length >= 2)
    .map((r) => `<li>${r.name}: ${formatTrend(rewardTrend(stepRows(r))).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</li>`)
    .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>batcoder report</title>
<style>body{font-family:sans-serif;margin:24px} figure{display:inline-block;margin:8px} table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head>
<body><h1>batcoder report</h1><p>runs: ${runs.map((r) => `${r.name} (${r.rows.filter((x) => x.phase === 1 && x.eval === undefined).length} phase-1 steps)`).join(', ')}</p>
<h2>Evaluations</h2>${table}<h2>Reward trend (mean±se of the first vs the last third of the steps)</h2><ul>${trends}</ul><h2>Training curves (5-step moving average)</h2>${sections.join('\n')}</body></html>`;
  const htmlPath = join(out, 'report.html');
  writeFileSync(htmlPath, html);
  return { html: htmlPath, svgs, markdown: markdownSummary(runs) };
}
