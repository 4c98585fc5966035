// Prompt templates for BatCoder's two directions, in one place.
//
//   code2doc: given code, the model writes its documentation (stage 1 of a rollout);
//   doc2code: given documentation, the model writes the code (stage 2).
//
// Two styles:
//   'scratch'    for the from-scratch model, with its own special tokens:
//                  <|code|>lang:python\n{code}<|doc|>{doc}<|endoftext|>   (code2doc)
//                  <|doc|>{doc}<|code|>lang:python\n{code}<|endoftext|>   (doc2code)
//                the prompt is everything up to the second marker; the model continues.
//   'qwen2-chat' for pretrained Qwen2/Qwen2.5 instruct models: their chat template (ChatML:
//                <|im_start|>role\n...<|im_end|>) with an instruction per direction.
//
// Templates produce segments, not strings: user text is encoded with special-token matching off,
// so code that happens to contain "<|endoftext|>" cannot inject a control token.
import type { Tokenizer } from './tokenizer.js';

export type Direction = 'code2doc' | 'doc2code';
export type TemplateStyle = 'scratch' | 'qwen2-chat';

/** Special tokens of the from-scratch model; give them to trainBpe (this order = ids 0..3). */
export const SCRATCH_SPECIAL_TOKENS = ['<|endoftext|>', '<|code|>', '<|doc|>', '<|pad|>'] as const;

/** Qwen2.5's default system prompt (what its chat template inserts when none is given). */
export const QWEN2_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

/** A piece of a prompt: a special token (by its text) or ordinary text. */
export type Segment = { special: string } | { text: string };

export interface TemplateOptions {
  /** Programming language name, e.g. "python" (tagged in scratch style, named in chat style). */
  lang?: string;
  /** System prompt for the chat style (default: Qwen2.5's). */
  system?: string;
}

const LANG_NAMES: Record<string, string> = { python: 'Python', go: 'Go', javascript: 'JavaScript', ruby: 'Ruby' };
const langName = (lang: string | undefined) => (lang ? LANG_NAMES[lang] ?? lang : 'the given programming language');

/** The instruction a chat model gets for each direction. */
export function chatInstruction(direction: Direction, input: string, lang?: string): string {
  const fence = '```' + (lang ?? '');
  if (direction === 'code2doc') {
    return (
      `Write the documentation for the following ${langName(lang)} code: a concise description of what it does, ` +
      `its inputs and its return value. Reply with the documentation only, without code.\n\n${fence}\n${input}\n\`\`\``
    );
  }
  return (
    `Write ${lang ? `a ${langName(lang)}` : 'a'} function that matches the following documentation. ` +
    `Reply with the code only, in a single ${fence} code block.\n\nDocumentation:\n${input}`
  );
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Qwen2's chat template (no tools): a system message first (default if absent), then ChatML turns. */
export function qwen2ChatSegments(messages: readonly ChatMessage[], addGenerationPrompt = true): Segment[] {
  const msgs = messages[0]?.role === 'system' ? messages : [{ role: 'system' as const, content: QWEN2_DEFAULT_SYSTEM }, ...messages];
  const out: Segment[] = [];
  for (const m of msgs) out.push({ special: '<|im_start|>' }, { text: `${m.role}\n${m.content}` }, { special: '<|im_end|>' }, { text: '\n' });
  if (addGenerationPrompt) out.push({ special: '<|im_start|>' }, { text: 'assistant\n' });
  return out;
}

/** The prompt the model continues from. */
export function promptSegments(style: TemplateStyle, direction: Direction, input: string, opts: TemplateOptions = {}): Segment[] {
  if (style === 'qwen2-chat') {
    return qwen2ChatSegments([
      { role: 'system', content: opts.system ?? QWEN2_DEFAULT_SYSTEM },
      { role: 'user', content: chatInstruction(direction, input, opts.lang) },
    ]);
  }
  const tag = opts.lang ? `lang:${opts.lang}\n` : '';
  return direction === 'code2doc'
    ? [{ special: '<|code|>' }, { text: tag + input }, { special: '<|doc|>' }]
    : [{ special: '<|doc|>' }, { text: input }, { special: '<|code|>' }, ...(tag ? [{ text: tag }] : [])];
}

/** A full training example: prompt segments, then the target and the end token. */
export function exampleSegments(style: TemplateStyle, direction: Direction, input: string, target: string, opts: TemplateOptions = {}): Segment[] {
  const prompt = promptSegments(style, direction, input, opts);
  if (style === 'qwen2-chat') {
    const body = direction === 'doc2code' ? '```' + (opts.lang ?? '') + '\n' + target + '\n```' : target;
    return [...prompt, { text: body }, { special: '<|im_end|>' }];
  }
  return [...prompt, { text: target }, { special: '<|endoftext|>' }];
}

/** The token that ends a turn/sequence in this style (the EOS id generation stops at). */
export function endToken(style: TemplateStyle): string {
  return style === 'qwen2-chat' ? '<|im_end|>' : '<|endoftext|>';
}

/** Strings that end a generation in this style (besides the tokenizer's EOS id). */
export function stopStrings(style: TemplateStyle): string[] {
  return style === 'qwen2-chat' ? ['<|im_end|>', '<|endoftext|>'] : ['<|endoftext|>', '<|code|>', '<|doc|>'];
}

/**
 * The useful part of a generation: text before any stop string, trimmed; for chat doc2code the
 * body of the first fenced code block when there is one.
 */
export function extractOutput(style: TemplateStyle, direction: Direction, generated: string): string {
  let text = generated;
  for (const s of stopStrings(style)) {
    const i = text.indexOf(s);
    if (i >= 0) text = text.slice(0, i);
  }
  if (style === 'qwen2-chat' && direction === 'doc2code') {
    const m = /```[^\n`]*\n([\s\S]*?)(?:```|$)/.exec(text);
    if (m) return m[1]!.replace(/\n$/, '');
  }
  if (style === 'scratch' && direction === 'doc2code') text = text.replace(/^lang:[^\n]*\n/, '');
  return text.trim();
}

/** Segments as one string (for logs and for tokenizers that parse special tokens from text). */
export function segmentsToText(segments: readonly Segment[]): string {
  return segments.map((s) => ('special' in s ? s.special : s.text)).join('');
}

/** Segments -> ids: specials by id (must exist in the vocabulary), text with special matching off. */
export function encodeSegments(tok: Tokenizer, segments: readonly Segment[]): number[] {
  const ids: number[] = [];
  for (const s of segments) {
    if ('special' in s) {
      const id = tok.tokenToId(s.special);
      if (id === undefined) throw new Error(`template: the tokenizer has no ${s.special} token`);
      ids.push(id);
    } else if (s.text) {
      for (const id of tok.encode(s.text, { specials: false })) ids.push(id);
    }
  }
  return ids;
}

/**
 * A training example as ids plus where the target starts (for losses masked to the target).
 * Segments are encoded one by one, so the prompt's ids are exactly a prefix of the example's.
 */
export function encodeExample(
  tok: Tokenizer, style: TemplateStyle, direction: Direction, input: string, target: string, opts: TemplateOptions = {},
): { ids: number[]; targetStart: number } {
  const targetStart = encodeSegments(tok, promptSegments(style, direction, input, opts)).length;
  const ids = encodeSegments(tok, exampleSegments(style, direction, input, target, opts));
  return { ids, targetStart };
}
