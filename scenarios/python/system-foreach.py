# Twin of wandb's own system-test flow flow_foreach.py (wandb tests/system_tests/test_functional/metaflow/, at
# b6e2950588), as modelled by "foreach" in test/integration/system-flows.test.ts (the scenario format cannot
# compute a child's value from `self.input`, so that model is TypeScript: test/helpers/system-flows.ts).
# One change from the original: setup_model looks the class up in a dict instead of `eval(name)`.
# What read_csv / train_test_split give and each child's prediction are pinned in system-foreach.values.yaml.
# Run with --param raw_data=/flows/wine.csv.
import os
import pathlib

import pandas as pd
import wandb
from metaflow import FlowSpec, Parameter, step
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from wandb.integration.metaflow import wandb_log

os.environ["METAFLOW_USER"] = "test_user"
os.environ["USER"] = os.environ["METAFLOW_USER"]

ESTIMATORS = {
    "RandomForestClassifier": RandomForestClassifier,
    "GradientBoostingClassifier": GradientBoostingClassifier,
}


def setup_model(name, *args, **kwargs):
    return ESTIMATORS[name](*args, **kwargs)


@wandb_log
class WandbForeachFlow(FlowSpec):
    seed = Parameter("seed", default=1337)
    test_size = Parameter("test_size", default=0.2)
    raw_data = Parameter(
        "raw_data",
        default=pathlib.Path(__file__).parent / "wine.csv",
        help="path to the raw data",
    )

    @wandb_log(datasets=True, models=True, others=True)
    @step
    def start(self):
        self.models = ["RandomForestClassifier", "GradientBoostingClassifier"]
        self.raw_df = pd.read_csv(self.raw_data)
        X = self.raw_df.drop("Wine", axis=1)
        y = self.raw_df[["Wine"]]
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=self.test_size, random_state=self.seed
        )
        self.next(self.train, foreach="models")

    @step
    def train(self):
        self.model_name = self.input
        self.clf = setup_model(
            self.model_name,
            n_estimators=2,
            max_depth=2,
            random_state=self.seed,
        )
        self.clf.fit(self.X_train, self.y_train)
        self.preds = self.clf.predict(self.X_test)
        self.accuracy = accuracy_score(self.y_test, self.preds)
        self.next(self.join_train)

    @step
    def join_train(self, inputs):
        self.results = [
            {
                "model_name": input.model_name,
                "preds": input.preds,
                "accuracy": input.accuracy,
            }
            for input in inputs
        ]
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    wandb.setup()
    WandbForeachFlow()
