"""Trains the small autoencoder the latent tests use and saves its halves as TorchScript.

The trainer's latent path (the encode stage, latent experts, the decoder in serving) needs a real
VAE-like model that DJL's PyTorch can load. This one maps 32 px RGB shapes images in [-1, 1] to
4 x 8 x 8 latents and back (an 8x smaller tensor, as Stable Diffusion's VAE is at 256 px). It is
trained here on the project's own shapes data set and committed as
src/test/resources/vae/shapes-encoder.pt and shapes-decoder.pt (about 100 KB each).

    java -jar target/archipelago-trainer.jar generate-dataset shapes --count 8000 \\
        --image-size 32 --seed 7 --output /tmp/shapes32
    pip install torch==2.7.1 pillow numpy
    python make_shapes_autoencoder.py /tmp/shapes32 OUTPUT_DIR

It prints the reconstruction error on held-out images and the latents' standard deviation (the
scaling factor a run should use is about 1 / that).
"""
import io
import pathlib
import sys
import tarfile

import numpy as np
import torch
from PIL import Image

LATENT_CHANNELS = 4


def load_images(directory):
    images = []
    for shard in sorted(pathlib.Path(directory).glob("*.tar")):
        with tarfile.open(shard) as tar:
            for member in tar:
                if member.name.endswith(".png"):
                    image = Image.open(io.BytesIO(tar.extractfile(member).read())).convert("RGB")
                    images.append(np.asarray(image, dtype=np.float32) / 127.5 - 1.0)
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).contiguous()


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Conv2d(3, 32, 3, padding=1), torch.nn.SiLU(),
            torch.nn.Conv2d(32, 64, 4, stride=2, padding=1), torch.nn.SiLU(),
            torch.nn.Conv2d(64, 64, 4, stride=2, padding=1), torch.nn.SiLU(),
            torch.nn.Conv2d(64, LATENT_CHANNELS, 1))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images)


class Decoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Conv2d(LATENT_CHANNELS, 64, 3, padding=1), torch.nn.SiLU(),
            torch.nn.Upsample(scale_factor=2.0, mode="nearest"),
            torch.nn.Conv2d(64, 64, 3, padding=1), torch.nn.SiLU(),
            torch.nn.Upsample(scale_factor=2.0, mode="nearest"),
            torch.nn.Conv2d(64, 32, 3, padding=1), torch.nn.SiLU(),
            torch.nn.Conv2d(32, 3, 3, padding=1), torch.nn.Tanh())

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        return self.net(latents)


def main(data, output):
    torch.manual_seed(0)
    images = load_images(data)
    train, held_out = images[:-500], images[-500:]
    encoder, decoder = Encoder(), Decoder()
    optimiser = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=2e-3)
    steps = 3000
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps)
    for step in range(steps):
        batch = train[torch.randint(len(train), (64,))]
        latents = encoder(batch)
        # A light pull towards zero keeps the latents' scale bounded, as a VAE's KL term does.
        loss = torch.nn.functional.mse_loss(decoder(latents), batch) + 1e-4 * latents.pow(2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 500 == 0:
            print(f"step {step} loss {loss.item():.4f}", flush=True)
    encoder.eval()
    decoder.eval()
    with torch.no_grad():
        latents = encoder(held_out)
        error = torch.nn.functional.mse_loss(decoder(latents), held_out).item()
        print(f"held-out reconstruction MSE {error:.5f} (images in [-1, 1]);"
              f" latent std {latents.std().item():.3f}")
    out = pathlib.Path(output)
    out.mkdir(parents=True, exist_ok=True)
    torch.jit.save(torch.jit.script(encoder), str(out / "shapes-encoder.pt"))
    torch.jit.save(torch.jit.script(decoder), str(out / "shapes-decoder.pt"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
