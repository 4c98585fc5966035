import type { Command } from 'commander';
import { writeReport } from '../../train/report.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('draw the curves of one or more run directories (SVG + one HTML page) and compare their evaluations: every metric per evaluation and language with n and a 95% bootstrap interval over tasks, and each run\'s updates and sampled tokens')
    .argument('<runs...>', 'run directories (each with metrics.jsonl)')
    .option('--out <dir>', 'where to write report.html and the SVGs (default: the first run directory)')
    .action((runs: string[], opts: { out?: string }) => {
      const out = opts.out ?? runs[0];
      const r = writeReport(runs, out);
      console.log(r.markdown);
      console.log(`\nwrote ${r.html} and ${r.svgs.length} SVG charts`);
    });
}
