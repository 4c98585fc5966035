// What the LOCAL trainer computes on canned turns: src/train/rollout.ts's rollout() run with a
// fake policy (no GPU) whose "generations" are fixed raw texts. The server and the Python
// integrations must reproduce these numbers exactly.
//
// Items: tasks of the built-in suite (never HumanEval). Per item, K = 4 raw docs: the exact
// format (R_doc 1), chatter before it (0.5, rewritten), other headers (0.5), a code block (0);
// the usable ones end differently, so each has its own stage-2 prompt.
// Per usable doc, a raw reconstruction in a ```lang fence: the original (S = 1), another
// implementation of the task, or another task's code, cycling.
import { rollout } from '../../src/train/rollout.js';
import { DEFAULTS, type TrainConfig } from '../../src/train/config.js';
import type { Policy } from '../../src/train/policy.js';
import type { Rng } from '../../src/util/rng.js';
import { generateTasks, type Task } from '../../src/data/tasks/index.js';
import { extractOutput, promptSegments, segmentsToText, type Direction } from '../../src/tokenizer/templates.js';
import type { Lang } from '../../src/lang/parser.js';

export const K = 4;
const STYLE = 'qwen2-chat' as const;

export interface Case {
  code: string;
  lang: Lang;
  /** the suite task's signature in this language (what --signature-hint appends) */
  signature: string;
  /** the stage-1 prompt text (what OpenRLHF/verl would send the model) */
  stage1Prompt: string;
  docsRaw: string[];
  /** raw reconstruction per doc ('' where no stage 2 ran) */
  reconsRaw: string[];
  expected: {
    rDoc: number[];
    rewritten: string[];
    stage2Input: (string | null)[];
    stage2Prompt: (string | null)[];
    similarity: (number | null)[];
    code2doc: number[];
    doc2code: (number | null)[];
  };
}

function rawDocs(t: Task, lang: Lang): string[] {
  const d = t.description;
  return [
    d,
    `Sure! Here is the documentation:\n\n${d} See the first note.\n\nHope this helps!`,
    `${d} See the second note.`.replace(/^Args:$/m, 'Parameters:').replace(/^Returns:$/m, 'Return:'),
    '```' + lang + '\n' + t.code[lang] + '\n```',
  ];
}

/** Run the trainer's rollout on canned turns; `signatureHint` as the trainer's flag. */
export async function localCases(opts: { seed?: number; count?: number; langs?: Lang[]; signatureHint?: boolean } = {}): Promise<Case[]> {
  const langs = opts.langs ?? ['python', 'javascript'];
  const tasks = generateTasks({ seed: opts.seed ?? 7, count: opts.count ?? 4, split: 'train', langs });
  const items = tasks.map((t, i) => ({ code: t.code[langs[i % langs.length]!]!, lang: langs[i % langs.length]!, task: t }));
  const docs = items.map((it) => rawDocs(it.task, it.lang));
  const prompts: { direction: Direction; input: string; lang: string }[] = [];
  const recons: string[] = [];
  const policy = {
    prompt(direction: Direction, input: string, lang: string): number[] {
      prompts.push({ direction, input, lang });
      return [prompts.length - 1];
    },
    async generate(direction: Direction, ps: number[][]) {
      const raw = ps.map((p, n) => {
        if (direction === 'code2doc') return docs[Math.floor(n / K)]![n % K]!;
        // stage 2: find the item by the summary line the rewritten doc kept
        const input = prompts[p[0]!]!.input;
        const i = items.findIndex((it) => it.task.description.split('\n')[0] === input.split('\n')[0]);
        const it = items[i]!;
        const other = items[(i + 1) % items.length]!;
        const variants = it.task.variants[it.lang] ?? [];
        const code = [it.code, variants.find((v) => v !== it.code) ?? it.code, other.task.code[it.lang]!][recons.length % 3]!;
        const r = '```' + it.lang + '\n' + code + '\n```';
        recons.push(r);
        return r;
      });
      return { ids: raw.map(() => [1]), logProbs: raw.map(() => [0]), text: raw.map((r) => extractOutput(STYLE, direction, r)) };
    },
  } as unknown as Policy;
  const cfg: TrainConfig = { ...DEFAULTS, k: K, signatureHint: !!opts.signatureHint, reward: 'cssg' };
  const rng = { u32: () => 0 } as unknown as Rng;
  const { groups } = await rollout(policy, items, cfg, rng, 'fixture');
  // stage-2 prompts in the order rollout asked for them
  const stage2 = prompts.filter((p) => p.direction === 'doc2code');
  let n = 0;
  return groups.map((g, i) => {
    const input: (string | null)[] = [];
    const reconsRaw: string[] = [];
    g.rDoc.forEach((r) => {
      if (r > 0) {
        input.push(stage2[n]!.input);
        reconsRaw.push(recons[n]!);
        n++;
      } else {
        input.push(null);
        reconsRaw.push('');
      }
    });
    return {
      code: g.item.code,
      lang: g.item.lang,
      signature: g.item.task!.signature[g.item.lang]!,
      stage1Prompt: segmentsToText(promptSegments(STYLE, 'code2doc', g.item.code, { lang: g.item.lang })),
      docsRaw: docs[i]!,
      reconsRaw,
      expected: {
        rDoc: g.rDoc,
        rewritten: g.rewritten,
        stage2Input: input,
        stage2Prompt: input.map((x) => (x === null ? null : segmentsToText(promptSegments(STYLE, 'doc2code', x, { lang: g.item.lang })))),
        similarity: g.similarity,
        code2doc: g.code2doc,
        doc2code: g.doc2code,
      },
    };
  });
}
