# Twin of scenarios/system/decoclass.yaml: wandb's own system-test flow flow_decoclass.py
# (wandb tests/system_tests/test_functional/metaflow/, at b6e2950588), as its user wrote it. wine.csv is read
# from disk: what read_csv and train_test_split give, and the prediction, are pinned in system-decoclass.values.yaml
# (the values the YAML twin sets). Run with --param raw_data=/flows/wine.csv (the YAML twin's default).
import os
import pathlib

import pandas as pd
import wandb
from metaflow import FlowSpec, Parameter, step
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from wandb.integration.metaflow import wandb_log

os.environ["METAFLOW_USER"] = "test_user"
os.environ["USER"] = os.environ["METAFLOW_USER"]


@wandb_log(datasets=True, models=True, others=True)
class WandbExampleFlowDecoClass(FlowSpec):
    seed = Parameter("seed", default=1337)
    test_size = Parameter("test_size", default=0.2)
    raw_data = Parameter(
        "raw_data",
        default=pathlib.Path(__file__).parent / "wine.csv",
        help="path to the raw data",
    )

    @step
    def start(self):
        self.raw_df = pd.read_csv(self.raw_data)
        X = self.raw_df.drop("Wine", axis=1)
        y = self.raw_df[["Wine"]]
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=self.test_size, random_state=self.seed
        )
        self.next(self.train)

    @step
    def train(self):
        self.clf = RandomForestClassifier(
            n_estimators=2,
            max_depth=2,
            random_state=self.seed,
        )
        self.clf.fit(self.X_train, self.y_train)
        self.next(self.end)

    @step
    def end(self):
        self.preds = self.clf.predict(self.X_test)
        self.accuracy = accuracy_score(self.y_test, self.preds)


if __name__ == "__main__":
    wandb.setup()
    WandbExampleFlowDecoClass()
