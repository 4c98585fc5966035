// A one-function validation original for the probe tests (validity-extract, validity-rename):
// `f` checked by two asserts (f(1) == 2, f(5) == 6), with optional verified variants.
import type { Original } from '../../src/eval/validity.js';

export const probeOriginal = (code: string, variants: string[] = []): Original => ({
  id: 'probe-test',
  code,
  program: (c: string) => `${c}\n\nassert f(1) == 2\nassert f(5) == 6\n`,
  variants,
  timeoutMs: 20_000,
});
