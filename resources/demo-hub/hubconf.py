"""Hubcap's demo hub repository: small models that need nothing but torch.

Try it with Python::

    import torch
    model = torch.hub.load("path/to/demo-hub", "tiny_cnn", source="local")

or with Hubcap::

    hubcap-cli list path/to/demo-hub --source local
    hubcap-cli load path/to/demo-hub tiny_cnn --source local --export torchscript --output cnn.pt
"""

dependencies = ["torch"]

import os

import torch

from demo.cnn import CLASSES, TinyCNN
from demo.mlp import SpiralMLP
from demo.tokenizer import CharTokenizer

_WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")


def _load_weights(model, name):
    state = torch.load(os.path.join(_WEIGHTS, name), map_location="cpu")
    model.load_state_dict(state)
    return model


def tiny_cnn(pretrained: bool = True, width: int = 8):
    """A tiny CNN that tells horizontal bars, vertical bars, crosses and blank images apart.

    Input: a float tensor of shape (N, 1, 16, 16). Output: logits of shape (N, 4) over
    ``("horizontal", "vertical", "cross", "blank")``. About 3,500 parameters.

    Args:
        pretrained (bool): load the weights shipped in ``weights/tiny_cnn.pt`` (trained by
            ``make_weights.py`` on synthetic images; >95% accuracy). Default: True.
        width (int): channels of the first convolution. Pretrained weights need 8.

    Example::

        >>> model = torch.hub.load("path/to/demo-hub", "tiny_cnn", source="local")
        >>> image = torch.zeros(1, 1, 16, 16); image[0, 0, 8, 2:14] = 1
        >>> model.eval()(image).argmax(1)  # 0: horizontal
        tensor([0])
    """
    model = TinyCNN(len(CLASSES), width)
    if pretrained:
        if width != 8:
            raise ValueError("pretrained weights exist for width=8 only")
        _load_weights(model, "tiny_cnn.pt")
    return model


def spiral_mlp(pretrained: bool = True, hidden: int = 32, depth: int = 2):
    """A multilayer perceptron that tells two interleaved spirals apart.

    Input: points of shape (N, 2) in roughly [-1, 1]. Output: logits of shape (N, 2).

    Args:
        pretrained (bool): load ``weights/spiral_mlp.pt`` (trained by ``make_weights.py``;
            >95% accuracy on fresh points). Default: True.
        hidden (int): width of the hidden layers. Pretrained weights need 32.
        depth (int): number of hidden layers. Pretrained weights need 2.

    Example::

        >>> mlp = torch.hub.load("path/to/demo-hub", "spiral_mlp", source="local")
        >>> mlp(torch.tensor([[0.1, 0.0]])).softmax(1)
    """
    model = SpiralMLP(hidden, depth)
    if pretrained:
        if (hidden, depth) != (32, 2):
            raise ValueError("pretrained weights exist for hidden=32, depth=2 only")
        _load_weights(model, "spiral_mlp.pt")
    return model


def char_tokenizer(vocabulary: str = "abcdefghijklmnopqrstuvwxyz0123456789 .,!?", lowercase: bool = True):
    """A character-level tokenizer (not a model: entrypoints may return any object).

    Args:
        vocabulary (str): the characters that get their own id (ids start at 2; 0 is padding,
            1 is unknown).
        lowercase (bool): lower-case text before encoding. Default: True.

    Example::

        >>> tok = torch.hub.load("path/to/demo-hub", "char_tokenizer", source="local")
        >>> tok.encode("Hi!", length=5)
        [9, 10, 41, 0, 0]
        >>> tok.decode([9, 10, 41])
        'hi!'
    """
    return CharTokenizer(vocabulary, lowercase)
