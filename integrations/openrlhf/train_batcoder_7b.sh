#!/bin/bash
# BatCoder at 7B on OpenRLHF v0.11.0 (flags as in openrlhf/cli/train_ppo_ray.py of that release):
# the two-stage loop as a custom AgentExecutor (agent_func.py: stage 2 in a fresh context, one
# sample per stage), rewards from `batcoder serve`, REINFORCE++ (reinforce: no group baseline,
# global normalisation, as the local trainer's default), KL 0 (no reference model is started),
# dynamic filtering, K = 8 docs per code = BATCODER_K, n_samples_per_prompt = 2K = 16 (K doc
# samples + K code samples per code). See docs/serve.md, "BatCoder at 7B on a Ray cluster".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
MODEL_PATH="${MODEL_PATH:-Qwen/Qwen2.5-Coder-7B-Instruct}"
DATASET_PATH="${DATASET_PATH:-$HOME/data/batcoder/train.jsonl}"   # from integrations/make_dataset.py
SAVE_PATH="${SAVE_PATH:-$HOME/exp/batcoder-7b}"
export BATCODER_URL="${BATCODER_URL:-http://127.0.0.1:5000}"     # `batcoder serve` on the head node
export BATCODER_K="${BATCODER_K:-8}"                               # docs per code
export BATCODER_BASELINE="${BATCODER_BASELINE:-none}"              # none | group-mean (per stage)

ray job submit --address="${RAY_ADDRESS:-http://127.0.0.1:8265}" \
  --runtime-env-json="{\"env_vars\": {\"BATCODER_URL\": \"${BATCODER_URL}\", \"BATCODER_K\": \"${BATCODER_K}\", \"BATCODER_BASELINE\": \"${BATCODER_BASELINE}\"}}" \
  -- python3 -m openrlhf.cli.train_ppo_ray \
  --actor.model_name_or_path "${MODEL_PATH}" \
  --train.agent_func_path "${HERE}/agent_func.py" \
  --data.prompt_dataset "${DATASET_PATH}" \
  --data.input_key prompt \
  --data.label_key label \
  --data.max_len 2048 \
  --rollout.max_new_tokens 512 \
  --rollout.batch_size 64 \
  --rollout.n_samples_per_prompt $((2 * BATCODER_K)) \
  --eval.n_samples_per_prompt $((2 * BATCODER_K)) \
  --rollout.temperature 1.0 \
  --rollout.micro_batch_size 8 \
  --train.batch_size $((64 * 2 * BATCODER_K)) \
  --train.micro_batch_size 4 \
  --train.max_epochs 1 \
  --train.num_episodes 1 \
  --algo.advantage.estimator reinforce \
  --algo.kl.init_coef 0 \
  --algo.dynamic_filtering_enable \
  --algo.dynamic_filtering_range 0.0 1.0 \
  --actor.adam.lr 1e-6 \
  --actor.eps_clip 0.2 \
  --actor.entropy_coef 0.0 \
  --actor.num_nodes 1 \
  --actor.num_gpus_per_node 8 \
  --vllm.num_engines 4 \
  --vllm.tensor_parallel_size 2 \
  --vllm.gpu_memory_utilization 0.6 \
  --vllm.enable_sleep \
  --train.colocate_all \
  --ds.zero_stage 3 \
  --ds.param_dtype bf16 \
  --actor.gradient_checkpointing_enable \
  --ckpt.output_dir "${SAVE_PATH}" \
  --ckpt.path "${SAVE_PATH}/ckpt" \
  --ckpt.save_steps 20 \
  --ckpt.save_hf \
  --logger.logging_steps 1 \
  --logger.tensorboard_dir "${SAVE_PATH}/runs"
