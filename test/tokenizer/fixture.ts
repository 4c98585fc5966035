// Loads the committed parity fixture (see tools/gen-tokenizer-fixture.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/util/paths.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';

export const fixtureDir = join(repoRoot(), 'test', 'fixtures', 'tokenizer');
export const tokenizerPath = join(fixtureDir, 'qwen2-style.tokenizer.json');

export interface Expected {
  reference: string;
  encode: { text: string; ids: number[]; decoded: string }[];
  decode: { ids: number[]; decoded: string; decodedSkipSpecial: string }[];
}

export function loadExpected(): Expected {
  return JSON.parse(readFileSync(join(fixtureDir, 'expected.json'), 'utf8')) as Expected;
}

export function loadFixtureTokenizer(): Tokenizer {
  return new Tokenizer(JSON.parse(readFileSync(tokenizerPath, 'utf8')));
}

/** Seeded 32-bit LCG. */
export function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}
