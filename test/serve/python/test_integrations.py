"""The OpenRLHF agent and the verl reward/interaction against a live `batcoder serve`, with
stand-ins for the framework classes (stubs/, signatures copied from upstream) and a fake LLM
engine that returns canned turns. Run by test/serve/integrations.test.ts:
    python3 test_integrations.py FIXTURE.json
FIXTURE.json holds the server URL and what the local trainer's rollout computed on the same
canned turns (test/serve/fixture.ts); every reward here must equal it exactly."""
import asyncio
import importlib.util
import json
import os
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, "stubs"))

fixture = json.load(open(sys.argv[1]))
os.environ["BATCODER_URL"] = fixture["url"]
cases = fixture["cases"]
checked = {"openrlhf_agent": 0, "openrlhf_http": 0, "verl_score": 0, "verl_interaction": 0, "errors": 0}


def load(path, name):
    # as OpenRLHF's _load_agent_executor does (spec_from_file_location + exec_module)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def user_turn(prompt):
    return prompt[prompt.index("<|im_start|>user"):]


def user_content(prompt):
    t = user_turn(prompt)[len("<|im_start|>user\n"):]
    return t[: t.index("<|im_end|>")]


# ---- fakes: tokenizer (one token per character) and vLLM engine (canned turns) ------------
class _Ids(list):
    def tolist(self):
        return list(self)


def fake_tokenizer(text, add_special_tokens=False, return_tensors=None):
    return {"input_ids": [_Ids(ord(c) for c in text)]}


class SamplingParams:
    def __init__(self):
        self.max_tokens = None
        self.logprobs = None


class _Out:
    def __init__(self, text):
        self.text = text  # vLLM leaves the EOS text out of .text ...
        self.token_ids = [ord(c) for c in text] + [0]  # ... and keeps its id in token_ids


class _Req:
    def __init__(self, text):
        self.outputs = [_Out(text)]


class FakeEngine:
    def __init__(self, turns):
        self.turns = list(turns)

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        assert self.turns, "the agent asked for more turns than the episode has"
        return _Req(self.turns.pop(0))


# ---- OpenRLHF: the agent, through the (stand-in) MultiTurnAgentExecutor ----------------------
agent_path = os.path.join(ROOT, "integrations", "openrlhf", "agent_func.py")
for mode in ("sum", "code2doc", "doc2code"):
    os.environ["BATCODER_EPISODE_REWARD"] = mode
    agent = load(agent_path, "agent_module")
    from openrlhf.utils.agent import AgentExecutorBase

    executor = agent.AgentExecutor()
    assert isinstance(executor, AgentExecutorBase)
    for c in cases:
        e = c["expected"]
        for j, doc in enumerate(c["docsRaw"]):
            label = json.dumps({"code": c["code"], "lang": c["lang"]})
            engine = FakeEngine([doc, c["reconsRaw"][j]])
            out = asyncio.run(executor.execute(c["stage1Prompt"], label, SamplingParams(), 1 << 20, fake_tokenizer, engine))
            if e["rDoc"][j] == 0:
                want = 0.0
                assert len(out["action_ranges"]) == 1 and engine.turns == [c["reconsRaw"][j]], "R_doc = 0 must end the episode after the doc"
            else:
                s = e["similarity"][j]
                want = {"sum": e["code2doc"][j] + e["doc2code"][j], "code2doc": e["code2doc"][j], "doc2code": e["doc2code"][j]}[mode]
                assert len(out["action_ranges"]) == 2
                # turn 2 was prompted with the trainer's own stage-2 user turn
                assert out["observation_text"] == c["stage1Prompt"] + doc + "\n" + user_turn(e["stage2Prompt"][j]) + c["reconsRaw"][j], out["observation_text"][-300:]
                assert out["extra_logs"]["similarity"] == s and out["extra_logs"]["r_doc"] == e["rDoc"][j]
                assert out["extra_logs"]["r_code2doc"] == e["code2doc"][j] and out["extra_logs"]["r_doc2code"] == e["doc2code"][j]
            assert out["reward"] == want, (mode, j, out["reward"], want)
            top = 2.0 if mode == "sum" else 1.0
            assert float(out["scores"]) == want / top
            checked["openrlhf_agent"] += 1

