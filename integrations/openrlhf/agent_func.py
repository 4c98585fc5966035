"""BatCoder's two-stage loop on OpenRLHF (`--train.agent_func_path` of this file), stage 2 in a
fresh context: a custom AgentExecutor, not MultiTurnAgentExecutor (whose turn 2 would see the
whole transcript, original code included).

Interface: OpenRLHF v0.11.0 (commit 3c3be62, 2026-08-13), read in openrlhf/utils/agent.py
(`AgentExecutorBase.execute(prompt, label, sampling_params, max_length, hf_tokenizer,
llm_engine, images=None)` -> one sample dict), openrlhf/trainer/ray/vllm_engine.py
(`_load_agent_executor` instantiates this module's `AgentExecutor()`;
`RolloutRayActor.generate_responses` gathers n_samples_per_prompt `execute` calls of one prompt;
`generate(prompt_token_ids, sampling_params, multi_modal_data)` -> a vLLM RequestOutput) and
openrlhf/trainer/ppo_utils/samples_generator.py (`_process_response_into_experience` reads
observation_tokens, action_ranges, reward, scores, rollout_log_probs, truncated, extra_logs,
prompt, label; dynamic filtering averages `scores` over the n samples of a prompt).

One `execute` call = one trainable sample, so one code's K = BATCODER_K episodes use a block of
--rollout.n_samples_per_prompt = 2K calls (../batcoder_two_stage.py): calls 1..K return the
doc samples (stage-1 prompt + doc, reward R_code2doc = S * R_doc), calls K+1..2K the code samples
(the server's exact stage-2 prompt + reconstruction, reward S; never any token of the original
code). A doc with R_doc = 0 gets reward 0 and no stage-2 sample of its own; its call returns a
refill (or, when no doc of the code is usable, a duplicate of its doc sample; see
batcoder_two_stage.py). `scores` = the raw reward (in [0, 1]); `reward` = the raw
reward, or minus its stage's block mean with BATCODER_BASELINE=group-mean.

Use `--algo.advantage.estimator reinforce` (no group baseline; global normalisation): the
framework's group estimators would put both stages of a code in one group of 2K.

Environment: BATCODER_URL (default http://127.0.0.1:5000), BATCODER_K (default 8),
BATCODER_BASELINE (none | group-mean), BATCODER_METRIC (default cssg). Labels
(--data.label_key) are {"code", "lang"[, "style", "signature", "signature_hint", "metric"]},
a dict or a JSON string; prompts (--data.input_key) the stage-1 prompt text
(integrations/make_dataset.py).
"""
import os
import sys
from copy import deepcopy

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from batcoder_two_stage import Generation, TwoStageRollout  # noqa: E402
from openrlhf.utils.agent import AgentExecutorBase  # noqa: E402


class AgentExecutor(AgentExecutorBase):
    def __init__(self):
        self.rollout = TwoStageRollout()

    async def execute(self, prompt, label, sampling_params, max_length: int, hf_tokenizer, llm_engine, images=None):
        if images:
            raise ValueError("BatCoder's agent takes text prompts only (got images)")
        # claim this call's slot before the first await (see batcoder_two_stage.py)
        block, slot = self.rollout.claim((prompt, label if isinstance(label, str) else repr(label)))

        async def generate(text):
            # as SingleTurnAgentExecutor.execute (v0.11.0): tokenize without special tokens, a
            # dynamic max_tokens when unset, left-truncate a prompt that leaves no room
            ids = hf_tokenizer(text=text, add_special_tokens=False, return_tensors="pt")["input_ids"][0].tolist()
            params = deepcopy(sampling_params)
            if params.max_tokens is None:
                params.max_tokens = max(1, max_length - len(ids))
            if len(ids) > max_length - params.max_tokens:
                ids = ids[-(max_length - params.max_tokens):]
            out = (await llm_engine.generate(ids, params, multi_modal_data=None)).outputs[0]
            toks = list(out.token_ids)
            lps = None
            if sampling_params.logprobs is not None and out.logprobs is not None:
                lps = []
                for t, d in zip(toks, out.logprobs):
                    lp = d.get(t)
                    lps.append(lp.logprob if lp is not None else 0.0)
            return Generation(ids, toks, out.text, lps, getattr(out, "finish_reason", None) == "length")

        s = await self.rollout.run(block, slot, label, prompt, generate)
        g = s.gen
        obs = g.prompt_ids + g.response_ids
        lps = [0.0] * len(g.prompt_ids) + g.logprobs if g.logprobs is not None else None
        return {
            "prompt": s.prompt,
            "label": label,
            "images": None,
            "mm_train_inputs": None,
            "reward": s.reward,
            "scores": s.raw_reward,
            "observation_tokens": obs,
            "action_ranges": [(len(g.prompt_ids), len(obs))],
            "rollout_log_probs": lps,
            "truncated": g.truncated,
            "extra_logs": s.logs,
        }
