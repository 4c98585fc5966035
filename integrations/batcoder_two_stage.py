"""BatCoder's two-stage rollout with stage 2 in a fresh context, for frameworks whose rollout
API returns ONE trainable sample per call (OpenRLHF's AgentExecutorBase.execute, verl's
AgentLoopBase.run). Stdlib only; the framework adapters (openrlhf/agent_func.py,
verl/batcoder_agent_loop.py) supply `generate(prompt_text) -> Generation`.

The paper (and src/train/rollout.ts, the source of truth) per code c, K docs:
  stage 1   d_j ~ pi(. | stage-1 prompt(c))                                j = 1..K
  filter    R_doc_j in {0, 0.5, 1}, rewritten doc d'_j           (/v1/format)
  stage 2   c'_j ~ pi(. | stage-2 prompt(d'_j)) for R_doc_j > 0  (/v1/stage2-prompt: doc and
            signature only, never c)
  reward    S_j = sim(c, c'_j) (/v1/similarity), R_code2doc_j = S_j * R_doc_j, R_doc2code_j = S_j
  samples   (stage-1 prompt, d_j) with R_code2doc_j for every j; (stage-2 prompt_j, c'_j) with
            S_j for usable j only.

The frameworks call the rollout n times per prompt and keep one sample per call, so one code
gets a BLOCK of n = 2K calls (n_samples_per_prompt / rollout.n = 2K), claimed in call order:
  slot j      (j < K)  doc episode j: samples d_j, scores it, samples c'_j from the fresh
                       stage-2 prompt, scores S_j; returns (stage-1 prompt, d_j), R_code2doc_j;
  slot K + j           returns episode j's stage-2 sample (stage-2 prompt_j, c'_j), S_j.
A doc with R_doc_j = 0 has no stage-2 sample. Its slot K + j cannot stay empty (the framework
needs a sample), so it REFILLS: one more reconstruction c'' ~ pi(. | stage-2 prompt of a usable
doc of the same block; the u-th unusable doc takes usable doc u mod U), reward sim(c, c''). So
every block trains K stage-1 samples and K stage-2 samples (the paper: U <= K). Only when no doc
of the block is usable (U = 0) does slot K + j DUPLICATE doc sample j (reward 0): a sample with
no action token would be simpler, but a micro-batch made only of such samples divides the
token-mean loss by 0 (OpenRLHF masked_mean; verl agg_loss without global token counts). Such a
block's scores are all 0, so dynamic filtering drops it.

Claiming slots by call order is exact because both frameworks start the n calls of one prompt
as consecutive asyncio tasks (OpenRLHF: asyncio.gather in RolloutRayActor.generate_responses;
verl: asyncio.create_task per row in AgentLoopWorker.generate_sequences, rows of one uid
adjacent) and the claim happens before the first await. A block whose 2K slots did not all
arrive in one process (n != 2K, or verl rows of one prompt split across agent-loop workers)
raises a ValueError naming the setting instead of waiting forever.

Baselines: BATCODER_BASELINE = none (default; the local trainer's default: Reinforce++ with
global normalisation, i.e. OpenRLHF `reinforce`, verl `reinforce_plus_plus`) returns the raw
rewards; group-mean subtracts the mean of the block's samples OF THE SAME STAGE (a group of one
gets 0), src/rl/advantages.ts's group-mean over (stage, code) groups, so the frameworks'
un-grouped estimators then equal the local `--baseline group-mean`. The frameworks' own group
estimators (reinforce_baseline, grpo) would mix both stages in one group of 2K: don't use them.
"""
import asyncio
import os
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional

from batcoder_client import BatCoderClient, parse_label

BASELINES = ("none", "group-mean")


@dataclass
class Generation:
    """One sampled response: prompt and response token ids, its text, optional log-probs."""

    prompt_ids: list
    response_ids: list
    text: str
    logprobs: Optional[list] = None
    truncated: bool = False


@dataclass
class Sample:
    """One trainable sample. stage: 'code2doc' | 'doc2code'."""

    stage: str
    prompt: str
    gen: Generation
    reward: float
    raw_reward: float
    logs: dict


Generate = Callable[[str], Awaitable[Generation]]


@dataclass
class _Block:
    k: int
    claimed: int = 0
    loop: Any = None
    formats: list = field(default_factory=list)  # futures: (r_doc, stage-2 prompt text or None)
    stage1: list = field(default_factory=list)  # futures: doc Sample
    stage2: list = field(default_factory=list)  # futures: Sample or None (doc unusable)
    raw: list = field(default_factory=list)  # futures: (stage, raw reward) per slot
    done: Any = None

    def __post_init__(self):
        self.loop = asyncio.get_running_loop()
        fut = self.loop.create_future
        self.formats = [fut() for _ in range(self.k)]
        self.stage1 = [fut() for _ in range(self.k)]
        self.stage2 = [fut() for _ in range(self.k)]
        self.raw = [fut() for _ in range(2 * self.k)]


def _logs(stage, r_doc=0.0, s=0.0, refill=0.0, duplicate=0.0):
    """The same keys on every sample (the frameworks stack them into one tensor per key)."""
    return {
        "stage_doc2code": 1.0 if stage == "doc2code" else 0.0,
        "r_doc": float(r_doc),
        "similarity": float(s),
        "r_code2doc": float(s) * float(r_doc) if stage == "code2doc" else 0.0,
        "r_doc2code": float(s) if stage == "doc2code" else 0.0,
        "refill": float(refill),
        "duplicate": float(duplicate),
    }


