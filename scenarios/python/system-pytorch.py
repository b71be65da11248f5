# Twin of scenarios/system/pytorch.yaml: wandb's own system-test flow flow_pytorch.py (wandb
# tests/system_tests/test_functional/metaflow/, at b6e2950588). `start` is the original; `train` keeps the
# model, the optimizer and the epoch loop but not the torchvision data loading and the batch loop (wandb.log
# calls on a loss no one can know before running; the system test asserts nothing about them).
import os

import torch
import torch.nn as nn
import torch.nn.functional as F  # noqa: N812
import torch.optim as optim
import wandb
from metaflow import FlowSpec, Parameter, step
from torch.optim.lr_scheduler import StepLR
from wandb.integration.metaflow import wandb_log

os.environ["METAFLOW_USER"] = "test_user"
os.environ["USER"] = os.environ["METAFLOW_USER"]


@wandb_log
class WandbPyTorchFlow(FlowSpec):
    batch_size = Parameter("batch_size", default=64)
    test_batch_size = Parameter("test_batch_size", default=1000)
    epochs = Parameter("epochs", default=1)
    lr = Parameter("lr", default=1.0)
    gamma = Parameter("gamma", default=0.7)
    no_cuda = Parameter("no_cuda", default=False)
    seed = Parameter("seed", default=1)
    log_interval = Parameter("log_interval", default=10)
    save_model = Parameter("save_model", default=False)

    @wandb_log(datasets=True, models=True, others=True)
    @step
    def start(self):
        self.use_cuda = not self.no_cuda and torch.cuda.is_available()
        torch.manual_seed(self.seed)
        self.train_kwargs = {"batch_size": self.batch_size}
        self.test_kwargs = {"batch_size": self.test_batch_size}
        if self.use_cuda:
            self.cuda_kwargs = {"num_workers": 1, "pin_memory": True, "shuffle": True}
            self.train_kwargs.update(self.cuda_kwargs)
            self.test_kwargs.update(self.cuda_kwargs)
        self.next(self.train)

    @step
    def train(self):
        torch.manual_seed(self.seed)
        device = "cuda" if self.use_cuda else "cpu"
        self.model = Net()
        optimizer = optim.Adadelta(self.model.parameters(), lr=self.lr)
        scheduler = StepLR(optimizer, step_size=1, gamma=self.gamma)
        for epoch in range(1, self.epochs + 1):
            print(f"epoch {epoch} on {device}, logging every {self.log_interval} batches")
            scheduler.step()

        if self.save_model:
            torch.save(self.model.state_dict(), "mnist_cnn.pt")

        self.next(self.end)

    @step
    def end(self):
        pass


# ADAPTED FROM PYTORCH MNIST DEMO


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.fc(x)
        output = F.log_softmax(x, dim=1)
        return output


if __name__ == "__main__":
    wandb.setup()
    WandbPyTorchFlow()
