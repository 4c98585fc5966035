// The xlang-mbpp set (assets/xlang-mbpp, its README): MBPP Python functions with JavaScript
// and Go counterparts written by hand, in five splits: `tune` and `tune2` (to choose CSSG
// rules on) and `held`, `held2` and `held3` (final checks only: never read them to choose
// rules). One JSON object per line, in increasing task_id order:
//   {"task_id": 63, "python": "...", "javascript": "...", "go": "..."}
// This module only reads and validates the files; tools/xlang-mbpp-verify.mjs runs the code
// against the MBPP tests. Every error names the file and the line.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../util/paths.js';

export const XLANG_MBPP_SPLITS = ['tune', 'held', 'tune2', 'held2', 'held3'] as const;
export type XlangMbppSplit = (typeof XLANG_MBPP_SPLITS)[number];

export interface XlangMbppProblem {
  /** MBPP's task_id */
  taskId: number;
  /** MBPP's code, unchanged */
  python: string;
  javascript: string;
  go: string;
}

const FIELDS = ['task_id', 'python', 'javascript', 'go'];

/** The file of a split. */
export function xlangMbppFile(split: XlangMbppSplit): string {
  return join(repoRoot(), 'assets', 'xlang-mbpp', `${split}.jsonl`);
}

/** Parses the text of one split file; `file` names it in errors. */
export function parseXlangMbpp(text: string, file: string): XlangMbppProblem[] {
  const out: XlangMbppProblem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new Error(`${where}: not a JSON object (${(e as Error).message})`);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error(`${where}: not a JSON object`);
    const r = row as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!FIELDS.includes(k)) throw new Error(`${where}: unknown field '${k}' (expected ${FIELDS.join(', ')})`);
    if (!Number.isInteger(r.task_id)) throw new Error(`${where}: task_id must be an integer`);
    for (const k of ['python', 'javascript', 'go']) if (typeof r[k] !== 'string' || (r[k] as string).trim() === '') throw new Error(`${where}: ${k} must be a non-empty string`);
    const prev = out[out.length - 1];
    if (prev && (r.task_id as number) <= prev.taskId) throw new Error(`${where}: task_id ${r.task_id} is not after ${prev.taskId}`);
    out.push({ taskId: r.task_id as number, python: r.python as string, javascript: r.javascript as string, go: r.go as string });
  });
  return out;
}

/** A split by name, or any file in the format. */
export function loadXlangMbpp(split: XlangMbppSplit | { file: string }): XlangMbppProblem[] {
  const file = typeof split === 'string' ? xlangMbppFile(split) : split.file;
  if (typeof split === 'string' && !XLANG_MBPP_SPLITS.includes(split)) throw new Error(`unknown xlang-mbpp split '${split}' (expected ${XLANG_MBPP_SPLITS.join(', ')})`);
  if (!existsSync(file)) throw new Error(`xlang-mbpp: no file ${file}`);
  const problems = parseXlangMbpp(readFileSync(file, 'utf8'), file);
  if (problems.length === 0) throw new Error(`xlang-mbpp: ${file} has no problems`);
  return problems;
}