class TwoStageRollout:
    """One per process: hands out block slots and runs them (see the file comment)."""

    def __init__(self, client=None, k=None, baseline=None, metric=None):
        self.client = client or BatCoderClient()
        self.k = int(k if k is not None else os.environ.get("BATCODER_K", "8"))
        if self.k < 1:
            raise ValueError(f"BATCODER_K must be >= 1, got {self.k}")
        self.baseline = baseline or os.environ.get("BATCODER_BASELINE", "none")
        if self.baseline not in BASELINES:
            raise ValueError(f"BATCODER_BASELINE must be one of {BASELINES}, got {self.baseline!r}")
        self.metric = metric or os.environ.get("BATCODER_METRIC", "cssg")
        self._open: dict = {}

    def claim(self, key):
        """The next slot of `key`'s open block (a new block after 2K claims). Call before any await."""
        b = self._open.get(key)
        if b is None or b.claimed == 2 * self.k:
            b = self._open[key] = _Block(self.k)
        slot = b.claimed
        b.claimed += 1
        if b.claimed == 2 * self.k:
            del self._open[key]
        return b, slot

    async def run(self, block, slot, label, stage1_prompt: str, generate: Generate) -> Sample:
        # every call of this prompt started before any of them ran past its first await
        await asyncio.sleep(0)
        if block.claimed != 2 * self.k:
            raise ValueError(
                f"BatCoder two-stage rollout: {block.claimed} calls for one prompt, expected 2 * BATCODER_K = {2 * self.k}: "
                "set n_samples_per_prompt (OpenRLHF) / rollout.n (verl) to 2 * BATCODER_K, and in verl make "
                "data.train_batch_size a multiple of rollout.agent.num_workers so no prompt's rows are split"
            )
        try:
            lb = parse_label(label)
            s = await (self._episode(block, slot, lb, stage1_prompt, generate) if slot < self.k else self._stage2_slot(block, slot - self.k, lb, stage1_prompt, generate))
        except BaseException as e:
            # never leave the block's other slots waiting on this one
            futs = [block.raw[slot]] + ([block.formats[slot], block.stage1[slot], block.stage2[slot]] if slot < self.k else [])
            for f in futs:
                if not f.done():
                    f.set_exception(e)
            raise
        if slot < self.k:
            block.stage1[slot].set_result(s)
        block.raw[slot].set_result((s.stage, s.raw_reward))
        if self.baseline == "group-mean":
            s.reward = s.raw_reward - await self._stage_mean(block, s.stage)
        return s

    async def _stage_mean(self, block, stage):
        raw = [await f for f in block.raw]
        xs = [r for st, r in raw if st == stage]
        return xs[0] if len(xs) == 1 else sum(xs) / len(xs)

    async def _episode(self, block, j, lb, stage1_prompt, generate) -> Sample:
        style = lb.get("style", "qwen2-chat")
        doc = await generate(stage1_prompt)
        f = await asyncio.to_thread(self.client.format, doc.text, lb["code"], lb["lang"], style)
        r_doc = f["r_doc"]
        if r_doc == 0:
            block.formats[j].set_result((0, None))
            block.stage2[j].set_result(None)
            return Sample("code2doc", stage1_prompt, doc, 0.0, 0.0, _logs("code2doc", 0))
        p = await asyncio.to_thread(
            self.client.stage2_prompt, f["doc"], lb["lang"], style, lb["code"], lb.get("signature_hint", False), lb.get("signature")
        )
        block.formats[j].set_result((r_doc, p["prompt"]))
        rec, s = await self._reconstruct(p["prompt"], lb, generate)
        block.stage2[j].set_result(Sample("doc2code", p["prompt"], rec, s, s, _logs("doc2code", r_doc, s)))
        r = s * r_doc
        return Sample("code2doc", stage1_prompt, doc, r, r, _logs("code2doc", r_doc, s))

    async def _reconstruct(self, stage2_prompt, lb, generate):
        rec = await generate(stage2_prompt)
        pair = {"a": lb["code"], "b": rec.text, "lang": lb["lang"], "extract": lb.get("style", "qwen2-chat")}
        s = (await asyncio.to_thread(self.client.similarity, [pair], lb.get("metric", self.metric)))[0]
        return rec, s

    async def _stage2_slot(self, block, j, lb, stage1_prompt, generate) -> Sample:
        own = await block.stage2[j]
        if own is not None:
            return own
        formats = [await f for f in block.formats]
        usable = [i for i, (r, _) in enumerate(formats) if r > 0]
        if not usable:
            doc = await block.stage1[j]
            return Sample("code2doc", doc.prompt, doc.gen, 0.0, 0.0, _logs("code2doc", duplicate=1))
        u = [i for i, (r, _) in enumerate(formats) if r == 0].index(j)
        i = usable[u % len(usable)]
        r_doc, prompt = formats[i]
        rec, s = await self._reconstruct(prompt, lb, generate)
        return Sample("doc2code", prompt, rec, s, s, _logs("doc2code", r_doc, s, refill=1))
