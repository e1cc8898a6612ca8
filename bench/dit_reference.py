"""PyTorch-eager reference of the trainer's expert step, for bench/run-trainer-bench.sh.

The same DiT with adaLN-Zero as trainer-image's model package (DitPreset, DiffusionTransformer,
DitBlock, SelfAttention, FeedForward, FinalLayer, TimestepEmbedding, ClassEmbedding), op for op:
patch-2 conv embedding + fixed sin-cos positions, t*1000 sinusoidal features -> SiLU MLP, one-hot
class table (null class = num_classes), LayerNorm without affine (eps 1e-6), matmul attention,
exact GELU. The step mirrors FlowMatchingTrainer.trainStep: logit-normal t, Gaussian noise, 10%
label dropout, MSE on the velocity, backward, global-norm clipping at 1.0, AdamW (lr 1e-4, betas
0.9/0.999, eps 1e-8, no weight decay), EMA 0.9999.

Prints `RESULT torch <preset> <what> <median ms> <min ms> <parameters>` lines, like
TrainerStepBench. `--attention sdpa` swaps in torch's fused scaled_dot_product_attention (what a
PyTorch user would write; DJL has no such op) to show what that kernel is worth.
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

PRESETS = {"tiny": (4, 128, 4), "s": (12, 384, 6), "b": (12, 768, 12)}  # depth, width, heads
PATCH = 2
CHANNELS = 3
FREQUENCIES = 256


def sincos_positions(grid, width):
    """The 2-D table of SinCosPositions.java: width/4 frequencies, [sin, cos] of columns then rows."""
    quarter = width // 4
    omega = 1.0 / 10000 ** (torch.arange(quarter, dtype=torch.float64) / quarter)
    coords = torch.arange(grid, dtype=torch.float64)
    rows, cols = torch.meshgrid(coords, coords, indexing="ij")

    def embed(pos):
        angles = pos.reshape(-1, 1) * omega.reshape(1, -1)
        return torch.cat([angles.sin(), angles.cos()], dim=1)

    return torch.cat([embed(cols), embed(rows)], dim=1).float().unsqueeze(0)


def layer_norm(x):
    return F.layer_norm(x, x.shape[-1:], eps=1e-6)


def modulate(x, shift, scale):
    return x + x * scale + shift


class Attention(nn.Module):
    def __init__(self, width, heads, fused):
        super().__init__()
        self.heads, self.fused = heads, fused
        self.qkv = nn.Linear(width, 3 * width)
        self.projection = nn.Linear(width, width)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if self.fused:
            out = F.scaled_dot_product_attention(q, k, v)
        else:
            scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(d // self.heads))
            out = scores.softmax(-1) @ v
        return self.projection(out.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, width, heads, fused):
        super().__init__()
        self.attention = Attention(width, heads, fused)
        self.expand = nn.Linear(width, 4 * width)
        self.contract = nn.Linear(4 * width, width)
        self.modulation = nn.Linear(width, 6 * width)

    def forward(self, x, c):
        m = self.modulation(F.silu(c)).unsqueeze(1).chunk(6, dim=2)
        x = x + m[2] * self.attention(modulate(layer_norm(x), m[0], m[1]))
        hidden = F.gelu(self.expand(modulate(layer_norm(x), m[3], m[4])))
        return x + m[5] * self.contract(hidden)


class DiT(nn.Module):
    def __init__(self, preset, image_size, num_classes, fused):
        super().__init__()
        depth, width, heads = PRESETS[preset]
        self.grid = image_size // PATCH
        self.num_classes = num_classes
        self.patches = nn.Conv2d(CHANNELS, width, PATCH, stride=PATCH)
        self.register_buffer("positions", sincos_positions(self.grid, width), persistent=False)
        half = FREQUENCIES // 2
        freqs = 1000.0 * torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float64) / half)
        self.register_buffer("frequencies", freqs.float(), persistent=False)
        self.time_first = nn.Linear(FREQUENCIES, width)
        self.time_second = nn.Linear(width, width)
        self.classes = nn.Parameter(torch.randn(num_classes + 1, width) * 0.02)
        self.blocks = nn.ModuleList(Block(width, heads, fused) for _ in range(depth))
        self.final_modulation = nn.Linear(width, 2 * width)
        self.output = nn.Linear(width, PATCH * PATCH * CHANNELS)
        for layer in [b.modulation for b in self.blocks] + [self.final_modulation, self.output]:
            nn.init.zeros_(layer.weight)  # adaLN-Zero, as DitInitialization
            nn.init.zeros_(layer.bias)

    def forward(self, images, t, labels):
        b = images.shape[0]
        x = self.patches(images).flatten(2).transpose(1, 2) + self.positions
        angles = t.unsqueeze(1) * self.frequencies.unsqueeze(0)
        c = self.time_second(F.silu(self.time_first(torch.cat([angles.cos(), angles.sin()], 1))))
        c = c + F.one_hot(labels, self.num_classes + 1).float() @ self.classes
        for block in self.blocks:
            x = block(x, c)
        shift, scale = self.final_modulation(F.silu(c)).unsqueeze(1).chunk(2, dim=2)
        x = self.output(modulate(layer_norm(x), shift, scale))
        g, p = self.grid, PATCH
        return x.reshape(b, g, g, p, p, CHANNELS).permute(0, 5, 1, 3, 2, 4).reshape(b, CHANNELS, g * p, g * p)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("preset", choices=sorted(PRESETS))
    parser.add_argument("batch", type=int)
    parser.add_argument("image_size", type=int)
    parser.add_argument("classes", type=int)
    parser.add_argument("warmup", type=int)
    parser.add_argument("steps", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--attention", choices=["matmul", "sdpa"], default="matmul")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = DiT(args.preset, args.image_size, args.classes, args.attention == "sdpa")
    params = list(model.parameters())
    count = sum(p.numel() for p in params)
    optimizer = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    ema = [p.detach().clone() for p in params]
    b, s = args.batch, args.image_size
    x0 = torch.rand(b, CHANNELS, s, s) * 2 - 1
    labels = torch.arange(b) % args.classes

    def step():
        t = torch.sigmoid(torch.randn(b))
        eps = torch.randn_like(x0)
        kept = torch.where(torch.rand(b) < 0.1, torch.full_like(labels, args.classes), labels)
        tt = t.reshape(b, 1, 1, 1)
        loss = (model(x0 - x0 * tt + eps * tt, t, kept) - (eps - x0)).square().mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad()
        with torch.no_grad():
            for e, p in zip(ema, params):
                e.mul_(0.9999).add_(p, alpha=1 - 0.9999)
        return loss.item()

    def forward_backward():
        t = torch.rand(b)
        eps = torch.randn_like(x0)
        tt = t.reshape(b, 1, 1, 1)
        loss = (model(x0 - x0 * tt + eps * tt, t, labels) - (eps - x0)).square().mean()
        loss.backward()
        optimizer.zero_grad()
        return loss.item()

    what = "step" if args.attention == "matmul" else "step_sdpa"
    report(args.preset, what, timed(args.warmup, args.steps, step), count)
    if args.attention == "matmul":
        report(args.preset, "fwd_bwd", timed(args.warmup, args.steps, forward_backward), count)
        # The rest of the step alone, as TrainerStepBench times it (gradients kept in place).
        model(x0, torch.rand(b), labels).square().mean().backward()

        def adamw():
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()

        def ema_update():
            with torch.no_grad():
                for e, p in zip(ema, params):
                    e.mul_(0.9999).add_(p, alpha=1 - 0.9999)

        report(args.preset, "adamw", timed(args.warmup, args.steps, adamw), count)
        report(args.preset, "ema", timed(args.warmup, args.steps, ema_update), count)
        report(args.preset, "step_late", timed(0, args.steps, step), count)  # as TrainerStepBench


def timed(warmup, steps, work):
    for _ in range(warmup):
        work()
    out = []
    for _ in range(steps):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(preset, what, ms, count):
    print(f"RESULT torch {preset} {what} {statistics.median(ms):.1f} {min(ms):.1f} {count}", flush=True)


if __name__ == "__main__":
    main()
