"""The OpenRLHF executor, the verl agent loop and verl's compute_score against a live
`batcoder serve`, with stand-ins for the framework classes (stubs/, signatures copied from
upstream) and a fake LLM engine that returns canned turns and records every prompt it is sent.
Run by test/serve/integrations.test.ts:
    python3 test_integrations.py FIXTURE.json
FIXTURE.json holds the server URL and what the local trainer's rollout computed on the same
canned turns (test/serve/fixture.ts); every reward here must equal it exactly.

What is checked, per code (K docs, one block of 2K calls as the frameworks make them):
  - the stage-2 prompt sent to the model equals /v1/stage2-prompt's `prompt` byte for byte and
    the local trainer's stage-2 prompt, and holds no line of the original code's body (the
    stage-1 prompt does: the check can fail);
  - doc samples: (stage-1 prompt, doc) with reward R_code2doc; code samples: (stage-2 prompt,
    reconstruction) with reward S, the trainer's numbers exactly;
  - a doc with R_doc = 0: reward 0, no stage-2 prompt built from it, its code slot refilled from
    a usable doc (or, when no doc is usable, a duplicate of the doc sample);
  - a block of the wrong size fails with an error naming the setting."""
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
K = len(cases[0]["docsRaw"])
os.environ["BATCODER_K"] = str(K)
checked = {"openrlhf_blocks": 0, "openrlhf_samples": 0, "verl_blocks": 0, "verl_samples": 0, "stage2_prompts": 0, "refills": 0, "duplicates": 0, "openrlhf_http": 0, "verl_score": 0, "errors": 0, "dataset_rows": 0, "hint_blocks": 0, "concurrent_blocks": 0}


def load(path, name):
    # as OpenRLHF's _load_agent_executor does (spec_from_file_location + exec_module)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def post(path, payload):
    req = urllib.request.Request(fixture["url"] + path, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=180) as res:
        return json.loads(res.read().decode("utf-8"))


def body_lines(code):
    """The original code's body: every line after the header, long enough to be telling."""
    return [ln.strip() for ln in code.split("\n")[1:] if len(ln.strip()) >= 8]


# ---- fakes: tokenizer (one token per character) and LLM engines (canned turns) ---------------
class _Ids(list):
    def tolist(self):
        return list(self)


class FakeTokenizer:
    eos_token_id = 0

    def __call__(self, text, add_special_tokens=False, return_tensors=None):
        return {"input_ids": [_Ids(ord(c) for c in text)]}

    def encode(self, text, add_special_tokens=False):
        return [ord(c) for c in text]

    def decode(self, ids, skip_special_tokens=True):
        return "".join(chr(i) for i in ids if not (skip_special_tokens and i == 0))


tok = FakeTokenizer()


class Canned:
    """Answers the case's stage-1 prompt with its raw docs in order and a stage-2 prompt with the
    raw reconstruction the trainer got for the same doc; records every prompt text."""

    def __init__(self, case, docs=None):
        self.case = case
        self.docs = list(docs if docs is not None else case["docsRaw"])
        self.seen = []

    def answer(self, text):
        self.seen.append(text)
        c = self.case
        if text == c["stage1Prompt"]:
            assert self.docs, "more stage-1 requests than docs"
            return self.docs.pop(0)
        for j, p in enumerate(c["expected"]["stage2Prompt"]):
            if p == text:
                return c["reconsRaw"][j]
        raise AssertionError("the model was sent a prompt that is neither the stage-1 prompt nor a trainer stage-2 prompt: " + text[-300:])


class SamplingParams:  # the vLLM fields the executor reads
    def __init__(self, max_tokens=None):
        self.max_tokens = max_tokens
        self.logprobs = None


class _Out:
    def __init__(self, text):
        self.text = text  # vLLM leaves the EOS text out of .text ...
        self.token_ids = [ord(c) for c in text] + [0]  # ... and keeps its id in token_ids
        self.logprobs = None
        self.finish_reason = "stop"


class _Req:
    def __init__(self, text):
        self.outputs = [_Out(text)]


class FakeVllm:  # RolloutRayActor.generate's signature (v0.11.0)
    def __init__(self, canned):
        self.canned = canned

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        assert sampling_params.max_tokens == 512
        return _Req(self.canned.answer("".join(chr(i) for i in prompt_token_ids)))


class _TokenOutput:
    def __init__(self, token_ids):
        self.token_ids = token_ids
        self.log_probs = None
        self.num_preempted = None