# ---- OpenRLHF: the remote reward protocol as its client sends it ----------------------------
# v0.11.0 SingleTurnAgentExecutor._fetch_rewards_via_http: aiohttp session.post(url, json=payload),
# payload {"query", "prompts", "labels"}; v0.8.11 remote_rm_utils.request_api_wrapper:
# requests.post(url, json=data, headers={"Content-Type": "application/json"}). Both send
# json.dumps(payload) with that content type; aiohttp/requests are not installed here, urllib is.
query, prompts, labels, want = [], [], [], []
for c in cases:
    e = c["expected"]
    for j, doc in enumerate(c["reconsRaw"]):
        if e["rDoc"][j] == 0:
            continue
        p = e["stage2Prompt"][j]
        query.append(p + doc + "<|im_end|>")  # hf_tokenizer.decode(..., skip_special_tokens=False)
        prompts.append(p)
        labels.append(json.dumps({"code": c["code"], "lang": c["lang"]}))
        want.append(e["similarity"][j])
payload = {"query": query, "prompts": prompts, "labels": labels}
req = urllib.request.Request(fixture["url"] + "/get_reward", data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST")
with urllib.request.urlopen(req, timeout=180) as res:
    answer = json.loads(res.read().decode("utf-8"))
assert answer["rewards"] == want and answer["scores"] == want, (answer["rewards"], want)
assert answer["extra_logs"]["similarity"] == want
# what the v0.11.0 executor then reads from it
rewards_info = answer
score_value = rewards_info.get("scores")
assert score_value is not None and rewards_info.get("extra_logs") is not None
checked["openrlhf_http"] += len(want)

# ---- verl: compute_score and the interaction ------------------------------------------------
verl_mod = load(os.path.join(ROOT, "integrations", "verl", "batcoder_reward.py"), "batcoder_reward")
from verl.interactions.base import BaseInteraction

assert issubclass(verl_mod.BatCoderInteraction, BaseInteraction)
for c in cases:
    e = c["expected"]
    gt = json.dumps({"code": c["code"], "lang": c["lang"]})
    for j, doc in enumerate(c["docsRaw"]):
        r = verl_mod.compute_score("batcoder/code2doc", doc, gt, {"index": j})
        assert r["score"] == e["rDoc"][j]
        checked["verl_score"] += 1
        if e["rDoc"][j] > 0:
            r = verl_mod.compute_score("batcoder/doc2code", c["reconsRaw"][j], {"code": c["code"], "lang": c["lang"]}, None)
            assert r["score"] == e["similarity"][j]
            checked["verl_score"] += 1

    inter = verl_mod.BatCoderInteraction({"name": "batcoder", "url": fixture["url"], "episode_reward": "sum"})
    for j, doc in enumerate(c["docsRaw"]):

        async def episode():
            iid = await inter.start_interaction(None, code=c["code"], lang=c["lang"], name="batcoder")
            messages = [{"role": "user", "content": "(stage-1 prompt)"}, {"role": "assistant", "content": doc}]
            done, content, score1, info = await inter.generate_response(iid, messages)
            turns = [score1]
            if e["rDoc"][j] == 0:
                assert done and score1 == 0.0
            else:
                assert not done and score1 == 0.0
                assert content == user_content(e["stage2Prompt"][j])
                messages += [{"role": "user", "content": content}, {"role": "assistant", "content": c["reconsRaw"][j]}]
                done, content, score2, info = await inter.generate_response(iid, messages)
                assert done and score2 == e["code2doc"][j] + e["doc2code"][j]
                assert info["similarity"] == e["similarity"][j]
                turns.append(score2)
                assert await inter.calculate_score(iid) == score2
            await inter.finalize_interaction(iid)
            return turns

        turns = asyncio.run(episode())
        got = verl_mod.compute_score("batcoder/two-stage", "(both turns)", "", {"turn_scores": turns})
        want = 0.0 if e["rDoc"][j] == 0 else e["code2doc"][j] + e["doc2code"][j]
        assert got["score"] == want
        checked["verl_interaction"] += 1

# ---- errors reach the caller as BatCoderError naming the field --------------------------------
from batcoder_client import BatCoderClient, BatCoderError, parse_label

try:
    BatCoderClient(fixture["url"]).format("doc", "code", "cobol")
    raise AssertionError("expected a 400")
except BatCoderError as err:
    assert err.status == 400 and err.body["error"] == "unknown_lang"
    checked["errors"] += 1
try:
    parse_label('{"code": 1}')
    raise AssertionError("expected a ValueError")
except ValueError:
    checked["errors"] += 1
try:
    verl_mod.compute_score("batcoder/two-stage", "", "", {})
    raise AssertionError("expected a ValueError")
except ValueError:
    checked["errors"] += 1

print("OK " + json.dumps(checked))
