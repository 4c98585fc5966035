"""Stand-in for verl/experimental/agent_loop/agent_loop.py at verl main b178a3c (v0.7.0-125),
for tests without PyPI: AgentLoopMetrics and AgentLoopOutput with upstream's fields and defaults
(plain classes instead of pydantic models), AgentLoopBase.__init__ with upstream's signature and
attribute assignments (less the system-prompt and event-loop helpers), the abstract run(), and
register() / _agent_loop_registry as upstream."""
from abc import ABC, abstractmethod
from typing import Any


class AgentLoopMetrics:
    def __init__(self, generate_sequences: float = 0.0, tool_calls: float = 0.0, num_preempted: int = -1):
        self.generate_sequences = generate_sequences
        self.tool_calls = tool_calls
        self.num_preempted = num_preempted


class AgentLoopOutput:
    _required = ("prompt_ids", "response_ids", "response_mask", "metrics")
    _defaults = {"response_logprobs": None, "routed_experts": None, "multi_modal_data": None, "reward_score": None, "num_turns": 0, "extra_fields": {}}

    def __init__(self, **fields):
        missing = [k for k in self._required if k not in fields]
        unknown = [k for k in fields if k not in self._required and k not in self._defaults]
        if missing or unknown:
            raise TypeError(f"AgentLoopOutput: missing {missing}, unknown {unknown}")
        for k, v in {**self._defaults, **fields}.items():
            setattr(self, k, v)
        if not isinstance(self.metrics, AgentLoopMetrics):
            raise TypeError("AgentLoopOutput.metrics must be an AgentLoopMetrics")


class DictConfigWrap:
    def __init__(self, config):
        self.config = config


class AgentLoopBase(ABC):
    def __init__(self, trainer_config: DictConfigWrap, server_manager, tokenizer, processor, dataset_cls, dataset_config: DictConfigWrap, **kwargs):
        self.config = trainer_config.config
        self.server_manager = server_manager
        self.tokenizer = tokenizer
        self.processor = processor
        self.dataset_cls = dataset_cls
        self.dataset_config = dataset_config.config

    @abstractmethod
    async def run(self, sampling_params: dict[str, Any], **kwargs) -> AgentLoopOutput:
        raise NotImplementedError


_agent_loop_registry: dict[str, dict] = {}


def register(agent_name: str):
    def decorator(subclass):
        fqdn = f"{subclass.__module__}.{subclass.__qualname__}"
        _agent_loop_registry[agent_name] = {"_target_": fqdn}
        return subclass

    return decorator
