# Twin of scenarios/docs/step.yaml: W&B docs, "Decorate your flows and steps", tab "Step".
# Only `start` is decorated. The CSV and the saved model are files this flow reads; what they hold is pinned in
# docs-step.values.yaml (the same DataFrame and module as the YAML twin).
import pandas as pd
import torch
import wandb
from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


class WandbExampleFlow(FlowSpec):
    @wandb_log(datasets=True, models=True, settings=wandb.Settings())
    @step
    def start(self):
        self.raw_df = pd.read_csv("data/raw.csv")  # pd.DataFrame -> upload as dataset
        self.model_file = torch.load("models/net.pt", weights_only=False)  # nn.Module -> upload as model
        self.next(self.transform)

    @step
    def transform(self):
        print(f"{len(self.raw_df)} rows")
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    WandbExampleFlow()
