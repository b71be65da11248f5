# others=True (current profile, wandb's current integration): plain containers and a str go to history and
# summary whatever the flags; a tuple and an instance of a class of this file are pickled as `other` artifacts.
# `end` runs under its own run group and job type (wandb.Settings).
import wandb
from metaflow import FlowSpec, step
from mf_head import wandb_log


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


@wandb_log(datasets=True, models=True, others=True)
class OthersFlow(FlowSpec):
    @step
    def start(self):
        self.params = {"lr": 0.1, "layers": [2, 3]}
        self.names = ["a", "b", "c"]
        self.ids = {3, 1, 2}
        self.label = "baseline"
        self.pair = (1, "x")
        self.point = Point(1, 2)
        self.next(self.end)

    @wandb_log(others=True, settings=wandb.Settings(run_group="others-group", run_job_type="summing-up"))
    @step
    def end(self):
        self.total = self.point.x + self.point.y + len(self.names)


if __name__ == "__main__":
    OthersFlow()
