// One BatCoder rollout over a set of code snippets (`sampleGroups`), then its rewards
// (`scoreGroups`):
//   stage 1   K documentation candidates per snippet (code -> doc)
//   filter    R_doc in {0, 0.5, 1}; the rewritten doc is what stage 2 sees
//   stage 2   one reconstruction per usable doc (doc -> code), prompt from prompts.ts
//   reward    S = sim(c, c'), R_code2doc = S * R_doc, R_doc2code = S
import { checkDoc, signatureOf } from '../doc/index.js';
import { assembleRewards } from '../rl/rewards.js';
import type { Trajectory } from '../rl/buffer.js';
import type { Rng } from '../util/rng.js';
import { runProgram } from '../eval/languages.js';
import { rewardScores } from '../eval/diffexec.js';
import { taskChecked } from '../data/benchmarks.js';
import type { Policy } from './policy.js';
import type { CodeItem } from './data.js';
import type { TrainConfig } from './config.js';
import { docToCodeInput, signatureLine } from './prompts.js';

/** The knobs a rollout reads. */
export type RolloutSettings = Pick<TrainConfig, 'k' | 'maxDocTokens' | 'maxCodeTokens' | 'temperature' | 'signatureHint' | 'reward' | 'execWeight'>;

export interface Group {
  item: CodeItem;
  groupId: string;
  docs: string[];
  /** the doc stage 2 saw ('' when unusable) */
  rewritten: string[];
  rDoc: number[];
  reconstructions: (string | null)[];
  similarity: (number | null)[];
  code2doc: number[];
  doc2code: (number | null)[];
  stage1: { promptIds: number[]; ids: number[]; logProbs: number[] }[];
  stage2: ({ promptIds: number[]; ids: number[]; logProbs: number[] } | null)[];
}

export interface RolloutStats {
  generatedTokens: number;
  sampleSeconds: number;
  rewardSeconds: number;
}

/** The similarity reward over a batch of (original, reconstruction) pairs. */
export async function rewardOf(kind: TrainConfig['reward'], items: CodeItem[], recons: string[], opts: { execWeight?: number } = {}): Promise<number[]> {
  if (kind === 'exec') {
    return Promise.all(
      items.map(async (it, i) => {
        if (!it.task) throw new Error('--reward exec needs code with tests (the built-in task suite)');
        const r = await runProgram(it.lang, taskChecked(it.task, it.lang, recons[i]), { timeoutMs: 5000 });
        return r.status === 'passed' ? 1 : 0;
      }),
    );
  }
  return rewardScores(kind, items.map((it, i) => ({ a: it.code, b: recons[i], lang: it.lang })), { weight: opts.execWeight });
}

/** Stage 1, the format filter and stage 2 for `items` (rewards still 0 / null: see scoreGroups). */
export async function sampleGroups(policy: Policy, items: CodeItem[], cfg: RolloutSettings, rng: Rng, label: string): Promise<{ groups: Group[]; generatedTokens: number }> {
  const K = cfg.k;
  const prompts1: number[][] = [];
  for (const it of items) {
    const p = policy.prompt('code2doc', it.code, it.lang);
    for (let j = 0; j < K; j++) prompts1.push(p);
  }
  const g1 = await policy.generate('code2doc', prompts1, { maxNewTokens: cfg.maxDocTokens, temperature: cfg.temperature, seed: rng.u32() });
  let generated = g1.ids.reduce((a, x) => a + x.length, 0);

  const groups: Group[] = items.map((item, i) => {
    const sig = signatureOf(item.code, item.lang);
    const docs = g1.text.slice(i * K, (i + 1) * K);
    const checks = docs.map((d) => checkDoc(d, item.code, item.lang, { signature: sig }));
    return {
      item,
      groupId: `${label}/${i}`,
      docs,
      rewritten: checks.map((c) => c.doc),
      rDoc: checks.map((c) => c.score),
      reconstructions: new Array(K).fill(null),
      similarity: new Array(K).fill(null),
      code2doc: new Array(K).fill(0),
      doc2code: new Array(K).fill(null),
      stage1: docs.map((_, j) => ({ promptIds: prompts1[i * K + j], ids: g1.ids[i * K + j], logProbs: g1.logProbs[i * K + j] })),
      stage2: new Array(K).fill(null),
    };
  });

  // stage 2 for usable docs only
  const jobs: { g: Group; j: number; prompt: number[] }[] = [];
  for (const g of groups) {
    // the same stage-2 prompt as evaluation (`--reward exec` requires the hint: its tests call the function by name)
    const sig = cfg.signatureHint ? signatureLine(g.item.code, g.item.lang, g.item.task) : null;
    g.rDoc.forEach((r, j) => {
      if (r <= 0) return;
      jobs.push({ g, j, prompt: policy.prompt('doc2code', docToCodeInput(g.rewritten[j], sig), g.item.lang) });
    });
  }
  if (jobs.length) {
    const g2 = await policy.generate('doc2code', jobs.map((x) => x.prompt), { maxNewTokens: cfg.maxCodeTokens, temperature: cfg.temperature, seed: rng.u32() });
    generated += g2.ids.reduce((a, x) => a + x.length, 0);
    jobs.forEach((x, n) => {
      x.g.reconstructions[x.j] = g2.text[n];
      x.g.stage2[x.j] = { promptIds: x.prompt, ids: g2.ids[n], logProbs: g2.logProbs[n] };
    });
  }
  return { groups, generatedTokens: generated };
}

