# Twin of scenarios/docs/flow-and-steps.yaml: W&B docs, "Decorate your flows and steps", tab "Flow and Steps".
# The flow logs datasets and models; `end` is decorated again and logs neither. Every step re-reads the same
# files, pinned in docs-flow-and-steps.values.yaml (the same DataFrame and module as the YAML twin).
import pandas as pd
import torch
from metaflow import FlowSpec, step
from wandb.integration.metaflow import wandb_log


@wandb_log(datasets=True, models=True)  # same as decorating start and mid
class WandbExampleFlow(FlowSpec):
    # this step will log datasets and models
    @step
    def start(self):
        self.raw_df = pd.read_csv("data/raw.csv")  # pd.DataFrame -> upload as dataset
        self.model_file = torch.load("models/net.pt", weights_only=False)  # nn.Module -> upload as model
        self.next(self.mid)

    # this step will also log datasets and models
    @step
    def mid(self):
        self.raw_df = pd.read_csv("data/raw.csv")  # pd.DataFrame -> upload as dataset
        self.model_file = torch.load("models/net.pt", weights_only=False)  # nn.Module -> upload as model
        self.next(self.end)

    # this step is overwritten and will NOT log datasets OR models
    @wandb_log(datasets=False, models=False)
    @step
    def end(self):
        self.raw_df = pd.read_csv("data/raw.csv")
        self.model_file = torch.load("models/net.pt", weights_only=False)


if __name__ == "__main__":
    WandbExampleFlow()
