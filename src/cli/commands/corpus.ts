// `batcoder corpus build`: functions from source trees -> CodeSearchNet-shaped JSONL.
// `batcoder corpus stats`: read an existing CodeSearchNet/CodeXGLUE JSONL and summarise it.
import type { Command } from 'commander';
import { join } from 'node:path';
import { parseLang } from '../../lang/parser.js';
import { buildCorpusFile, DEFAULT_EXCLUDE, readCorpus } from '../../data/corpus/build.js';
import { benchmarkDecontaminator } from '../../data/corpus/decontam.js';
import { sharedDir } from '../../util/paths.js';
import { closeSync, openSync, writeSync } from 'node:fs';
import { LANGS } from '../../lang/parser.js';
import { generateTasks, generateLowResource, type Split, type Task } from '../../data/tasks/index.js';

export function register(program: Command): void {
  const corpus = program.command('corpus').description('build or inspect code corpora (CodeSearchNet/CodeXGLUE JSONL)');
  corpus
    .command('build')
    .description('extract functions from source trees with tree-sitter, dedup, decontaminate, write JSONL')
    .requiredOption('--lang <lang>', 'python, ruby, go or javascript')
    .requiredOption('--src <dirs...>', 'source directories to walk')
    .requiredOption('--out <file>', 'output JSONL')
    .option('--repo <name>', 'repo label of every record (default: each source dir name)')
    .option('--min-lines <n>', 'drop shorter functions', '3')
    .option('--max-lines <n>', 'drop longer functions', '200')
    .option('--max-chars <n>', 'drop longer functions', '8000')
    .option('--documented-only', 'keep only functions with a docstring / leading comment')
    .option('--exclude <names...>', `directory names to skip (default: ${DEFAULT_EXCLUDE.join(' ')})`)
    .option('--data <dir>', 'benchmark datasets for decontamination (default ../shared/datasets)')
    .option('--no-decontaminate', 'keep functions that match evaluation problems (not for training!)')
    .option('--similarity <x>', 'near-duplicate threshold (Jaccard of token 5-grams)', '0.5')
    .action((o: Record<string, string | string[] | boolean | undefined>) => {
      const lang = parseLang(String(o.lang));
      let decontaminator;
      if (o.decontaminate !== false) {
        const { d, missing } = benchmarkDecontaminator(String(o.data ?? join(sharedDir(), 'datasets')), Number(o.similarity));
        if (missing.length) console.error(`corpus: decontamination files not found (skipped): ${missing.join(', ')}`);
        console.error(`corpus: decontaminating against ${d.names.size} entry-point names and ${d.codeCount} benchmark programs`);
        decontaminator = d;
      }
      const t0 = performance.now();
      const st = buildCorpusFile(
        {
          lang,
          srcDirs: o.src as string[],
          repo: o.repo as string | undefined,
          minLines: Number(o.minLines),
          maxLines: Number(o.maxLines),
          maxChars: Number(o.maxChars),
          keepUndocumented: !o.documentedOnly,
          excludeDirs: o.exclude as string[] | undefined,
          decontaminator,
        },
        String(o.out),
      );
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`${st.kept} functions (${st.withDocstring} with documentation) from ${st.files} files in ${s} s -> ${o.out}`);
      console.log(
        `dropped: ${st.tooShort} too short, ${st.tooLong} too long, ${st.duplicates} duplicates, ${st.contaminatedByName} benchmark names, ${st.contaminatedByCode} near-duplicates of benchmark code${st.undocumented ? `, ${st.undocumented} undocumented` : ''}`,
      );
    });
  corpus
    .command('tasks')
    .description('write the built-in task suite as JSONL: full task records, or CodeSearchNet-shaped rows (one per language)')
    .requiredOption('--out <file>', 'output JSONL')
    .option('--seed <n>', 'seed', '1')
    .option('--count <n>', 'number of tasks', '1000')
    .option('--split <split>', 'train, validation, test or heldout (default: all, as drawn)')
    .option('--langs <langs...>', `languages (default: ${LANGS.join(' ')})`)
    .option('--format <f>', 'task (full records) or csn (repo, path, func_name, language, code, docstring, partition)', 'task')
    .option('--low-resource <spec>', 'HIGHLANG:N,LOWLANG:M, e.g. python:5000,ruby:200 (the paper\'s low-resource setting; ignores --count/--langs)')
    .action((o: Record<string, string | string[] | undefined>) => {
      const seed = Number(o.seed);
      const split = o.split as Split | undefined;
      let tasks: Task[];
      if (o.lowResource) {
        const [[hl, hn], [ll, ln]] = String(o.lowResource).split(',').map((x) => x.split(':'));
        const r = generateLowResource({ seed, split, high: { lang: parseLang(hl), count: Number(hn) }, low: { lang: parseLang(ll), count: Number(ln) } });
        tasks = [...r.high, ...r.low];
      } else {
        const langs = o.langs ? (o.langs as string[]).map(parseLang) : LANGS;
        tasks = generateTasks({ seed, count: Number(o.count), split, langs });
      }
      const fd = openSync(String(o.out), 'w');
      let rows = 0;
      const t0 = performance.now();
      for (const t of tasks) {
        if (o.format === 'csn') {
          for (const [lang, code] of Object.entries(t.code)) {
            const partition = { train: 'train', validation: 'valid', test: 'test', heldout: 'test' }[t.split];
            writeSync(fd, JSON.stringify({ repo: 'batcoder/tasks', path: t.id, func_name: t.entryPoint[lang as keyof typeof t.entryPoint], language: lang, code, docstring: t.description, partition, shape: t.shape }) + '\n');
            rows++;
          }
        } else {
          writeSync(fd, JSON.stringify(t) + '\n');
          rows++;
        }
      }
      closeSync(fd);
      console.log(`${tasks.length} tasks (${new Set(tasks.map((t) => t.shape)).size} distinct shapes) -> ${rows} rows in ${o.out} (${((performance.now() - t0) / 1000).toFixed(1)} s to write)`);
    });
  corpus
    .command('stats')
    .description('read CodeSearchNet/CodeXGLUE JSONL files (plain or .gz) and count records; malformed lines are reported and skipped')
    .argument('<files...>')
    .action((files: string[]) => {
      for (const f of files) {
        let n = 0;
        let documented = 0;
        const langs = new Map<string, number>();
        let bad = 0;
        for (const r of readCorpus(f, (m) => (bad++, console.error(m)))) {
          n++;
          if (r.docstring.trim()) documented++;
          langs.set(r.language, (langs.get(r.language) ?? 0) + 1);
        }
        console.log(`${f}: ${n} records (${documented} documented; ${[...langs].map(([k, v]) => `${k || '?'} ${v}`).join(', ')}); ${bad} malformed lines skipped`);
      }
    });
}
