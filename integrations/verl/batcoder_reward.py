"""BatCoder's single-stage rewards for verl: `compute_score` (custom_reward_function.path = this
file, custom_reward_function.name = compute_score). The two-stage loop is the agent loop in
batcoder_agent_loop.py, which sets each row's reward itself.

Interface: verl v0.7.0 and main at b178a3c: compute_score(data_source, solution_str,
ground_truth, extra_info=None), called by verl/workers/reward_manager/naive.py and
verl/experimental/reward_loop/reward_manager/naive.py with solution_str = the response decoded
with skip_special_tokens=True and ground_truth = reward_model.ground_truth of the dataset row; a
dict answer needs "score".

data_source selects the reward:
  "batcoder/doc2code"  solution_str is code written from a doc; score = S against ground_truth
                       {"code", "lang"} (JSON string or dict)
  "batcoder/code2doc"  solution_str is a doc; score = R_doc
  "batcoder/two-stage" scored by the agent loop: reaching compute_score is a configuration error
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from batcoder_client import BatCoderClient, parse_label  # noqa: E402

_client = None


def _get_client():
    global _client
    if _client is None:
        _client = BatCoderClient()
    return _client


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    extra_info = extra_info or {}
    if data_source == "batcoder/two-stage":
        raise ValueError("batcoder/two-stage rows are scored by the batcoder_two_stage agent loop (batcoder_agent_loop.py sets reward_score); compute_score was reached, so the rows ran another agent loop: set agent_name / rollout.agent.default_agent_loop to batcoder_two_stage")
    label = parse_label(ground_truth)
    style = label.get("style", "qwen2-chat")
    if data_source == "batcoder/code2doc":
        f = _get_client().format(solution_str, label["code"], label["lang"], style)
        return {"score": float(f["r_doc"]), "r_doc": float(f["r_doc"])}
    if data_source == "batcoder/doc2code":
        s = _get_client().similarity([{"a": label["code"], "b": solution_str, "lang": label["lang"], "extract": style}], label.get("metric", "cssg"))[0]
        return {"score": s, "similarity": s}
    raise ValueError(f"unknown data_source {data_source!r} (expected batcoder/doc2code, batcoder/code2doc or batcoder/two-stage)")