class FakeServerManager:  # AsyncLLMServerManager.generate's signature (b178a3c)
    def __init__(self, canned):
        self.canned = canned

    async def generate(self, request_id, *, prompt_ids, sampling_params, image_data=None, video_data=None):
        assert sampling_params["max_tokens"] == 512 and sampling_params["temperature"] == 1.0
        return _TokenOutput([ord(c) for c in self.canned.answer(tok.decode(prompt_ids))] + [0])


def check_stage2_prompts(case, canned, hint=None):
    """Every stage-2 prompt sent: the server's /v1/stage2-prompt text, the trainer's, no code body."""
    e = case["expected"]
    lines = body_lines(case["code"])
    assert lines and all(ln in case["stage1Prompt"] for ln in lines), "the body check must be able to fail"
    sent = [t for t in canned.seen if t != case["stage1Prompt"]]
    for t in sent:
        for ln in lines:
            assert ln not in t, f"a stage-2 prompt holds the code line {ln!r}"
    usable = [j for j, r in enumerate(e["rDoc"]) if r > 0]
    for j in usable:
        served = post("/v1/stage2-prompt", {"doc": e["rewritten"][j], "lang": case["lang"], "style": "qwen2-chat", **(hint or {})})["prompt"]
        if hint:
            assert hint["signature"] in served
        assert served == e["stage2Prompt"][j] and served in sent
        checked["stage2_prompts"] += 1
    # one stage-2 prompt per usable doc, none from a doc with R_doc = 0
    assert set(sent) == {e["stage2Prompt"][j] for j in usable}, "a stage-2 prompt that no usable doc made"
    return sent


def expect(case):
    """(stage, prompt text, response text, reward, refill) per slot, from the trainer's numbers."""
    e = case["expected"]
    usable = [j for j, r in enumerate(e["rDoc"]) if r > 0]
    unusable = [j for j, r in enumerate(e["rDoc"]) if r == 0]
    want = [("code2doc", case["stage1Prompt"], case["docsRaw"][j], e["code2doc"][j], 0) for j in range(K)]
    for j in range(K):
        i, refill = (j, 0) if e["rDoc"][j] > 0 else (usable[unusable.index(j) % len(usable)], 1)
        want.append(("doc2code", e["stage2Prompt"][i], case["reconsRaw"][i], e["doc2code"][i], refill))
    return want


# ---- OpenRLHF: the executor, driven as RolloutRayActor.generate_responses drives it ------------
agent = load(os.path.join(ROOT, "integrations", "openrlhf", "agent_func.py"), "agent_module")
from openrlhf.utils.agent import AgentExecutorBase  # noqa: E402

executor = agent.AgentExecutor()
assert isinstance(executor, AgentExecutorBase)


async def generate_responses(executor, prompt, label, engine, n):
    # vllm_engine.py v0.11.0: tasks = [self.executor.execute(...) for _ in range(num_samples)]; gather
    tasks = [executor.execute(prompt=prompt, label=label, sampling_params=SamplingParams(512), max_length=1 << 20, hf_tokenizer=tok, llm_engine=engine) for _ in range(n)]
    return await asyncio.gather(*tasks)


def obs_text(out):
    return "".join(chr(i) for i in out["observation_tokens"])


for c in cases:
    label = json.dumps({"code": c["code"], "lang": c["lang"]})
    canned = Canned(c)
    outs = asyncio.run(generate_responses(executor, c["stage1Prompt"], label, FakeVllm(canned), 2 * K))
    check_stage2_prompts(c, canned)
    for n, (out, (stage, prompt, resp, reward, refill)) in enumerate(zip(outs, expect(c))):
        assert out["prompt"] == prompt and out["label"] == label
        assert obs_text(out) == prompt + resp + "\x00", (n, obs_text(out)[-200:])
        assert out["action_ranges"] == [(len(prompt), len(prompt) + len(resp) + 1)]
        assert out["reward"] == reward and out["scores"] == reward, (n, out["reward"], reward)
        assert out["extra_logs"]["stage_doc2code"] == (1.0 if stage == "doc2code" else 0.0) and out["extra_logs"]["refill"] == refill
        checked["refills"] += refill
        checked["openrlhf_samples"] += 1
    checked["openrlhf_blocks"] += 1

