# A foreach inside a foreach (current profile): 2 x 2 inner tasks, each logging its own scalars, joined twice.
from metaflow import FlowSpec, step
from mf_head import wandb_log


@wandb_log(others=True)
class NestedForeachFlow(FlowSpec):
    @step
    def start(self):
        self.outer = ["a", "b"]
        self.next(self.split, foreach="outer")

    @step
    def split(self):
        self.letter = self.input
        self.inner = [1, 2]
        self.next(self.work, foreach="inner")

    @step
    def work(self):
        self.cell = f"{self.letter}{self.input}"
        self.next(self.join_inner)

    @step
    def join_inner(self, inputs):
        self.cells = [i.cell for i in inputs]
        self.next(self.join_outer)

    @step
    def join_outer(self, inputs):
        self.grid = [i.cells for i in inputs]
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    NestedForeachFlow()
