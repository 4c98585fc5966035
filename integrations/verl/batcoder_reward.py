"""BatCoder rewards for verl: `compute_score` (custom_reward_function.path = this file,
custom_reward_function.name = compute_score) and the two-stage loop as a verl Interaction
(BatCoderInteraction, named in interaction_config.yaml).

Interfaces: verl v0.7.0 and main at b178a3c (0.8.0.dev):
  - compute_score(data_source, solution_str, ground_truth, extra_info=None): called by
    verl/workers/reward_manager/naive.py and verl/experimental/reward_loop/reward_manager/naive.py
    with solution_str = the response decoded with skip_special_tokens=True and
    ground_truth = reward_model.ground_truth of the dataset row; a dict answer needs "score".
  - verl/interactions/base.py BaseInteraction: __init__(config), async start_interaction(
    instance_id, **interaction_kwargs), async generate_response(instance_id, messages, **kwargs)
    -> (should_terminate_sequence, response_content, current_turn_score, additional_data),
    async calculate_score(...), async finalize_interaction(...); driven by
    verl/experimental/agent_loop/tool_agent_loop.py (_handle_interacting_state), which appends
    response_content as a user message and collects current_turn_score into turn_scores; the
    reward loop passes them to compute_score as extra_info["turn_scores"] (tool_extra_fields).

data_source selects the reward:
  "batcoder/doc2code"  single stage: solution_str is code written from a doc; score = S against
                       ground_truth {"code", "lang"} (JSON string or dict)
  "batcoder/code2doc"  single stage: solution_str is a doc; score = R_doc
  "batcoder/two-stage" the interaction ran both turns: score = the sum of extra_info["turn_scores"]
                       (the interaction reports the episode reward at turn 2, 0 at turn 1)

Per-turn rewards: verl puts one score on the last response token of the whole multi-turn
response, so, as with OpenRLHF, the doc and the code turn share one return. The episode reward
is chosen by BATCODER_EPISODE_REWARD = sum (S * R_doc + S, default) | code2doc | doc2code.
"""
import asyncio
import os
import sys
from typing import Any, Optional
from uuid import uuid4

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from batcoder_client import BatCoderClient, episode_reward, parse_label  # noqa: E402





_client = None


def _get_client():
    global _client
    if _client is None:
        _client = BatCoderClient()
    return _client


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    extra_info = extra_info or {}
    if data_source == "batcoder/two-stage":
        turns = extra_info.get("turn_scores")
        if turns is None:
            raise ValueError("batcoder/two-stage needs extra_info['turn_scores']: run the tool agent loop with BatCoderInteraction and reward_model.use_reward_loop=True (the reward loop passes the agent loop's extra fields)")
        return {"score": float(sum(turns)), "turns": len(turns)}
    label = parse_label(ground_truth)
    style = label.get("style", "qwen2-chat")
    if data_source == "batcoder/code2doc":
        f = _get_client().format(solution_str, label["code"], label["lang"], style)
        return {"score": float(f["r_doc"]), "r_doc": float(f["r_doc"])}
    if data_source == "batcoder/doc2code":
        s = _get_client().similarity([{"a": label["code"], "b": solution_str, "lang": label["lang"], "extract": style}], label.get("metric", "cssg"))[0]
        return {"score": s, "similarity": s}
    raise ValueError(f"unknown data_source {data_source!r} (expected batcoder/doc2code, batcoder/code2doc or batcoder/two-stage)")


try:
    from verl.interactions.base import BaseInteraction
except ImportError:  # compute_score alone needs no verl
    BaseInteraction = object


class BatCoderInteraction(BaseInteraction):
    """Turn 1 (the doc) -> R_doc and the stage-2 prompt as the next user message; turn 2 (the code) -> S."""

    def __init__(self, config: dict[str, Any]):
        if BaseInteraction is not object:
            super().__init__(config)
        self.config = config
        self.client = BatCoderClient(config.get("url"))
        self.mode = config.get("episode_reward", os.environ.get("BATCODER_EPISODE_REWARD", "sum"))
        episode_reward(self.mode, 0.0, 0.0)
        self._instances: dict[str, dict[str, Any]] = {}

    async def start_interaction(self, instance_id: Optional[str] = None, code: Optional[str] = None, lang: Optional[str] = None, **kwargs) -> str:
        if instance_id is None:
            instance_id = str(uuid4())
        label = parse_label({"code": code, "lang": lang, **{k: v for k, v in kwargs.items() if k in ("style", "metric", "signature", "signature_hint")}})
        self._instances[instance_id] = {"label": label, "turn": 0, "r_doc": 0.0, "score": 0.0}
        return instance_id

    async def generate_response(self, instance_id: str, messages: list[dict[str, Any]], **kwargs) -> tuple[bool, str, float, dict[str, Any]]:
        st = self._instances[instance_id]
        lb = st["label"]
        style = lb.get("style", "qwen2-chat")
        content = ""
        for m in reversed(messages):
            if m.get("role") == "assistant":
                content = m.get("content") or ""
                break
        if st["turn"] == 0:
            st["turn"] = 1
            # the client blocks: off the agent loop's event loop
            f = await asyncio.to_thread(self.client.format, content, lb["code"], lb["lang"], style)
            st["r_doc"] = f["r_doc"]
            if f["r_doc"] == 0:
                return True, "", 0.0, {"r_doc": 0.0}
            p = await asyncio.to_thread(self.client.stage2_prompt, f["doc"], lb["lang"], style, lb["code"], lb.get("signature_hint", False), lb.get("signature"))
            return False, p["user_content"], 0.0, {"r_doc": float(f["r_doc"])}
        s = (await asyncio.to_thread(self.client.similarity, [{"a": lb["code"], "b": content, "lang": lb["lang"], "extract": style}], lb.get("metric", "cssg")))[0]
        st["score"] = episode_reward(self.mode, s, st["r_doc"])
        return True, "", st["score"], {"r_doc": float(st["r_doc"]), "similarity": s, "r_code2doc": s * st["r_doc"], "r_doc2code": s}

    async def calculate_score(self, instance_id: str, **kwargs) -> float:
        return self._instances[instance_id]["score"]

    async def finalize_interaction(self, instance_id: str, **kwargs) -> None:
        self._instances.pop(instance_id, None)
