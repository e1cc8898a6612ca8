"""Writes latent WebDataset shards the way users do (numpy arrays through webdataset.TarWriter).

usage: write_latent_shards.py OUT_DIR

latents-000000.tar holds samples with a [4, 8, 8] latent in .latent.npy (float16, float32, and one
big-endian float32), a 1-D embedding in .emb.npy and a .cls label; then samples the trainer must
skip and count: an int8 latent, a latent of the wrong shape, a Fortran-ordered one, a float64 one
and one without a latent. Prints one JSON line: {key: {"label", "latent", "embedding"}} of the
samples that must be read, with the values as float32 gives them.
"""
import io
import json
import os
import sys

import numpy as np
import webdataset as wds

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(3)
expected = {}


def npy(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


with wds.TarWriter(os.path.join(out, "latents-000000.tar")) as sink:
    for i, dtype in enumerate(["<f2", "<f4", ">f4", "<f2"]):
        latent = rng.standard_normal((4, 8, 8)).astype(dtype)
        embedding = rng.standard_normal(16).astype("<f4")
        key = f"n0{i}/sample_{i:04d}"
        # webdataset encodes .npy parts itself with numpy.save.
        sink.write({"__key__": key, "latent.npy": latent, "emb.npy": embedding, "cls": i})
        expected[key] = {"label": i,
                         "latent": latent.astype(np.float32).ravel().tolist(),
                         "embedding": embedding.astype(np.float32).tolist()}
    sink.write({"__key__": "int8", "latent.npy": npy(np.zeros((4, 8, 8), np.int8)), "cls": 1})
    sink.write({"__key__": "wrong_shape", "latent.npy": np.zeros((8, 8, 4), np.float32), "cls": 1})
    sink.write({"__key__": "fortran",
                "latent.npy": npy(np.asfortranarray(np.zeros((4, 8, 8), np.float32))), "cls": 1})
    sink.write({"__key__": "float64", "latent.npy": npy(np.zeros((4, 8, 8))), "cls": 1})
    sink.write({"__key__": "no_latent", "emb.npy": np.zeros(16, np.float32), "cls": 1})

print(json.dumps(expected))
