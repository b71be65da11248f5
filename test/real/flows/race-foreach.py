# Foreach siblings that log one name (issue 27): every `train` child logs the dataset artifact "part" (its own
# bytes) and the scalar "score", so versions of "part" follow the order the children commit in, and the `end`
# step's use of "part:latest" names whichever committed last. Imports nothing heavy: each task starts fast.
import pathlib

from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


class RaceForeachFlow(FlowSpec):
    @step
    def start(self):
        self.names = ["alpha", "beta", "gamma", "delta"]
        self.next(self.train, foreach="names")

    @wandb_log(datasets=True)
    @step
    def train(self):
        path = pathlib.Path(f"part-{self.index}.txt")
        path.write_text(f"rows of {self.input}\n" * (self.index + 1))
        self.part = path
        self.score = len(self.input) + self.index / 10
        self.next(self.join)

    @step
    def join(self, inputs):
        self.part = inputs[0].part
        self.next(self.end)

    @wandb_log(datasets=True)
    @step
    def end(self):
        print(f"end reads {self.part}")


if __name__ == "__main__":
    RaceForeachFlow()
