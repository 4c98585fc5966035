// What each endpoint computes, from a parsed JSON body to a JSON answer. HTTP itself (bodies,
// limits on bytes, status codes, metrics) is server.ts; the BatCoder functions are env.ts.
//
//   POST /get_reward        OpenRLHF's remote reward protocol (see protocol notes below)
//   POST /v1/format         { doc, code, lang }                      -> { r_doc, doc, reasons, params }
//                           or { items: [{ doc, code, lang }, ...] } -> { results: [...] }
//   POST /v1/similarity     { pairs: [{ a, b, lang }], metric? }     -> { metric, scores }
//   POST /v1/stage2-prompt  { doc, lang, style?, code?, signature_hint? }
//                                                                     -> { prompt, input, user_turn, style }
//   POST /v1/exec           { task, lang, code }                     -> { reward, metric: 'exec' }
//
// OpenRLHF (checked against v0.8.11 openrlhf/utils/remote_rm_utils.py and v0.11.0 =
// commit 3c3be62 openrlhf/utils/agent.py SingleTurnAgentExecutor._fetch_rewards_via_http and
// openrlhf/cli/serve_rm.py): the client POSTs JSON { "query": [full text of prompt + response,
// decoded with special tokens], "prompts": [the prompt], "labels": [the dataset's label] } and
// reads "rewards" (one number per query), v0.9+ also "scores" (in [0, 1], used by dynamic
// filtering) and "extra_logs" (name -> list, logged). Our label says what to reward:
//   { "code": <original>, "lang": "python", "stage"?: "doc2code" | "code2doc",
//     "metric"?: "cssg", "style"?: "qwen2-chat" | "scratch" }   (a JSON object, or a string holding one)
// doc2code (default): the response's code (extractOutput, as the local trainer extracts it)
// against the original: reward = S. code2doc: the response is a doc: reward = R_doc.
import {
  DEFAULT_METRIC, LANGS, SIMILARITY_METRICS, TEMPLATE_STYLES, execReward, extractOutput, formatDoc, stage2Input, stage2Prompt,
  type Lang, type Metric, type Task, type TemplateStyle,
} from './env.js';
import { HttpError, missing, tooLarge, wrongType } from './errors.js';
import type { Scorer } from './scorer.js';
import type { WorkerPool } from './pool.js';
import type { FormatResult } from './env.js';

export interface ServeLimits {
  /** request body bytes (413 above) */
  maxBodyBytes: number;
  /** pairs (or queries, or format items) per request (422 above) */
  maxPairs: number;
  /** characters of any code or doc string (422 above) */
  maxCodeChars: number;
  /** one computation on a scoring thread; past it the thread is replaced and the request gets 504 */
  jobTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = { maxBodyBytes: 4 << 20, maxPairs: 4096, maxCodeChars: 32_000, jobTimeoutMs: 10_000 };

export interface Env {
  limits: ServeLimits;
  pool: WorkerPool;
  scorer: Scorer;
}

type Obj = Record<string, unknown>;

function object(x: unknown, field: string): Obj {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) throw wrongType(field, 'a JSON object', x);
  return x as Obj;
}

function text(o: Obj, field: string, env: Env, path = field): string {
  const v = o[field];
  if (v === undefined) throw missing(path);
  if (typeof v !== 'string') throw wrongType(path, 'a string', v);
  if (v.length > env.limits.maxCodeChars) throw tooLarge('max_code_chars', env.limits.maxCodeChars, v.length, `'${path}'`);
  return v;
}

function lang(o: Obj, field: string, path = field): Lang {
  const v = o[field];
  if (v === undefined) throw missing(path);
  if (typeof v !== 'string' || !(LANGS as readonly string[]).includes(v)) {
    throw new HttpError(400, 'unknown_lang', `'${path}' must be one of ${LANGS.join(', ')}, got ${JSON.stringify(v)}`, { field: path, allowed: LANGS });
  }
  return v as Lang;
}

function metric(o: Obj, field: string, path = field): Metric {
  const v = o[field];
  if (v === undefined) return DEFAULT_METRIC;
  if (typeof v !== 'string' || !SIMILARITY_METRICS.includes(v)) {
    throw new HttpError(400, 'unknown_metric', `'${path}' must be one of ${SIMILARITY_METRICS.join(', ')}, got ${JSON.stringify(v)}`, { field: path, allowed: SIMILARITY_METRICS });
  }
  return v as Metric;
}

