// `batcoder eval`: score completions from any source against a benchmark in the sandbox.
import type { Command } from 'commander';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LANGS, type Lang } from '../../lang/parser.js';
import { BENCHMARKS, loadBenchmark } from '../../data/benchmarks.js';
import { SPLITS, type Split } from '../../data/tasks/index.js';
import { readConfig } from '../../nn/io.js';
import { evaluate, readCompletions, referenceCompletions } from '../../eval/harness.js';
import { allowUnsandboxed, describeIsolation, sandboxInfo } from '../../eval/sandbox.js';
import { choiceFlag, intFlag, numFlag } from '../flags.js';

interface Opts {
  bench: string;
  completions?: string;
  references?: boolean;
  model?: string;
  samples: number;
  temperature: number;
  maxNewTokens: number;
  data?: string;
  lang: Lang;
  seed: number;
  count: number;
  split: Split;
  parallel: number;
  timeout?: number;
  memory?: number;
  truncate?: boolean;
  limit?: number;
  out?: string;
  json?: boolean;
  unsafeNoSandbox?: boolean;
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
    .requiredOption('--bench <name>', `benchmark: ${BENCHMARKS.join(', ')}`, choiceFlag('--bench', BENCHMARKS))
    .option('--completions <file>', 'JSONL of {"task_id", "completion"} (several lines per task = several samples)')
    .option('--references', "score the benchmark's own reference solutions (harness self-check)")
    .option('--model <dir>', 'generate completions with a model directory (config.json, model.safetensors, tokenizer.json); greedy unless --samples > 1')
    .option('--samples <n>', 'completions per problem with --model (temperature sampling when > 1)', intFlag('--samples', { min: 1, max: 1000 }), 1)
    .option('--temperature <t>', 'sampling temperature with --samples > 1', numFlag('--temperature', { min: 0, max: 1000 }), 0.8)
    .option('--max-new-tokens <n>', "generation length with --model (at most the model's context)", intFlag('--max-new-tokens', { min: 1, max: 1 << 20 }), 256)
    .option('--data <dir>', 'datasets directory (default ../shared/datasets)')
    .option('--lang <lang>', `language for --bench tasks (${LANGS.join(', ')})`, choiceFlag('--lang', LANGS), 'python')
    .option('--seed <n>', 'seed for --bench tasks and sampling', intFlag('--seed', { min: 0, max: 2 ** 32 - 1 }), 1)
    .option('--count <n>', 'number of tasks for --bench tasks', intFlag('--count', { min: 1, max: 100_000 }), 200)
    .option('--split <split>', `split for --bench tasks: ${SPLITS.join(', ')}`, choiceFlag('--split', SPLITS), 'test')
    .option('--parallel <n>', 'programs run at once', intFlag('--parallel', { min: 1, max: 256 }), 2)
    .option('--timeout <ms>', 'override the per-program timeout (milliseconds)', intFlag('--timeout', { min: 1, max: 3_600_000 }))
    .option('--memory <MiB>', 'memory bound of each run in MiB (default 2048)', intFlag('--memory', { min: 16, max: 1 << 20 }))
    .option('--truncate', "cut completions at the benchmark's stop sequences first")
    .option('--limit <n>', 'only the first n problems', intFlag('--limit', { min: 1 }))
    .option('--out <file>', 'write the full report (every sample) as JSON')
    .option('--json', 'print the summary as JSON')
    .option('--unsafe-no-sandbox', 'when neither bubblewrap nor the unshare jail works, run model-written code WITHOUT isolation (your files, your network)')
    .action(async (o: Opts) => {
      // Everything checkable is checked before any program runs or any file is written.
      const sources = [o.completions && '--completions', o.references && '--references', o.model && '--model'].filter(Boolean);
      if (sources.length === 0) throw new Error('give --completions FILE.jsonl, --model DIR, or --references to check the harness');
      if (sources.length > 1) throw new Error(`give only one of --completions, --model, --references (got ${sources.join(', ')})`);
      if (o.completions && !existsSync(o.completions)) throw new Error(`--completions: no such file: ${o.completions}`);
      if (o.out && !(existsSync(dirname(resolve(o.out))) && statSync(dirname(resolve(o.out))).isDirectory())) throw new Error(`--out: directory ${dirname(resolve(o.out))} does not exist`);
      if (o.model) {
        const config = await readConfig(o.model);
        if (o.maxNewTokens >= config.max_position_embeddings) throw new Error(`--max-new-tokens ${o.maxNewTokens} does not fit the model's context of ${config.max_position_embeddings} tokens`);
      }
      if (o.unsafeNoSandbox) allowUnsandboxed();
      const info = sandboxInfo();
      for (const w of info.warnings) console.error(`sandbox warning: ${w}`);
      if (info.isolation === 'refused') throw new Error(info.refusal);
      const bench = loadBenchmark(o.bench, { dir: o.data, lang: o.lang, seed: o.seed, count: o.count, split: o.split });
      if (o.limit) bench.problems = bench.problems.slice(0, o.limit);
      if (bench.problems.length === 0) throw new Error(`${bench.name}: no problems selected`);
      let completions: Map<string, string[]>;
      if (o.model) {
        const { modelCompletions } = await import('../../train/complete.js');
        const { loadPolicy } = await import('../../train/policy.js');
        const { getGpu, releaseGpu } = await import('../../gpu/index.js');
        const policy = await loadPolicy(await getGpu(), o.model);
        try {
          completions = await modelCompletions(policy, bench, { samples: o.samples, temperature: o.temperature, maxNewTokens: o.maxNewTokens, seed: o.seed });
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
        parallel: o.parallel,
        timeoutMs: o.timeout,
        memoryBytes: o.memory === undefined ? undefined : o.memory * 2 ** 20,
        truncate: !!o.truncate,
        onResult: tty ? (_r, done, total) => process.stderr.write(`\r${done}/${total}`) : undefined,
      });
      if (tty) process.stderr.write('\n');
      if (o.out) writeFileSync(o.out, JSON.stringify(rep, null, 1));
      const { results, ...summary } = rep;
      if (o.json) {
        console.log(JSON.stringify({ ...summary, isolation: info.isolation, memoryBound: info.memory }, null, 2));
        return;
      }
      console.log(`benchmark:  ${rep.bench} (${rep.language})`);
      console.log(`sandbox:    ${describeIsolation(info)}`);
      if (rep.skipped) {
        console.log(rep.skipped);
        return;
      }
      console.log(`problems:   ${rep.problems} (${rep.withCompletions} with completions; the ${rep.missing.length} without count as failed)${rep.unknown.length ? `, ${rep.unknown.length} unknown task ids` : ''}`);
      console.log(`samples:    ${rep.samples} in ${rep.seconds.toFixed(1)} s (${(rep.samples / Math.max(rep.seconds, 1e-9)).toFixed(1)} programs/s)`);
      console.log(`statuses:   ${Object.entries(rep.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      for (const [k, v] of Object.entries(rep.passAtK)) console.log(`${k.padEnd(11)} ${(100 * v).toFixed(2)}%`);
      for (const n of rep.notes) console.log(`note:       ${n}`);
      const failed = results.filter((r) => r.status !== 'passed').slice(0, 5);
      for (const r of failed) console.log(`  ${r.id}#${r.sample}: ${r.status} ${errorLine(r.stderrTail)}`);
    });
}
