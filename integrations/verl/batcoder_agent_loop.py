"""BatCoder's two-stage loop as a verl agent loop, stage 2 in a fresh context (the tool agent
loop with an Interaction would condition turn 2 on the whole chat, original code included).

Interface: verl main at b178a3c (v0.7.0-125, 2026-01-29), read in
verl/experimental/agent_loop/agent_loop.py: `AgentLoopBase.__init__(trainer_config,
server_manager, tokenizer, processor, dataset_cls, dataset_config, **kwargs)`, `async run(
sampling_params, **kwargs) -> AgentLoopOutput` (kwargs = the row's non-tensor fields: raw_prompt,
uid, index, reward_model, extra_info, ...), `AsyncLLMServerManager.generate(request_id, *,
prompt_ids, sampling_params) -> TokenOutput(token_ids, log_probs)`; agent loops are found by
`agent_name` in `_agent_loop_registry`, filled from `rollout.agent.agent_loop_config_path`
(agent_loop.yaml here: name + hydra `_target_`). AgentLoopWorker.generate_sequences starts one
task per row, the rows of one prompt (one uid) adjacent; AgentLoopOutput.reward_score set here
skips the reward loop and becomes rm_scores (one score on the last response token).

One `run` = one trainable row, so one code's K = BATCODER_K episodes take a block of
rollout.n = 2K rows (../batcoder_two_stage.py), keyed by the row's uid: rows 1..K are the doc
samples (stage-1 prompt + doc, reward_score R_code2doc = S * R_doc), rows K+1..2K the code
samples (the server's exact stage-2 prompt + reconstruction, reward_score S; never a token of
the original code). Prompts are tokenized from the server's prompt text, not re-templated, so
both stages see exactly the local trainer's prompts.

Use algorithm.adv_estimator=reinforce_plus_plus (no group baseline): verl's group estimators
group by uid, which would put both stages of a code in one group of 2K.
Environment: BATCODER_URL, BATCODER_K, BATCODER_BASELINE, BATCODER_METRIC (batcoder_two_stage.py).
"""
import json
import logging
import os
import sys
from typing import Any
from uuid import uuid4

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from batcoder_two_stage import Generation, TwoStageRollout  # noqa: E402
from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopMetrics, AgentLoopOutput, register  # noqa: E402

logger = logging.getLogger(__file__)
_rollout = None


def _shared_rollout():
    """One per agent-loop worker process: verl makes a new agent loop object per row."""
    global _rollout
    if _rollout is None:
        _rollout = TwoStageRollout()
    return _rollout


@register("batcoder_two_stage")
class BatCoderTwoStageAgentLoop(AgentLoopBase):
    def __init__(self, *args, **kwargs):
        kwargs.pop("name", None)  # agent_loop.yaml's name is passed through hydra.utils.instantiate
        super().__init__(*args, **kwargs)
        self.rollout = _shared_rollout()
        self.prompt_length = self.config.actor_rollout_ref.rollout.prompt_length
        self.response_length = self.config.actor_rollout_ref.rollout.response_length

    async def run(self, sampling_params: dict[str, Any], **kwargs) -> AgentLoopOutput:
        extra = kwargs.get("extra_info") or {}
        stage1 = extra.get("stage1_prompt")
        label = (kwargs.get("reward_model") or {}).get("ground_truth")
        if not isinstance(stage1, str) or label is None:
            raise ValueError("batcoder_two_stage rows need extra_info.stage1_prompt and reward_model.ground_truth (integrations/make_dataset.py writes them)")
        # claim this row's slot before the first await (see batcoder_two_stage.py)
        block, slot = self.rollout.claim(kwargs.get("uid") or json.dumps([stage1, label], sort_keys=True))
        metrics = {"generate_sequences": 0.0, "num_preempted": -1}

        def fit(ids):
            if len(ids) > self.prompt_length:
                logger.warning("BatCoder prompt of %d tokens left-truncated to rollout.prompt_length = %d", len(ids), self.prompt_length)
                ids = ids[-self.prompt_length:]
            return ids

        async def generate(text):
            ids = fit(self.tokenizer.encode(text, add_special_tokens=False))
            params = dict(sampling_params, max_tokens=self.response_length)
            out = await self.server_manager.generate(request_id=uuid4().hex, prompt_ids=ids, sampling_params=params)
            toks = list(out.token_ids)[: self.response_length]
            lps = list(out.log_probs)[: self.response_length] if out.log_probs else None
            text_out = self.tokenizer.decode(toks, skip_special_tokens=True)
            return Generation(ids, toks, text_out, lps, len(out.token_ids) >= self.response_length)

        s = await self.rollout.run(block, slot, label, stage1, generate)
        g = s.gen
        return AgentLoopOutput(
            prompt_ids=g.prompt_ids,
            response_ids=g.response_ids,
            response_mask=[1] * len(g.response_ids),
            response_logprobs=g.logprobs,
            reward_score=s.reward,
            num_turns=2,
            metrics=AgentLoopMetrics(**metrics),
            extra_fields={"reward_extra_info": {"score": s.raw_reward, **s.logs}},
        )
