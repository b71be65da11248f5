# An sklearn estimator and a torch module (current profile), both seeded, logged as models; a DataFrame as a
# dataset. `evaluate` uses them (lineage); its score is pinned in real-models.values.yaml.
import pandas as pd
import torch
from metaflow import FlowSpec, step
from sklearn.linear_model import LogisticRegression
from mf_head import wandb_log


@wandb_log(datasets=True, models=True)
class ModelsFlow(FlowSpec):
    @step
    def start(self):
        self.train_df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "y": [0, 0, 1, 1]})
        self.next(self.train)

    @step
    def train(self):
        torch.manual_seed(0)
        self.net = torch.nn.Linear(1, 1)
        self.clf = LogisticRegression(random_state=0)
        self.clf.fit(self.train_df[["x"]], self.train_df["y"])
        self.next(self.evaluate)

    @step
    def evaluate(self):
        self.score = self.clf.score(self.train_df[["x"]], self.train_df["y"])
        print(self.net)
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    ModelsFlow()