/** The rewards of sampled groups, in place: S for every reconstruction, then R_code2doc and R_doc2code. */
export async function scoreGroups(groups: Group[], reward: TrainConfig['reward'], execWeight?: number): Promise<void> {
  const jobs = groups.flatMap((g) => g.reconstructions.flatMap((r, j) => (r === null ? [] : [{ g, j, code: r }])));
  const sims = jobs.length ? await rewardOf(reward, jobs.map((x) => x.g.item), jobs.map((x) => x.code), { execWeight }) : [];
  jobs.forEach((x, n) => (x.g.similarity[x.j] = sims[n]));
  for (const g of groups) {
    const r = assembleRewards(g.rDoc, g.similarity);
    g.code2doc = r.code2doc;
    g.doc2code = r.doc2code;
  }
}

/** A rollout and its rewards, timed (what one dynamic-sampling attempt does). */
export async function rollout(policy: Policy, items: CodeItem[], cfg: RolloutSettings, rng: Rng, label: string): Promise<{ groups: Group[]; stats: RolloutStats }> {
  const t0 = performance.now();
  const { groups, generatedTokens } = await sampleGroups(policy, items, cfg, rng, label);
  const t1 = performance.now();
  await scoreGroups(groups, cfg.reward, cfg.execWeight);
  return { groups, stats: { generatedTokens, sampleSeconds: (t1 - t0) / 1000, rewardSeconds: (performance.now() - t1) / 1000 } };
}

/** Mean rewards over groups: R_doc2code (usable docs), R_code2doc and the format rates (every doc). NaN when empty. */
export function meanRewards(groups: readonly Group[]): { doc2code: number; code2doc: number; formatValid: number; formatExact: number } {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const rDoc = groups.flatMap((g) => g.rDoc);
  return {
    doc2code: mean(groups.flatMap((g) => g.doc2code.filter((x): x is number => x !== null))),
    code2doc: mean(groups.flatMap((g) => g.code2doc)),
    formatValid: mean(rDoc.map((r) => (r > 0 ? 1 : 0))),
    formatExact: mean(rDoc.map((r) => (r === 1 ? 1 : 0))),
  };
}

/** Every reward of a group (both stages): what dynamic sampling looks at. */
export function groupRewards(g: Group): number[] {
  return [...g.code2doc, ...g.doc2code.filter((x): x is number => x !== null)];
}

/** The group's trajectories for the replay buffer (stage 1 left out when frozen). */
export function trajectories(g: Group, freezeStage1: boolean): Trajectory[] {
  const out: Trajectory[] = [];
  if (!freezeStage1) {
    g.stage1.forEach((s, j) => {
      if (!s.ids.length) return;
      out.push({ stage: 'code2doc', groupId: g.groupId, promptIds: s.promptIds, responseIds: s.ids, oldLogProbs: s.logProbs, mask: s.ids.map(() => 1), reward: g.code2doc[j] });
    });
  }
  g.stage2.forEach((s, j) => {
    if (!s || !s.ids.length) return;
    out.push({ stage: 'doc2code', groupId: g.groupId, promptIds: s.promptIds, responseIds: s.ids, oldLogProbs: s.logProbs, mask: s.ids.map(() => 1), reward: g.doc2code[j] ?? 0 });
  });
  return out;
}
