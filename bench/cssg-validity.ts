// The CSSG validation bench (probes, measures and flags: src/eval/validity.ts):
//   node dist/bench/cssg-validity.js [--quick] [--tasks N] [--mbpp N] [--seed S] [--json FILE]
//                                    [--metrics cssg,cssg-v1,wl,tokens,exec-diff,hybrid] [--weights W1,W2] [--verbose]
import { main } from '../src/eval/validity.js';

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