function style(o: Obj, field: string, path = field): TemplateStyle {
  const v = o[field];
  if (v === undefined) return 'qwen2-chat';
  if (typeof v !== 'string' || !(TEMPLATE_STYLES as readonly string[]).includes(v)) {
    throw new HttpError(400, 'unknown_style', `'${path}' must be one of ${TEMPLATE_STYLES.join(', ')}, got ${JSON.stringify(v)}`, { field: path, allowed: TEMPLATE_STYLES });
  }
  return v as TemplateStyle;
}

function list(o: Obj, field: string, env: Env, path = field): unknown[] {
  const v = o[field];
  if (v === undefined) throw missing(path);
  if (!Array.isArray(v)) throw wrongType(path, 'an array', v);
  if (v.length > env.limits.maxPairs) throw tooLarge('max_pairs', env.limits.maxPairs, v.length, `'${path}'`);
  return v;
}

function bool(o: Obj, field: string): boolean {
  const v = o[field];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw wrongType(field, 'true or false', v);
  return v;
}

function formatAnswer(r: FormatResult): Obj {
  return { r_doc: r.score, doc: r.doc, reasons: r.reasons, params: r.params };
}

// ---- endpoints -------------------------------------------------------------------------

export async function format(body: unknown, env: Env): Promise<Obj> {
  const o = object(body, 'body');
  const batch = o.items !== undefined;
  const raw = batch ? list(o, 'items', env) : [o];
  const items = raw.map((x, i) => {
    const path = batch ? `items[${i}]` : '';
    const it = object(x, path || 'body');
    const at = (f: string) => (path ? `${path}.${f}` : f);
    return { doc: text(it, 'doc', env, at('doc')), code: text(it, 'code', env, at('code')), lang: lang(it, 'lang', at('lang')) };
  });
  const results = items.length ? await env.pool.run<FormatResult[]>({ op: 'format', items }) : [];
  return batch ? { results: results.map(formatAnswer) } : formatAnswer(results[0]!);
}

export async function similarity(body: unknown, env: Env): Promise<Obj> {
  const o = object(body, 'body');
  const m = metric(o, 'metric');
  const pairs = list(o, 'pairs', env).map((x, i) => {
    const p = object(x, `pairs[${i}]`);
    return { a: text(p, 'a', env, `pairs[${i}].a`), b: text(p, 'b', env, `pairs[${i}].b`), lang: lang(p, 'lang', `pairs[${i}].lang`) };
  });
  return { metric: m, scores: await env.scorer.score(m, pairs) };
}

export function stage2(body: unknown, env: Env): Obj {
  const o = object(body, 'body');
  const doc = text(o, 'doc', env);
  const l = lang(o, 'lang');
  const s = style(o, 'style');
  const hint = bool(o, 'signature_hint');
  const code = o.code === undefined ? '' : text(o, 'code', env);
  if (hint && code === '') throw new HttpError(400, 'missing_field', "signature_hint needs the original 'code' (its signature follows the doc)", { field: 'code' });
  const input = stage2Input(doc, code, l, hint);
  const prompt = stage2Prompt(input, l, s);
  // the user turn alone (ChatML), for multi-turn clients that continue a conversation
  const at = prompt.indexOf('<|im_start|>user');
  return { style: s, input, prompt, user_turn: s === 'qwen2-chat' && at >= 0 ? prompt.slice(at) : prompt };
}

export async function exec(body: unknown, env: Env): Promise<Obj> {
  const o = object(body, 'body');
  const l = lang(o, 'lang');
  const code = text(o, 'code', env);
  const task = object(o.task, 'task') as unknown as Task;
  if (task.testCode === null || typeof task.testCode !== 'object' || typeof (task.testCode as Obj)[l] !== 'string') {
    throw new HttpError(400, 'wrong_type', `'task.testCode.${l}' must be the task's test code (a string): send the task as the suite generates it`, { field: `task.testCode.${l}` });
  }
  if (task.code !== undefined && (task.code === null || typeof task.code !== 'object')) throw wrongType('task.code', 'an object', task.code);
  return { metric: 'exec', reward: await execReward(task, l, code) };
}

