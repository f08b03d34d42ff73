#!/usr/bin/env python3
"""Writes the safetensors fixture for dev.seq2seq.models.checkpoint.

Run from seq2seq-models:  python3 src/test/python/make_safetensors_fixture.py
Needs PyTorch (checked with 1.13). The pip package `safetensors` is used when installed; otherwise
(as on the machine that produced the committed fixture) the file is written by `write_safetensors`
below, straight from the public spec with `struct` + `json` -- an implementation independent of
the Java writer, so the Java reader is checked against bytes it did not produce.

Outputs (src/test/resources/fixtures/checkpoint/):
  torch_linear.safetensors  tensors:
      weight   F32 [2, 3]   torch.nn.Linear(3, 2) after torch.manual_seed(0)
      bias     F32 [2]
      extra.f64   F64 [2, 2]
      extra.ids   I32 [4]
      extra.scalar F64 []     (rank 0)
      extra.empty  F32 [0, 3] (no bytes)
    __metadata__ {"format": "pt", "producer": ...}
  torch_linear.json  the same values as JSON lists plus x [2, 3] and torch's y = linear(x) [2, 2]
                     (float32 values printed exactly as Python floats)
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "checkpoint")

DTYPES = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8"), torch.int32: ("I32", "<i4")}


def write_safetensors(path, tensors, metadata):
    """Spec: u64 LE header length, JSON header (padded with spaces to 8 bytes), then the buffer."""
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    # Deliberately NOT name order (reverse), to check the reader relies on offsets, not order.
    for name in sorted(tensors, reverse=True):
        t = tensors[name].contiguous()
        code, np_dtype = DTYPES[t.dtype]
        data = t.numpy().astype(np_dtype).tobytes(order="C")
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    linear = torch.nn.Linear(3, 2)
    tensors = {
        "weight": linear.weight.detach().clone(),
        "bias": linear.bias.detach().clone(),
        "extra.f64": torch.tensor([[1.0 / 3, -2.5], [1e-300, float("inf")]], dtype=torch.float64),
        "extra.ids": torch.tensor([0, -1, 2147483647, -2147483648], dtype=torch.int32),
        "extra.scalar": torch.tensor(3.25, dtype=torch.float64),
        "extra.empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    try:
        from safetensors.torch import save_file  # noqa: F401
        producer = "safetensors"
        save_file(tensors, os.path.join(OUT, "torch_linear.safetensors"), metadata={"format": "pt", "producer": producer})
    except ImportError:
        producer = "make_safetensors_fixture.py write_safetensors (spec, struct+json)"
        write_safetensors(os.path.join(OUT, "torch_linear.safetensors"), tensors, {"format": "pt", "producer": producer})
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=torch.float32)
    with torch.no_grad():
        y = linear(x)

    def enc(t):
        vals = t.reshape(-1).tolist()
        return {"shape": list(t.shape), "values": [v if v != float("inf") else "inf" for v in vals]}

    doc = {
        "torch": torch.__version__,
        "producer": producer,
        "tensors": {k: dict(enc(v), dtype=DTYPES[v.dtype][0]) for k, v in tensors.items()},
        "x": enc(x),
        "y": enc(y),
    }
    with open(os.path.join(OUT, "torch_linear.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
