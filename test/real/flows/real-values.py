# Issue 29's classes as a user writes them, run for real and planned: values from the user's own module (unknown to
# the plan: typed where the type is certain, never a stand-in), %-formatting (exact, as CPython), numpy arrays,
# numpy scalars and constructed pandas frames pickled as `others` (byte-exact), a derived frame and a fitted
# estimator (bytes not predicted, said in the log), and sets of str (hash order: random per process) beside sets of
# ints (CPython's exact order); a join's list holding one branch's unknown.
import numpy as np
import pandas as pd
from metaflow import FlowSpec, step
from sklearn.linear_model import LogisticRegression
from mf_head import wandb_log

from naming import run_prefix, shard_sizes


@wandb_log(datasets=True, models=True, others=True)
class ValuesFlow(FlowSpec):
    @step
    def start(self):
        self.label = "%s-%03d (%.2f%%)" % ("run", 7, 12.345)
        self.prefix = str(run_prefix())
        self.sizes = list(shard_sizes())
        self.n_shards = len(self.sizes)
        self.next(self.combine, self.side)

    @step
    def combine(self):
        self.names = [self.prefix, "%s-%d" % (self.prefix, self.n_shards), f"{self.prefix}/x"]
        self.tags = list({"b", "a", "c"})
        self.ids = list({30, 10, 20})
        self.arr = np.arange(1, 9)
        self.grid = np.ones((2, 3), dtype=np.float32, order="F")
        self.scale = np.float64(0.5)
        self.flags = pd.Series([True, False], name="flag")
        self.part = self.prefix.upper()
        self.next(self.join)

    @step
    def side(self):
        self.part = "side"
        self.next(self.join)

    @step
    def join(self, inputs):
        # A join's list: the unknown from one branch stays unknown in it, the known one is exact.
        self.parts = [inp.part for inp in inputs]
        self.merge_artifacts(inputs, exclude=["part"])
        self.next(self.end)

    @wandb_log(datasets=False, models=True, others=True)
    @step
    def end(self):
        # datasets=False: the frames fall through to `others` and are pickled.
        self.df = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
        self.top = self.df[self.df["a"] > 1]
        self.clf = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
        self.summary_line = "%(n)d shards of %(p)s" % {"n": self.n_shards, "p": self.prefix}


if __name__ == "__main__":
    ValuesFlow()