/** A label of the /get_reward protocol (see the file comment). */
interface RewardLabel {
  code: string;
  lang: Lang;
  stage: 'doc2code' | 'code2doc';
  metric: Metric;
  style: TemplateStyle;
}

function rewardLabel(x: unknown, i: number, env: Env): RewardLabel {
  const path = `labels[${i}]`;
  let v = x;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new HttpError(400, 'invalid_label', `${path} must be a JSON object {code, lang, ...} or a string holding one`, { field: path });
    }
  }
  const o = object(v, path);
  const stage = o.stage === undefined ? 'doc2code' : o.stage;
  if (stage !== 'doc2code' && stage !== 'code2doc') throw new HttpError(400, 'unknown_stage', `${path}.stage must be doc2code or code2doc`, { field: `${path}.stage` });
  return { code: text(o, 'code', env, `${path}.code`), lang: lang(o, 'lang', `${path}.lang`), stage, metric: metric(o, 'metric', `${path}.metric`), style: style(o, 'style', `${path}.style`) };
}

/** The model's response inside OpenRLHF's query: what follows the prompt (else after the last assistant turn). */
export function responseOf(query: string, prompt: string): { text: string; promptMatched: boolean } {
  if (query.startsWith(prompt)) return { text: query.slice(prompt.length), promptMatched: true };
  const at = query.lastIndexOf('<|im_start|>assistant\n');
  return { text: at >= 0 ? query.slice(at + '<|im_start|>assistant\n'.length) : query, promptMatched: false };
}

export async function getReward(body: unknown, env: Env): Promise<Obj> {
  const o = object(body, 'body');
  const queries = list(o, 'query', env);
  const n = queries.length;
  const prompts = o.prompts === undefined ? new Array<unknown>(n).fill('') : list(o, 'prompts', env);
  const labels = list(o, 'labels', env);
  if (prompts.length !== n || labels.length !== n) {
    throw new HttpError(400, 'length_mismatch', `query, prompts and labels must have the same length (got ${n}, ${prompts.length}, ${labels.length})`);
  }
  const items = queries.map((q, i) => {
    if (typeof q !== 'string') throw wrongType(`query[${i}]`, 'a string', q);
    if (q.length > env.limits.maxCodeChars * 4) throw tooLarge('max_code_chars', env.limits.maxCodeChars * 4, q.length, `'query[${i}]' (4 x max_code_chars for prompt + response)`);
    const p = prompts[i];
    if (typeof p !== 'string') throw wrongType(`prompts[${i}]`, 'a string', p);
    const label = rewardLabel(labels[i], i, env);
    const r = responseOf(q, p);
    return { label, out: extractOutput(label.style, label.stage, r.text), promptMatched: r.promptMatched };
  });
  const rewards = new Array<number>(n).fill(0);
  const rDoc: (number | null)[] = new Array(n).fill(null);
  const sim: (number | null)[] = new Array(n).fill(null);
  // code2doc: R_doc of the doc
  const docIdx = items.flatMap((it, i) => (it.label.stage === 'code2doc' ? [i] : []));
  if (docIdx.length) {
    const res = await env.pool.run<FormatResult[]>({ op: 'format', items: docIdx.map((i) => ({ doc: items[i]!.out, code: items[i]!.label.code, lang: items[i]!.label.lang })) });
    docIdx.forEach((i, k) => (rewards[i] = rDoc[i] = res[k]!.score));
  }
  // doc2code: S of the reconstruction, one batch per metric
  const byMetric = new Map<Metric, number[]>();
  items.forEach((it, i) => {
    if (it.label.stage !== 'doc2code') return;
    const l = byMetric.get(it.label.metric) ?? [];
    l.push(i);
    byMetric.set(it.label.metric, l);
  });
  await Promise.all(
    [...byMetric].map(async ([m, idx]) => {
      const s = await env.scorer.score(m, idx.map((i) => ({ a: items[i]!.label.code, b: items[i]!.out, lang: items[i]!.label.lang })));
      idx.forEach((i, k) => (rewards[i] = sim[i] = s[k]!));
    }),
  );
  return {
    rewards,
    scores: rewards,
    extra_logs: {
      similarity: sim.map((x) => x ?? 0),
      r_doc: rDoc.map((x) => x ?? 0),
      prompt_matched: items.map((it) => (it.promptMatched ? 1 : 0)),
    },
  };
}
