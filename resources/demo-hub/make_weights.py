#!/usr/bin/env python3
"""Trains the demo models on synthetic data and writes weights/*.pt (reproducible: fixed seeds,
one thread). Run from anywhere: python3 make_weights.py [--check]

--check retrains in memory and only verifies the accuracy of the shipped weights.
Weights are saved as plain dicts of tensors (torch.save(dict(state_dict))), which both
torch.load and libtorch's pickle reader understand.
"""

import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from demo.cnn import TinyCNN, synthetic_images  # noqa: E402
from demo.mlp import SpiralMLP, spirals  # noqa: E402


def train(model, data_fn, steps, lr, seed):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        x, y = data_fn(128, gen)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    x, y = data_fn(1000, torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main():
    torch.set_num_threads(1)
    os.makedirs(os.path.join(HERE, "weights"), exist_ok=True)
    check = "--check" in sys.argv
    for name, make, data_fn, steps, lr in (
        ("tiny_cnn", lambda: TinyCNN(4, 8), synthetic_images, 300, 0.01),
        ("spiral_mlp", lambda: SpiralMLP(32, 2), spirals, 1500, 0.01),
    ):
        torch.manual_seed(0)
        model = make()
        path = os.path.join(HERE, "weights", name + ".pt")
        if check:
            model.load_state_dict(torch.load(path))
            model.eval()
            x, y = data_fn(1000, torch.Generator().manual_seed(12345))
            with torch.no_grad():
                acc = (model(x).argmax(1) == y).float().mean().item()
        else:
            acc = train(model, data_fn, steps, lr, seed=1)
            torch.save(dict(model.state_dict()), path)
        print("%s: accuracy %.3f (%s)" % (name, acc, path))


if __name__ == "__main__":
    main()
