# Twin of scenarios/docs/flow.yaml: W&B docs, "Decorate your flows and steps", tab "Flow".
# `@wandb_log(datasets=True, models=True)` on the class decorates every step. The files it reads are pinned in
# docs-flow.values.yaml (the same DataFrame and module as the YAML twin).
import pandas as pd
import torch
from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


@wandb_log(datasets=True, models=True)  # decorate all @step
class WandbExampleFlow(FlowSpec):
    @step
    def start(self):
        self.raw_df = pd.read_csv("data/raw.csv")  # pd.DataFrame -> upload as dataset
        self.model_file = torch.load("models/net.pt", weights_only=False)  # nn.Module -> upload as model
        self.next(self.transform)

    @step
    def transform(self):
        self.features = self.raw_df[["a"]]
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    WandbExampleFlow()
