// Flag parsers shared by every command: each checks one flag's value before any work
// starts, and its error names the flag and says what was expected.
//
// Each factory returns a parser `(value: string) => T` that commander accepts as an
// option's argParser (`.option('--k <n>', 'help', intFlag('--k', { min: 1 }), 4)`);
// commander reports the thrown InvalidArgumentError as
//   error: option '--k <n>' argument '0' is invalid. --k: expected an integer >= 1, got '0'
// and exits with status 1 before the action runs. The same parsers validate values
// that arrive by other routes (a config file, a default): call them directly, they
// throw with the same message.
//
// Accepted spellings: what JavaScript's Number() reads as a finite number after
// trimming ("12", "1e3", "0x10", "-0.5"); an empty string is not a number.
// intFlag additionally needs Number.isSafeInteger, so "2.5" and "1e30" are refused.
import { InvalidArgumentError } from 'commander';

export interface Range {
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
}

function rangeText(r: Range): string {
  if (r.min !== undefined && r.max !== undefined) return ` in [${r.min}, ${r.max}]`;
  if (r.min !== undefined) return ` >= ${r.min}`;
  if (r.max !== undefined) return ` <= ${r.max}`;
  return '';
}

function fail(name: string, what: string, v: string): never {
  throw new InvalidArgumentError(`${name}: expected ${what}, got '${v}'`);
}

function finite(name: string, what: string, v: string): number {
  const s = String(v).trim();
  const n = s === '' ? NaN : Number(s);
  if (!Number.isFinite(n)) fail(name, what, v);
  return n;
}

function inRange(name: string, what: string, v: string, n: number, r: Range): number {
  if ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max)) fail(name, what, v);
  return n;
}

/** An integer flag: `intFlag('--steps', { min: 0 })`. */
export function intFlag(name: string, range: Range = {}): (v: string) => number {
  const what = `an integer${rangeText(range)}`;
  return (v: string) => {
    const n = finite(name, what, v);
    if (!Number.isSafeInteger(n)) fail(name, what, v);
    return inRange(name, what, v, n, range);
  };
}

/** A finite number flag: `numFlag('--temperature', { min: 0 })`. */
export function numFlag(name: string, range: Range = {}): (v: string) => number {
  const what = `a number${rangeText(range)}`;
  return (v: string) => inRange(name, what, v, finite(name, what, v), range);
}

/** One of a fixed set of words: `choiceFlag('--split', ['train', 'test'] as const)`. */
export function choiceFlag<T extends string>(name: string, choices: readonly T[]): (v: string) => T {
  return (v: string) => {
    if (!(choices as readonly string[]).includes(v)) fail(name, `one of ${choices.join(', ')}`, v);
    return v as T;
  };
}

/** A comma-separated list, each element checked by `item`: `listFlag('--ids', intFlag('--ids', { min: 0 }))`. */
export function listFlag<T>(name: string, item: (v: string) => T): (v: string) => T[] {
  return (v: string) => {
    const parts = v.split(',').map((s) => s.trim());
    if (parts.length === 0 || parts.some((s) => s === '')) fail(name, 'a comma-separated list with no empty entries', v);
    return parts.map(item);
  };
}