# many prompts at once on one engine, one of them twice (RolloutRayActor serves concurrent
# generate_responses calls on one event loop): every block still gets its own calls
async def concurrent():
    ex = agent.AgentExecutor()
    jobs = [generate_responses(ex, c["stage1Prompt"], json.dumps({"code": c["code"], "lang": c["lang"]}), FakeVllm(Canned(c)), 2 * K) for c in cases + cases[:1]]
    return await asyncio.gather(*jobs)


for c, outs in zip(cases + cases[:1], asyncio.run(concurrent())):
    assert [o["reward"] for o in outs] == [w[3] for w in expect(c)]
    assert [obs_text(o) for o in outs] == [w[1] + w[2] + "\x00" for w in expect(c)]
    checked["concurrent_blocks"] += 1

# the trainer's --signature-hint: labels carry signature_hint and the suite task's signature
for c in fixture["hintCases"]:
    hint = {"signature_hint": True, "signature": c["signature"], "code": c["code"]}
    label = json.dumps({"lang": c["lang"], **hint})
    canned = Canned(c)
    outs = asyncio.run(generate_responses(executor, c["stage1Prompt"], label, FakeVllm(canned), 2 * K))
    check_stage2_prompts(c, canned, hint)
    assert [o["reward"] for o in outs] == [w[3] for w in expect(c)]
    checked["hint_blocks"] += 1

# per-stage group-mean baseline: raw reward minus the block's mean of the same stage
rollout_mod = sys.modules["batcoder_two_stage"]
c = cases[0]
gm = agent.AgentExecutor()
gm.rollout = rollout_mod.TwoStageRollout(baseline="group-mean")
outs = asyncio.run(generate_responses(gm, c["stage1Prompt"], json.dumps({"code": c["code"], "lang": c["lang"]}), FakeVllm(Canned(c)), 2 * K))
want = [w[3] for w in expect(c)]
for lo in (0, K):
    mean = sum(want[lo : lo + K]) / K
    assert [o["reward"] for o in outs[lo : lo + K]] == [r - mean for r in want[lo : lo + K]]
    assert [o["scores"] for o in outs[lo : lo + K]] == want[lo : lo + K]

# no usable doc: K doc samples with reward 0, each duplicated in its code slot; no stage-2 prompt
bad = "```" + c["lang"] + "\n" + c["code"] + "\n```"
canned = Canned(c, docs=[bad] * K)
outs = asyncio.run(generate_responses(executor, c["stage1Prompt"], json.dumps({"code": c["code"], "lang": c["lang"]}), FakeVllm(canned), 2 * K))
assert canned.seen == [c["stage1Prompt"]] * K, "no stage-2 prompt may be built from docs with R_doc = 0"
assert all(o["reward"] == 0 and o["extra_logs"]["r_doc"] == 0 and o["extra_logs"]["stage_doc2code"] == 0 for o in outs)
assert all(obs_text(o) == c["stage1Prompt"] + bad + "\x00" and len(o["action_ranges"]) == 1 for o in outs)
assert [o["extra_logs"]["duplicate"] for o in outs] == [0] * K + [1] * K
checked["duplicates"] += K

# a block of the wrong size (n_samples_per_prompt = K instead of 2K) fails, naming the setting
try:
    asyncio.run(generate_responses(agent.AgentExecutor(), c["stage1Prompt"], json.dumps({"code": c["code"], "lang": c["lang"]}), FakeVllm(Canned(c)), K))
    raise AssertionError("expected a ValueError")
except ValueError as err:
    assert "n_samples_per_prompt" in str(err) and "rollout.n" in str(err)
    checked["errors"] += 1

# ---- verl: the agent loop, driven as AgentLoopWorker.generate_sequences drives it ---------------
verl_loop = load(os.path.join(ROOT, "integrations", "verl", "batcoder_agent_loop.py"), "batcoder_agent_loop")
from types import SimpleNamespace  # noqa: E402

from verl.experimental.agent_loop.agent_loop import AgentLoopBase, DictConfigWrap, _agent_loop_registry  # noqa: E402

assert issubclass(verl_loop.BatCoderTwoStageAgentLoop, AgentLoopBase)
assert _agent_loop_registry["batcoder_two_stage"] == {"_target_": "batcoder_agent_loop.BatCoderTwoStageAgentLoop"}
trainer_config = SimpleNamespace(actor_rollout_ref=SimpleNamespace(rollout=SimpleNamespace(prompt_length=1 << 20, response_length=512)))


