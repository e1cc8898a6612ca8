"""Writes WebDataset shards the way users do, for the trainer's reader tests.

usage: write_shards.py OUT_DIR

- wds-000000.tar: webdataset.TarWriter with PIL images encoded as .jpg, .jpeg and .png, int
  labels in .cls, dicts in .json, numpy arrays in .npy, keys with directories, a key long
  enough to need a long-name header, a .webp-only sample and a corrupt .jpg.
- pax.tar, gnu.tar: the same files laid out on disk as users extract ImageNet, archived by GNU
  tar in PAX and GNU formats (long names, directories in keys, directory entries).
- pytar-pax.tar: Python's tarfile in PAX format.
Prints one JSON line: the expected decodable samples {key: label} of each shard.
"""
import io
import json
import os
import subprocess
import sys
import tarfile

import numpy as np
import webdataset as wds
from PIL import Image

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
LONG = "n01440764/" + "very_long_file_name_" * 6 + "0007"


def image(color, size=(24, 16)):
    return Image.new("RGB", size, color)


def encoded(img, fmt):
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


expected = {}

# 1. The webdataset library's own writer: it encodes by extension.
with wds.TarWriter(os.path.join(out, "wds-000000.tar")) as sink:
    sink.write({"__key__": "n01440764/img_0001", "jpg": image((200, 10, 10)), "cls": 3,
                "json": {"label": 3, "source": "wds"}})
    sink.write({"__key__": "n01440764/img_0002", "jpeg": image((10, 200, 10)), "cls": 4})
    sink.write({"__key__": "n02102040/img_0003", "png": image((10, 10, 200)), "cls": 5,
                "npy": np.zeros((4, 4, 4), dtype=np.float16)})
    sink.write({"__key__": LONG, "jpg": image((90, 90, 90)), "cls": 6})
    # The writer has no .webp encoder: the bytes are encoded by Pillow, as a user would.
    sink.write({"__key__": "webp_only", "webp": encoded(image((1, 2, 3)), "WEBP"), "cls": 7})
    sink.write({"__key__": "corrupt", "jpg": b"\xff\xd8 not really a jpeg", "cls": 8})
expected["wds-000000.tar"] = {"n01440764/img_0001": 3, "n01440764/img_0002": 4,
                              "n02102040/img_0003": 5, LONG: 6}

# 2. Files on disk, archived by GNU tar and by Python's tarfile.
tree = os.path.join(out, "tree")
files = {
    "train/n01440764/a_0001.JPEG": encoded(image((250, 0, 0)), "JPEG"),
    "train/n01440764/a_0001.cls": b"11\n",
    "train/n02102040/b_0002.png": encoded(image((0, 250, 0)), "PNG"),
    "train/n02102040/b_0002.cls": b"12",
    "train/" + LONG + ".jpg": encoded(image((0, 0, 250)), "JPEG"),
    "train/" + LONG + ".cls": b"13",
}
for name, data in files.items():
    path = os.path.join(tree, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
tree_expected = {"train/n01440764/a_0001": 11, "train/n02102040/b_0002": 12, "train/" + LONG: 13}
for fmt in ("pax", "gnu"):
    subprocess.run(["tar", f"--format={fmt}", "--sort=name", "-C", tree, "-cf",
                    os.path.join(out, f"{fmt}.tar"), "train"], check=True)
    expected[f"{fmt}.tar"] = tree_expected
with tarfile.open(os.path.join(out, "pytar-pax.tar"), "w", format=tarfile.PAX_FORMAT) as t:
    for name in sorted(files):
        t.add(os.path.join(tree, name), arcname=name)
expected["pytar-pax.tar"] = tree_expected

print(json.dumps(expected))
