// `batcoder eval`: score completions from any source against a benchmark in the sandbox.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { parseLang } from '../../lang/parser.js';
import { BENCHMARKS, loadBenchmark } from '../../data/benchmarks.js';
import { evaluate, readCompletions, referenceCompletions } from '../../eval/harness.js';
import { sandboxInfo } from '../../eval/sandbox.js';
import type { Split } from '../../data/tasks/index.js';

interface Opts {
  bench: string;
  completions?: string;
  references?: boolean;
  model?: string;
  samples?: string;
  temperature?: string;
  maxNewTokens?: string;
  data?: string;
  lang?: string;
  seed?: string;
  count?: string;
  split?: string;
  parallel?: string;
  timeout?: string;
  truncate?: boolean;
  limit?: string;
  out?: string;
  json?: boolean;
}

/** The most telling line of an error tail: the last one naming an error, else the last line. */
function errorLine(tail: string): string {
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
  const named = lines.filter((l) => /(Error|Exception|error:|FAIL|failed|Failure|expected but was)/.test(l) && !/^at |^Node\.js v|tests\/s|assertions,/.test(l));
  return (named.pop() ?? lines.pop() ?? '').slice(0, 200);
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('run completions against a benchmark in the sandbox and report pass@k')
    .requiredOption('--bench <name>', `benchmark: ${BENCHMARKS.join(', ')}`)
    .option('--completions <file>', 'JSONL of {"task_id", "completion"} (several lines per task = several samples)')
    .option('--references', "score the benchmark's own reference solutions (harness self-check)")
    .option('--model <dir>', 'generate completions with a model directory (config.json, model.safetensors, tokenizer.json); greedy unless --samples > 1')
    .option('--samples <n>', 'completions per problem with --model (temperature sampling when > 1)', '1')
    .option('--temperature <t>', 'sampling temperature with --samples > 1', '0.8')
    .option('--max-new-tokens <n>', 'generation length with --model', '256')
    .option('--data <dir>', 'datasets directory (default ../shared/datasets)')
    .option('--lang <lang>', 'language for --bench tasks (python, ruby, go, javascript)', 'python')
    .option('--seed <n>', 'seed for --bench tasks', '1')
    .option('--count <n>', 'number of tasks for --bench tasks', '200')
    .option('--split <split>', 'split for --bench tasks: train, validation, test, heldout', 'test')
    .option('--parallel <n>', 'programs run at once', '2')
    .option('--timeout <ms>', 'override the per-program timeout')
    .option('--truncate', "cut completions at the benchmark's stop sequences first")
    .option('--limit <n>', 'only the first n problems')
    .option('--out <file>', 'write the full report (every sample) as JSON')
    .option('--json', 'print the summary as JSON')
    .action(async (o: Opts) => {
      if (!o.completions && !o.references && !o.model) throw new Error('give --completions FILE.jsonl, --model DIR, or --references to check the harness');
      const bench = loadBenchmark(o.bench, {
        dir: o.data,
        lang: parseLang(o.lang ?? 'python'),
        seed: Number(o.seed),
        count: Number(o.count),
        split: o.split as Split,
      });
      if (o.limit) bench.problems = bench.problems.slice(0, Number(o.limit));
      if (bench.problems.length === 0) throw new Error(`${bench.name}: no problems selected`);
      const info = sandboxInfo();
      for (const w of info.warnings) console.error(`sandbox warning: ${w}`);
      let completions: Map<string, string[]>;
      if (o.model) {
        const { modelCompletions } = await import('../../train/complete.js');
        const { loadPolicy } = await import('../../train/policy.js');
        const { getGpu, releaseGpu } = await import('../../gpu/index.js');
        const policy = await loadPolicy(await getGpu(), o.model);
        try {
          completions = await modelCompletions(policy, bench, { samples: Number(o.samples ?? 1), temperature: Number(o.temperature ?? 0.8), maxNewTokens: Number(o.maxNewTokens ?? 256), seed: Number(o.seed ?? 1) });
        } finally {
          policy.model.dispose();
          releaseGpu();
        }
      } else if (o.references) {
        completions = referenceCompletions(bench);
        if (completions.size === 0) throw new Error(`${bench.name} has no reference solutions`);
      } else {
        const f = readCompletions(o.completions!);
        for (const p of f.problems) console.error(p);
        completions = f.byId;
      }
      const tty = process.stderr.isTTY;
      const rep = await evaluate(bench, completions, {
        parallel: Number(o.parallel),
        timeoutMs: o.timeout ? Number(o.timeout) : undefined,
        truncate: !!o.truncate,
        onResult: tty ? (_r, done, total) => process.stderr.write(`\r${done}/${total}`) : undefined,
      });
      if (tty) process.stderr.write('\n');
      if (o.out) writeFileSync(o.out, JSON.stringify(rep, null, 1));
      const { results, ...summary } = rep;
      if (o.json) {
        console.log(JSON.stringify(summary, null, 2));
        return;
      }
      console.log(`benchmark:  ${rep.bench} (${rep.language})`);
      console.log(`sandbox:    network ${info.network === 'none' ? 'NOT cut' : `cut (${info.network})`}, filesystem ${info.filesystem}`);
      if (rep.skipped) {
        console.log(rep.skipped);
        return;
      }
      console.log(`problems:   ${rep.problems} scored, ${rep.missing.length} without completions${rep.unknown.length ? `, ${rep.unknown.length} unknown task ids` : ''}`);
      console.log(`samples:    ${rep.samples} in ${rep.seconds.toFixed(1)} s (${(rep.samples / Math.max(rep.seconds, 1e-9)).toFixed(1)} programs/s)`);
      console.log(`statuses:   ${Object.entries(rep.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      for (const [k, v] of Object.entries(rep.passAtK)) console.log(`${k.padEnd(11)} ${(100 * v).toFixed(2)}%`);
      for (const n of rep.notes) console.log(`note:       ${n}`);
      const failed = results.filter((r) => r.status !== 'passed').slice(0, 5);
      for (const r of failed) console.log(`  ${r.id}#${r.sample}: ${r.status} ${errorLine(r.stderrTail)}`);
    });
}
