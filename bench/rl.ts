// CPU cost of the trainer's bookkeeping around the GPU: the format filter per doc, the
// Reinforce++ advantages, the float64 reference loss and the padded-batch assembly for
// a rollout of realistic size.
// Run: node dist/bench/rl.js
import { Bench } from 'tinybench';
import { checkDoc, signatureOf } from '../src/doc/index.js';
import { computeAdvantages } from '../src/rl/advantages.js';
import { clippedSurrogate } from '../src/rl/loss.js';
import { padBatch, type Trajectory } from '../src/rl/buffer.js';
import { Rng } from '../src/util/rng.js';

export async function benchRl(): Promise<Record<string, number>> {
  const code = 'def scale(values, factor=2.0, *args, **kwargs):\n    out = [v * factor for v in values]\n    return out\n';
  const exact = 'Scale every value by a factor.\n\nArgs:\n    values: The numbers.\n    factor: The multiplier.\n    args: Extra.\n    kwargs: Extra.\n\nReturns:\n    A new list.';
  const messy = 'Sure! Here is the docstring:\n\n```\n"""Scale every value\nby a factor.\n\n:param values: The numbers.\n:param kwargs: Extra.\n:param factor: The multiplier.\n:param args: Extra.\n:returns: A new list.\n"""\n```\nHope this helps!';
  const sig = signatureOf(code, 'python');
  // a rollout: 512 responses of up to 256 tokens (64 codes x K = 8)
  const rng = new Rng(0);
  const trajs: Trajectory[] = [];
  for (let i = 0; i < 512; i++) {
    const n = 32 + rng.int(224);
    trajs.push({
      stage: i % 2 ? 'code2doc' : 'doc2code',
      groupId: i >> 3,
      promptIds: Array.from({ length: 64 }, () => rng.int(500)),
      responseIds: Array.from({ length: n }, () => rng.int(500)),
      oldLogProbs: Array.from({ length: n }, () => -3 * rng.next()),
      mask: Array.from({ length: n }, () => 1),
      reward: rng.next(),
      advantages: Array.from({ length: n }, () => rng.normal()),
    });
  }
  const items = trajs.map((t) => ({ reward: t.reward, groupId: t.groupId, mask: t.mask, stage: t.stage }));
  const newLp = trajs.map((t) => t.oldLogProbs.map((x) => x + 0.1 * rng.normal()));
  const tokens = trajs.reduce((a, t) => a + t.responseIds.length, 0);
  const bench = new Bench({ time: 1000, warmupTime: 200 });
  bench
    .add('checkDoc exact (signature parsed each call)', () => void checkDoc(exact, code, 'python'))
    .add('checkDoc exact (signature given)', () => void checkDoc(exact, code, 'python', { signature: sig }))
    .add('checkDoc messy -> 0.5 (signature given)', () => void checkDoc(messy, code, 'python', { signature: sig }))
    .add(`advantages, 512 responses (${tokens} tokens), group-mean`, () => void computeAdvantages(items, { baseline: 'group-mean' }))
    .add(`clipped surrogate + grad, ${tokens} tokens`, () => void clippedSurrogate({ logProbs: newLp, oldLogProbs: trajs.map((t) => t.oldLogProbs), advantages: trajs.map((t) => t.advantages!), mask: trajs.map((t) => t.mask) }))
    .add('padBatch 64 x <=320 tokens', () => void padBatch(trajs.slice(0, 64), { padId: 0, padMultiple: 16 }));
  await bench.run();
  const out: Record<string, number> = {};
  for (const t of bench.tasks) out[t.name] = t.result?.latency?.mean ?? (t.result as unknown as { mean: number })?.mean ?? NaN;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchRl();
  for (const [name, ms] of Object.entries(r)) console.log(`${name.padEnd(56)} ${ms.toFixed(3).padStart(10)} ms`);
}
