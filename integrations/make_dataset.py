"""Build BatCoder prompt datasets for OpenRLHF and verl from code, with the trainer's own prompts.

    python3 integrations/make_dataset.py CODE.jsonl OUT_DIR [--url http://127.0.0.1:5000] [--style qwen2-chat]

CODE.jsonl: one {"code": ..., "lang": "python"|"ruby"|"go"|"javascript"} per line (code only:
BatCoder needs no docs). Never put HumanEval here: it is the final benchmark.
Writes, with the stage-1 prompt from `batcoder serve` (/v1/stage1-prompt, the trainer's text):
  OUT_DIR/openrlhf.jsonl  {"prompt": <stage-1 prompt text>, "label": <JSON {code, lang, style}>}
                          (--data.input_key prompt --data.label_key label, no chat template:
                          the text already is the chat)
  OUT_DIR/verl.jsonl      verl rows: data_source "batcoder/two-stage", prompt = chat messages
                          (verl's dataset needs them; the agent loop encodes
                          extra_info.stage1_prompt, the exact text, instead), reward_model.
                          ground_truth = the label, agent_name "batcoder_two_stage" (verl/
                          batcoder_agent_loop.py). verl reads parquet:
                          pandas.read_json(p, lines=True).to_parquet(...) where pandas is installed.
Stdlib only."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batcoder_client import BatCoderClient  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("code_jsonl")
    ap.add_argument("out_dir")
    ap.add_argument("--url", default=None)
    ap.add_argument("--style", default="qwen2-chat", choices=["qwen2-chat", "scratch"])
    a = ap.parse_args()
    client = BatCoderClient(a.url)
    os.makedirs(a.out_dir, exist_ok=True)
    n = 0
    with open(a.code_jsonl) as f, open(os.path.join(a.out_dir, "openrlhf.jsonl"), "w") as o, open(os.path.join(a.out_dir, "verl.jsonl"), "w") as v:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            row = json.loads(line)
            code, lang = row["code"], row["lang"]
            p = client.post("/v1/stage1-prompt", {"code": code, "lang": lang, "style": a.style})
            label = json.dumps({"code": code, "lang": lang, "style": a.style})
            o.write(json.dumps({"prompt": p["prompt"], "label": label}) + "\n")
            v.write(json.dumps({
                "data_source": "batcoder/two-stage",
                # no system message: Qwen2.5's chat template inserts its default one, as the trainer's prompt has
                "prompt": [{"role": "user", "content": p["user_content"]}],
                "ability": "code",
                "reward_model": {"style": "rule", "ground_truth": label},
                "extra_info": {"index": i, "stage1_prompt": p["prompt"]},
                "agent_name": "batcoder_two_stage",
            }) + "\n")
            n += 1
    print(f"wrote {n} rows to {a.out_dir}/openrlhf.jsonl and {a.out_dir}/verl.jsonl")


if __name__ == "__main__":
    main()
