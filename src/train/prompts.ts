// The text each BatCoder prompt is built from, in one place (the token templates around it
// are src/tokenizer/templates.ts; Policy.prompt encodes them):
//
//   stage 1 (code -> doc)   input = the code
//   stage 2 (doc -> code)   input = the doc, or with the signature hint
//                           doc + "\n\n" + the function's signature line (HumanEval style)
//
// Training rollouts, phase-0 examples, evaluation and `eval --model` all call these, so a
// prompt the model is trained on and the prompt it is evaluated on cannot drift apart.
// Text in, text out: a server can build the same prompts.
import type { Lang } from '../lang/parser.js';
import { signatureOf } from '../doc/index.js';
import type { Task } from '../data/tasks/index.js';

/** The stage-2 input: the doc, followed by the signature line when one is given. */
export function docToCodeInput(doc: string, signature?: string | null): string {
  return signature ? `${doc}\n\n${signature}` : doc;
}

/**
 * The signature line of a snippet's function: the suite task's own (as its tests call it)
 * when the snippet comes from a task, else the header parsed from the code; null when the
 * code has no function.
 */
export function signatureLine(code: string, lang: Lang, task?: Task): string | null {
  return task?.signature[lang] ?? signatureOf(code, lang)?.header ?? null;
}
