# A switch (Metaflow's `condition=`), current profile: `start` picks `fast` from a literal; `slow` never runs.
from metaflow import FlowSpec, step
from mf_head import wandb_log


@wandb_log
class SwitchFlow(FlowSpec):
    @step
    def start(self):
        self.mode = "fast"
        self.next({"fast": self.fast, "slow": self.slow}, condition="mode")

    @step
    def fast(self):
        self.speed = 2.5
        self.next(self.end)

    @step
    def slow(self):
        self.speed = 0.5
        self.next(self.end)

    @step
    def end(self):
        self.report = f"speed {self.speed}"


if __name__ == "__main__":
    SwitchFlow()
