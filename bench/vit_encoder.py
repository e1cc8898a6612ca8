"""A DINOv2-S/14-shaped image encoder for the feature benchmark, and PyTorch's own rate on it.

usage: vit_encoder.py OUT.pt THREADS BATCH

Builds a ViT with DINOv2 ViT-S/14's shape (patch 14, width 384, depth 12, 6 heads, MLP 4x, a
class token, 224 px input -> 257 tokens), random weights (the rate does not depend on them), saves
it as traced TorchScript for DJL, and prints `RESULT torch features/s <rate>`: eager PyTorch on the same
batch and thread count, the baseline of bench/run-feature-bench.sh.
"""
import sys
import time

import torch

WIDTH, DEPTH, HEADS, PATCH, SIZE = 384, 12, 6, 14, 224


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(WIDTH, eps=1e-6)
        self.qkv = torch.nn.Linear(WIDTH, 3 * WIDTH)
        self.proj = torch.nn.Linear(WIDTH, WIDTH)
        self.norm2 = torch.nn.LayerNorm(WIDTH, eps=1e-6)
        self.mlp = torch.nn.Sequential(
            torch.nn.Linear(WIDTH, 4 * WIDTH), torch.nn.GELU(), torch.nn.Linear(4 * WIDTH, WIDTH))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        qkv = self.qkv(self.norm1(x)).reshape(b, n, 3, HEADS, c // HEADS).permute(2, 0, 3, 1, 4)
        attended = torch.nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2])
        x = x + self.proj(attended.transpose(1, 2).reshape(b, n, c))
        return x + self.mlp(self.norm2(x))


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patches = torch.nn.Conv2d(3, WIDTH, PATCH, stride=PATCH)
        self.cls = torch.nn.Parameter(torch.zeros(1, 1, WIDTH))
        self.positions = torch.nn.Parameter(torch.randn(1, (SIZE // PATCH) ** 2 + 1, WIDTH) * .02)
        self.blocks = torch.nn.Sequential(*[Block() for _ in range(DEPTH)])
        self.norm = torch.nn.LayerNorm(WIDTH, eps=1e-6)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = self.patches(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.positions
        return self.norm(self.blocks(x))[:, 0]


def main(out, threads, batch):
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    model = Encoder().eval()
    images = torch.randn(batch, 3, SIZE, SIZE)
    # Traced, as DINOv2 exports usually are; any batch size runs the traced graph.
    with torch.inference_mode():
        torch.jit.save(torch.jit.trace(model, images[:2]), out)
    with torch.inference_mode():
        model(images)
        rounds, start = 3, time.perf_counter()
        for _ in range(rounds):
            model(images)
        rate = rounds * batch / (time.perf_counter() - start)
    print(f"RESULT torch features/s {rate:.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
