# Twin of scenarios/graphs/foreach.yaml: the foreach pattern of the docs and of wandb's flow_foreach.py, over 3
# model names. Every child fits the same kind of model (a RandomForest), so the three `clf`s are identical and
# deduplicate to one version; the join reads its inputs only (never tracked). Literal data: nothing is read.
import pandas as pd
from metaflow import FlowSpec, step
from sklearn.ensemble import RandomForestClassifier
from wandb.integration.metaflow import wandb_log


@wandb_log(datasets=True, models=True)
class ForeachFlow(FlowSpec):
    @step
    def start(self):
        self.models = ["rf", "gb", "lr"]
        self.X = pd.DataFrame({"x": [1, 2]})
        self.next(self.train, foreach="models")

    @step
    def train(self):
        print(f"split {self.index}: {self.input}")
        print(f"{len(self.X)} rows")
        self.model_name = "rf"
        self.clf = RandomForestClassifier()
        self.next(self.join)

    @step
    def join(self, inputs):
        trained = [i.model_name for i in inputs]
        print(f"trained {trained}")
        self.results = [0.8, 0.9, 0.7]
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    ForeachFlow()
