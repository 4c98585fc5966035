"""Stand-in for openrlhf/utils/agent.py of OpenRLHF v0.11.0 (commit 3c3be62), for tests without
PyPI: AgentExecutorBase with upstream's abstract execute() signature. What drives it upstream
(RolloutRayActor.generate_responses in openrlhf/trainer/ray/vllm_engine.py: asyncio.gather of
n_samples_per_prompt execute() calls of one prompt) is reproduced in test_integrations.py."""
from abc import ABC, abstractmethod


class AgentExecutorBase(ABC):
    @abstractmethod
    async def execute(self, prompt, label, sampling_params, max_length: int, hf_tokenizer, llm_engine, images=None):
        raise NotImplementedError("AgentExecutorBase.execute is not implemented")
