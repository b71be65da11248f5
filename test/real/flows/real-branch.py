# A static branch and a join that merges (legacy profile). The flow-level @wandb_log logs everything; the `b`
# branch overrides it with its own (nothing but scalars), and the join merges the branches' artifacts.
from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


@wandb_log(datasets=True, models=True, others=True)
class BranchFlow(FlowSpec):
    @step
    def start(self):
        self.start_value = 10
        self.shared = (1, 2)
        self.next(self.a, self.b)

    @step
    def a(self):
        self.from_a = self.start_value + 1
        self.blob_a = ("a", self.start_value)
        self.next(self.join)

    @wandb_log(others=False)
    @step
    def b(self):
        self.from_b = self.start_value + 2
        self.blob_b = ("b", self.start_value)
        self.next(self.join)

    @step
    def join(self, inputs):
        self.merge_artifacts(inputs)
        self.total = self.from_a + self.from_b
        self.next(self.end)

    @step
    def end(self):
        self.final = self.total * 2


if __name__ == "__main__":
    BranchFlow()
