"""A tiny convolutional network that tells bars from crosses in 16x16 grey images."""

import torch
from torch import nn

CLASSES = ("horizontal", "vertical", "cross", "blank")


class TinyCNN(nn.Module):
    """Two conv blocks and a linear head: 1x16x16 image -> logits over CLASSES."""

    example_input_shape = (1, 1, 16, 16)

    def __init__(self, num_classes: int = len(CLASSES), width: int = 8):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.BatchNorm2d(2 * width),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(2),
        )
        self.head = nn.Linear(2 * width * 4, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.flatten(self.features(x), 1))


def synthetic_images(n: int, generator: torch.Generator):
    """Images of a random bar, cross or nothing at a random place, with noise, and their labels."""
    labels = torch.randint(0, len(CLASSES), (n,), generator=generator)
    images = 0.1 * torch.randn(n, 1, 16, 16, generator=generator)
    pos = torch.randint(3, 13, (n, 2), generator=generator)
    for i in range(n):
        r, c = int(pos[i, 0]), int(pos[i, 1])
        kind = CLASSES[int(labels[i])]
        if kind in ("horizontal", "cross"):
            images[i, 0, r, 2:14] += 1.0
        if kind in ("vertical", "cross"):
            images[i, 0, 2:14, c] += 1.0
    return images, labels
