"""A small multilayer perceptron that classifies points of two interleaved spirals."""

import math

import torch
from torch import nn


class SpiralMLP(nn.Module):
    """(x, y) point -> logits for spiral 0 and spiral 1."""

    example_input_shape = (8, 2)

    def __init__(self, hidden: int = 32, depth: int = 2):
        super().__init__()
        layers = []
        width = 2
        for _ in range(depth):
            layers += [nn.Linear(width, hidden), nn.Tanh()]
            width = hidden
        layers.append(nn.Linear(width, 2))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def spirals(n: int, generator: torch.Generator, noise: float = 0.05):
    """n points on two interleaved spirals (labels 0/1), as used to train the weights."""
    labels = torch.randint(0, 2, (n,), generator=generator)
    t = torch.rand(n, generator=generator) * 3 * math.pi + 0.5
    angle = t + labels.float() * math.pi
    points = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], 1) / (3 * math.pi)
    return points + noise * torch.randn(n, 2, generator=generator), labels
