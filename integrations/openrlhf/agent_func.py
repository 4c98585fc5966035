"""BatCoder's two-stage loop as an OpenRLHF agent (`--train.agent_func_path` of this file).

Interface: OpenRLHF v0.11.0 (commit 3c3be62), openrlhf/utils/agent.py: AgentInstanceBase
(`async reset(states)` -> {"observation"}, `async step(states)` -> {"rewards", "scores",
"environment_feedback", "done", "sampling_params", "extra_logs"}) driven by
MultiTurnAgentExecutor.execute; OpenRLHF loads this file and instantiates `AgentExecutor`
(openrlhf/trainer/ray/vllm_engine.py, _load_agent_executor).

One episode = one of the K = n_samples_per_prompt samples of a code snippet:
  turn 1  the policy writes the doc for the code in the prompt (the stage-1 prompt);
  step    our server: R_doc and the rewritten doc (/v1/format); R_doc = 0 ends the episode
          (no reconstruction is sampled, as in the local trainer); else the feedback is the
          stage-2 prompt's user turn (/v1/stage2-prompt), exactly the trainer's text;
  turn 2  the policy writes the code;
  step    our server: S = sim(code, reconstruction) (/v1/similarity); the episode ends.

Rewards. The paper gives each turn its own reward: R_code2doc = S * R_doc to the doc,
R_doc2code = S to the code. OpenRLHF v0.11.0 cannot: MultiTurnAgentExecutor adds the steps'
rewards into one number (`total_reward += step_result["rewards"].item()`), the experience maker
puts it on the last action token and, with gamma = 1 (forced for reinforce_baseline), every
action token of BOTH turns gets the same return. So this agent returns 0 at turn 1 and at turn 2
one episode reward, chosen by BATCODER_EPISODE_REWARD:
  sum        S * R_doc + S   (default: the sum of the paper's two per-turn rewards)
  code2doc   S * R_doc       (the stage-1 reward alone)
  doc2code   S               (the stage-2 reward alone)
An episode ended at turn 1 (R_doc = 0) gets 0. `scores` (what dynamic filtering averages, in
[0, 1]) is the episode reward divided by its maximum (2 for sum, 1 otherwise). extra_logs carry
r_doc, similarity, r_code2doc and r_doc2code for the logs.

Caveat (read docs/serve.md): the executor conditions turn 2 on the whole transcript, which
contains the original code from turn 1's prompt; the local trainer's stage 2 sees only the doc.

Environment: BATCODER_URL (default http://127.0.0.1:5000), BATCODER_EPISODE_REWARD,
BATCODER_METRIC (default cssg). Labels (--data.label_key) are {"code", "lang"[, "style",
"signature", "signature_hint", "metric"]}, a dict or a JSON string.
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from batcoder_client import BatCoderClient, episode_reward, parse_label  # noqa: E402
from openrlhf.utils.agent import AgentInstanceBase, MultiTurnAgentExecutor  # noqa: E402



def _scalar(x):
    """What the executor calls .item() on: a torch scalar when torch is there (it is, in OpenRLHF)."""
    try:
        import torch

        return torch.tensor(float(x))
    except ImportError:  # the tests' stand-in executor only needs .item()
        class _S(float):
            def item(self):
                return float(self)

        return _S(x)




class AgentInstance(AgentInstanceBase):
    def __init__(self, *args, **kwargs):
        self.client = BatCoderClient()
        self.mode = os.environ.get("BATCODER_EPISODE_REWARD", "sum")
        episode_reward(self.mode, 0.0, 0.0)  # refuse an unknown mode at once
        self.metric = os.environ.get("BATCODER_METRIC", "cssg")
        self.turn = 0
        self.r_doc = 0.0

    async def reset(self, states: dict, **kwargs):
        self.label = parse_label(states["label"])
        self.style = self.label.get("style", "qwen2-chat")
        return {"observation": states["observation"]}

    async def step(self, states: dict, **kwargs):
        lb = self.label
        action = states["action_text"]
        keep = states.get("sampling_params", None)
        if self.turn == 0:
            self.turn = 1
            f = await asyncio.to_thread(self.client.format, action, lb["code"], lb["lang"], self.style)
            self.r_doc = f["r_doc"]
            if self.r_doc == 0:
                logs = {"r_doc": 0.0, "similarity": 0.0, "r_code2doc": 0.0, "r_doc2code": 0.0}
                return {"rewards": _scalar(0.0), "scores": _scalar(0.0), "environment_feedback": "", "done": True, "sampling_params": keep, "extra_logs": logs}
            p = await asyncio.to_thread(
                self.client.stage2_prompt, f["doc"], lb["lang"], self.style, lb["code"], lb.get("signature_hint", False), lb.get("signature")
            )
            # turn 1's tokens end with the end-of-turn token (<|im_end|>) when the doc finished;
            # the stage-2 user turn follows on a new line, as in the chat template
            feedback = ("\n" + p["user_turn"]) if self.style == "qwen2-chat" else p["prompt"]
            return {"rewards": _scalar(0.0), "scores": _scalar(0.0), "environment_feedback": feedback, "done": False, "sampling_params": keep, "extra_logs": {}}
        s = (await asyncio.to_thread(self.client.similarity, [{"a": lb["code"], "b": action, "lang": lb["lang"], "extract": self.style}], lb.get("metric", self.metric)))[0]
        r = episode_reward(self.mode, s, self.r_doc)
        top = 2.0 if self.mode == "sum" else 1.0
        logs = {"r_doc": float(self.r_doc), "similarity": s, "r_code2doc": s * self.r_doc, "r_doc2code": s}
        return {"rewards": _scalar(r), "scores": _scalar(r / top), "environment_feedback": "", "done": True, "sampling_params": keep, "extra_logs": logs}


class AgentExecutor(MultiTurnAgentExecutor):
    def __init__(self):
        super().__init__(AgentInstance)
