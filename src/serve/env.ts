// The BatCoder environment as the server sees it: the ONE place where src/serve reaches into
// the rest of the project. Everything the server computes (R_doc and the rewritten doc, the
// stage-2 prompt, the similarity S, the execution reward) is a call to the local trainer's own
// function, re-exported or composed here without changing it, so the served numbers equal the
// trainer's exactly. When those functions move (the format filter to src/doc, the prompt
// builders into one module of src/train, CSSG v2's metrics, the sandbox's pass protocol), only
// the imports of this file are re-pointed.
//
//   formatDoc(doc, code, lang)         -> checkDoc(doc, code, lang, { signature: signatureOf(code, lang) })
//                                         exactly as src/train/rollout.ts calls it (R_doc in {0, 0.5, 1})
//   stage2Input(doc, code, lang, hint) -> the text stage 2 is prompted with: the rewritten doc, plus
//                                         "\n\n" + the function's signature when the trainer's
//                                         signatureHint is on (rollout.ts, issue 14 moves it)
//   stage2Prompt(input, lang, style)   -> segmentsToText(promptSegments(style, 'doc2code', input, { lang }))
//   similarityRewards(metric, pairs)   -> rewardOf(metric, ...) of src/train/rollout.ts (scorePairs)
//   execReward(task, lang, code)       -> rewardOf('exec', ...) of src/train/rollout.ts
//
// Nothing here touches the GPU: src/train/rollout.ts imports its Policy as a type only, so at run
// time this file loads src/rl, src/cssg, src/eval, src/data and src/tokenizer/templates.
import { checkDoc, signatureOf, type FormatResult } from '../doc/index.js';
import { docToCodeInput, signatureLine } from '../train/prompts.js';
import { METRICS, type Metric } from '../cssg/index.js';
import { Lru } from '../cssg/cache.js';
import { rewardOf } from '../train/rollout.js';
import { promptSegments, segmentsToText, extractOutput, chatInstruction, type TemplateStyle } from '../tokenizer/templates.js';
import { LANGS, type Lang } from '../lang/parser.js';
import type { Task } from '../data/tasks/index.js';

export type { FormatResult, Metric, Lang, Task, TemplateStyle };
export { LANGS, Lru, extractOutput };

/** Similarity metrics the server offers (the CSSG module's list; 'exec' is /v1/exec). */
export const SIMILARITY_METRICS: readonly string[] = METRICS;
export const DEFAULT_METRIC: Metric = 'cssg';
export const TEMPLATE_STYLES: readonly TemplateStyle[] = ['qwen2-chat', 'scratch'];

/** R_doc and the doc stage 2 sees, as the trainer's rollout computes them. */
export function formatDoc(doc: string, code: string, lang: Lang): FormatResult {
  return checkDoc(doc, code, lang, { signature: signatureOf(code, lang) });
}

/**
 * The text stage 2 is prompted with for a usable (rewritten) doc. With `signatureHint` the
 * function's header follows the doc after a blank line (the trainer's --signature-hint):
 * `taskSignature` when the code comes from the suite (the trainer uses task.signature[lang]),
 * else the header parsed from the code.
 */
export function stage2Input(doc: string, code: string, lang: Lang, signatureHint: boolean, taskSignature?: string): string {
  return docToCodeInput(doc, signatureHint ? taskSignature ?? signatureLine(code, lang) : null);
}

/** The exact prompt text the local trainer encodes for stage 2 (special tokens as text). */
export function stage2Prompt(input: string, lang: Lang, style: TemplateStyle): string {
  return segmentsToText(promptSegments(style, 'doc2code', input, { lang }));
}

/** The user message of the chat-style stage-2 prompt (for frameworks that build chats from messages). */
export function stage2UserContent(input: string, lang: Lang): string {
  return chatInstruction('doc2code', input, lang);
}

/** The user message of the chat-style stage-1 prompt. */
export function stage1UserContent(code: string, lang: Lang): string {
  return chatInstruction('code2doc', code, lang);
}

/** The stage-1 prompt text (code -> doc), for clients that build their datasets from ours. */
export function stage1Prompt(code: string, lang: Lang, style: TemplateStyle): string {
  return segmentsToText(promptSegments(style, 'code2doc', code, { lang }));
}

export interface ScorePair {
  a: string;
  b: string;
  lang: Lang;
}

/** S for each (original, reconstruction) pair under `metric`, by the trainer's rewardOf. */
export function similarityRewards(metric: Metric, pairs: readonly ScorePair[]): Promise<number[]> {
  return rewardOf(
    metric,
    pairs.map((p) => ({ code: p.a, lang: p.lang })),
    pairs.map((p) => p.b),
  );
}

/** The execution reward (1 if the task's tests pass on `code`, else 0), by the trainer's rewardOf. */
export async function execReward(task: Task, lang: Lang, code: string): Promise<number> {
  const [r] = await rewardOf('exec', [{ code: task.code[lang] ?? '', lang, task }], [code]);
  return r!;
}
