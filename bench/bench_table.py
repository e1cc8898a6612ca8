"""Turns the RESULT lines of run-trainer-bench.sh into the comparison table.

Usage: bench_table.py RESULTS_FILE BATCH IMAGE_SIZE CLASSES

Per (side, preset, timing) it keeps the lowest per-round median (the round least disturbed by other
load on the machine) and lists the others. FLOPs are counted analytically (matmuls and the patch
convolution only; norms, softmax, GELU and the optimizer are not counted): forward = 2 x MACs, a
training step ~ 3 x forward (backward computes gradients for inputs and weights). Peak FP32 FLOP/s
= cores x clock x FLOP per cycle, with 64 FLOP/cycle/core for AVX-512 (two 16-lane FMA units, as on
Xeon Scalable) or 32 for AVX2+FMA, and the clock lscpu or /proc/cpuinfo reports (a VM shows the
nominal clock; turbo would raise the true peak).
"""
import collections
import os
import re
import sys

PRESETS = {"tiny": (4, 128, 4), "s": (12, 384, 6), "b": (12, 768, 12)}  # as dit_reference.py
PATCH, CHANNELS, FREQUENCIES = 2, 3, 256


def forward_macs(preset, batch, image_size, classes):
    depth, d, _ = PRESETS[preset]
    n = (image_size // PATCH) ** 2
    pixels_per_token = PATCH * PATCH * CHANNELS
    per_sample = (
        n * pixels_per_token * d  # patch embedding
        + FREQUENCIES * d + d * d + (classes + 1) * d  # timestep MLP, one-hot class table
        + depth * (6 * d * d + n * 3 * d * d + 2 * n * n * d + n * d * d + n * 8 * d * d)
        + 2 * d * d + n * d * pixels_per_token  # final adaLN and output
    )
    return batch * per_sample


def peak_flops():
    cpuinfo = open("/proc/cpuinfo").read()
    flags = set(re.search(r"^flags\s*:\s*(.*)$", cpuinfo, re.M).group(1).split())
    mhz = float(re.search(r"^cpu MHz\s*:\s*([\d.]+)", cpuinfo, re.M).group(1))
    per_cycle = 64 if "avx512f" in flags else 32 if {"avx2", "fma"} <= flags else 8
    cores = os.cpu_count()
    return cores * mhz * 1e6 * per_cycle, f"{cores} cores x {mhz:.0f} MHz x {per_cycle} FLOP/cycle"


def main():
    path, batch, image_size, classes = sys.argv[1], *map(int, sys.argv[2:5])
    runs = collections.defaultdict(list)
    fastest_steps = collections.defaultdict(list)
    params = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 7 and parts[0] == "RESULT":
            _, side, preset, what, median, fastest, count = parts
            preset = preset.lower()
            runs[(side, preset, what)].append(float(median))
            fastest_steps[(side, preset, what)].append(float(fastest))
            params[(side, preset)] = int(count)
    peak, how = peak_flops()
    print(f"peak FP32 estimate: {peak / 1e9:.0f} GFLOP/s ({how})")
    print(f"batch {batch}, {image_size}x{image_size}x{CHANNELS}, {classes} classes; "
          "ms = best per-round median (all rounds in brackets); ratio(min) = fastest single steps; "
          "GFLOP/s = model FLOPs of a training step / best median (fwd_bwd holds all of them)")
    header = (f"{'preset':6} {'timing':9} {'params djl/torch':>17} {'DJL ms':>22} {'PyTorch ms':>22} "
              f"{'ratio':>6} {'ratio(min)':>10} {'DJL GFLOP/s (%peak)':>20} {'torch GFLOP/s (%peak)':>22}")
    print(header)
    for preset in [p for p in PRESETS if ("djl", p) in params or ("torch", p) in params]:
        train_flops = 3 * 2 * forward_macs(preset, batch, image_size, classes)
        for what in ["step", "step_late", "fwd_bwd", "adamw", "ema", "step_sdpa", "step_fp16",
                     "step_2replicas"]:
            djl, torch = runs.get(("djl", preset, what)), runs.get(("torch", preset, what))
            if not djl and not torch:
                continue

            def cell(ms):
                return f"{min(ms):.0f} [{' '.join(f'{m:.0f}' for m in ms)}]" if ms else "-"

            def gflops(ms):
                return train_flops / (min(ms) / 1e3) / 1e9 if ms else float("nan")

            ratio = f"{min(djl) / min(torch):.2f}" if djl and torch else "-"
            fast_d = fastest_steps.get(("djl", preset, what))
            fast_t = fastest_steps.get(("torch", preset, what))
            ratio_min = f"{min(fast_d) / min(fast_t):.2f}" if djl and torch else "-"
            counts = f"{params.get(('djl', preset), '-')}/{params.get(('torch', preset), '-')}"
            counted = what.startswith("step") or what == "fwd_bwd"  # the model FLOPs are in these
            djl_rate = f"{gflops(djl):.0f} ({100 * gflops(djl) * 1e9 / peak:.0f}%)" if djl and counted else "-"
            torch_rate = f"{gflops(torch):.0f} ({100 * gflops(torch) * 1e9 / peak:.0f}%)" if torch and counted else "-"
            print(f"{preset:6} {what:9} {counts:>17} {cell(djl):>22} {cell(torch):>22} {ratio:>6} {ratio_min:>10} "
                  f"{djl_rate:>20} {torch_rate:>22}")
        print(f"{preset:6} model FLOPs per training step: {train_flops / 1e9:.1f} GFLOP")
        # Against step_late: both are timed late in the process, past the first steps' warm-up.
        fp32 = runs.get(("djl", preset, "step_late"))
        for what, meaning in [("step_fp16", "fp16 / fp32 step_late (DJL, this CPU)"),
                              ("step_2replicas", "2 replicas on one CPU / 1, step_late (data-parallel overhead)")]:
            other = runs.get(("djl", preset, what))
            if fp32 and other:
                print(f"{preset:6} {meaning}: {min(other) / min(fp32):.2f}")


if __name__ == "__main__":
    main()
