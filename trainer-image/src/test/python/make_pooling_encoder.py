"""Writes the tiny TorchScript encoder the trainer's tests load through DJL.

It average-pools an image batch [B, 3, S, S] to 4x4 per channel and flattens it to [B, 48]: simple
enough that a test can compute the same features in Java and compare. Committed as
src/test/resources/torchscript/pooling-encoder.pt; regenerate with a torch that DJL's PyTorch
(2.7.1) can read:

    pip install torch==2.7.1 && python make_pooling_encoder.py OUTPUT.pt
"""
import sys

import torch


class PoolingEncoder(torch.nn.Module):
    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.adaptive_avg_pool2d(images, 4).flatten(1)


if __name__ == "__main__":
    torch.jit.save(torch.jit.script(PoolingEncoder()), sys.argv[1])
