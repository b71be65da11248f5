# pathlib.Path datasets (legacy profile, wandb 0.18.7's integration): a file, a directory (entries relative to
# it) and a path that does not exist (an empty artifact, still logged). The files are in data/, written by the
# test from real-paths.values.yaml, which pins the same contents for the plan.
import pathlib

from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


@wandb_log(datasets=True)
class PathsFlow(FlowSpec):
    @step
    def start(self):
        self.notes = pathlib.Path("data/notes.txt")
        self.tables = pathlib.Path("data/tables")
        self.absent = pathlib.Path("data/absent.txt")
        self.next(self.end)

    @step
    def end(self):
        print(self.notes.name, self.tables.name)


if __name__ == "__main__":
    PathsFlow()