async def generate_sequences(rows, canned):
    # agent_loop.py b178a3c: one asyncio.create_task per row (kwargs = the row's non-tensor
    # fields), each instantiating the registered class (hydra: the yaml's name is passed on)
    sampling_params = dict(temperature=1.0, top_p=1.0, top_k=-1, repetition_penalty=1.0, logprobs=False)

    async def one(row):
        loop = verl_loop.BatCoderTwoStageAgentLoop(
            name="batcoder_two_stage", trainer_config=DictConfigWrap(trainer_config), server_manager=FakeServerManager(canned),
            tokenizer=tok, processor=None, dataset_cls=None, dataset_config=DictConfigWrap({}),
        )
        return await loop.run(sampling_params, **row)

    tasks = [asyncio.create_task(one(r)) for r in rows]
    return await asyncio.gather(*tasks)


for i, c in enumerate(cases):
    label = json.dumps({"code": c["code"], "lang": c["lang"], "style": "qwen2-chat"})
    row = {
        "raw_prompt": [{"role": "user", "content": "(stage-1 chat, unused)"}], "uid": f"uid-{i}", "index": i, "data_source": "batcoder/two-stage",
        "reward_model": {"style": "rule", "ground_truth": label}, "extra_info": {"index": i, "stage1_prompt": c["stage1Prompt"]},
    }
    canned = Canned(c)
    outs = asyncio.run(generate_sequences([dict(row) for _ in range(2 * K)], canned))
    check_stage2_prompts(c, canned)
    for n, (out, (stage, prompt, resp, reward, refill)) in enumerate(zip(outs, expect(c))):
        assert tok.decode(out.prompt_ids) == prompt and tok.decode(out.response_ids) == resp
        assert out.response_mask == [1] * (len(resp) + 1) and out.num_turns == 2
        assert out.reward_score == reward, (n, out.reward_score, reward)
        info = out.extra_fields["reward_extra_info"]
        assert info["score"] == reward and info["refill"] == refill and info["stage_doc2code"] == (1.0 if stage == "doc2code" else 0.0)
        checked["verl_samples"] += 1
    checked["verl_blocks"] += 1

# rows with no stage-1 prompt fail with a message naming the fields
try:
    asyncio.run(generate_sequences([{"uid": "x", "reward_model": {"ground_truth": "{}"}, "extra_info": {}}] * (2 * K), Canned(cases[0])))
    raise AssertionError("expected a ValueError")
except ValueError as err:
    assert "extra_info.stage1_prompt" in str(err)
    checked["errors"] += 1

# ---- make_dataset.py: both prompt sets carry the trainer's stage-1 prompt --------------------
import subprocess  # noqa: E402
import tempfile  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "code.jsonl")
    with open(src, "w") as f:
        for c in cases:
            f.write(json.dumps({"code": c["code"], "lang": c["lang"]}) + "\n")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "integrations", "make_dataset.py"), src, tmp, "--url", fixture["url"]], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    o_rows = [json.loads(x) for x in open(os.path.join(tmp, "openrlhf.jsonl"))]
    v_rows = [json.loads(x) for x in open(os.path.join(tmp, "verl.jsonl"))]
    for c, o, v in zip(cases, o_rows, v_rows, strict=True):
        assert o["prompt"] == c["stage1Prompt"] and v["extra_info"]["stage1_prompt"] == c["stage1Prompt"]
        assert v["agent_name"] == "batcoder_two_stage" and json.loads(v["reward_model"]["ground_truth"])["code"] == c["code"]
        checked["dataset_rows"] += 1

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
answer = post("/get_reward", {"query": query, "prompts": prompts, "labels": labels})
assert answer["rewards"] == want and answer["scores"] == want, (answer["rewards"], want)
assert answer["extra_logs"]["similarity"] == want
checked["openrlhf_http"] += len(want)

# ---- verl: compute_score (single-stage data sources) ------------------------------------------
verl_mod = load(os.path.join(ROOT, "integrations", "verl", "batcoder_reward.py"), "batcoder_reward")
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

# ---- errors reach the caller as BatCoderError / ValueError naming the thing -------------------
from batcoder_client import BatCoderClient, BatCoderError, parse_label  # noqa: E402

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
except ValueError as err:
    assert "batcoder_two_stage" in str(err)
    checked["errors"] += 1
try:
    rollout_mod.TwoStageRollout(baseline="median")
    raise AssertionError("expected a ValueError")
except ValueError as err:
    assert "BATCODER_BASELINE" in str(err)
    checked["errors"] += 1

print("OK " + json.dumps(checked))
