// Rows of the hostile-check table (tools/hostile-check.sh): with $BATCODER_HOSTILE_TABLE
// set, every probe appends "probe <TAB> mode <TAB> contained <TAB> verdict" to that file.
// `contained` is whether the probe's assertions held; `verdict` the status of its last run.
import { appendFileSync } from 'node:fs';
import type { Test } from 'uvu';
import { runProgram } from '../../src/eval/languages.js';
import { sandboxInfo } from '../../src/eval/sandbox.js';

let last = '-';

/** runProgram, remembering the status for the table. */
export const run: typeof runProgram = async (...args) => {
  const r = await runProgram(...args);
  last = r.status;
  return r;
};

/** `test`, recording one table row per probe. */
export function prober(test: Test) {
  return (name: string, fn: () => unknown) =>
    test(name, async () => {
      last = '-';
      const row = (ok: string) => {
        const file = process.env.BATCODER_HOSTILE_TABLE;
        if (file) appendFileSync(file, `${name}\t${sandboxInfo().isolation}\t${ok}\t${last}\n`);
      };
      try {
        await fn();
      } catch (e) {
        row('NO');
        throw e;
      }
      row('yes');
    });
}
