#!/usr/bin/env python3
"""Writes the PyTorch golden references for dev.seq2seq.models.attention.

Run from seq2seq-models:  python3 src/test/python/make_attention_fixtures.py
Needs PyTorch (checked with 1.13, Debian's python3-torch). Everything is float64 with fixed seeds,
so the files are reproducible; the Java tests read them with Gson and never need Python.

Each fixture is a JSON object:
  module      "MultiheadAttention" | "ScaledDotProductAttention" | "BahdanauAttention" | "LuongAttention"
  config      constructor arguments (embed_dim, num_heads, ... / score)
  torch       the PyTorch version that produced it
  parameters  {name: {"shape": [...], "values": [row-major floats]}}: for MultiheadAttention every
              named parameter of torch.nn.MultiheadAttention (in_proj_weight, in_proj_bias,
              out_proj.weight, out_proj.bias); for the others the Java module's parameter names
  query, key, value   batch-first inputs [batch, queries|keys, features]
  mask        the mask in this project's convention (1 = attend, 0 = masked), broadcastable to
              [batch, queries, keys]; PyTorch got the complement as a boolean
              key_padding_mask ([batch, keys], True = ignore) or attn_mask ([queries, keys],
              True = not allowed), named in "torch_mask"
  output      the context [batch, queries, features]
  weights     attention weights [batch, queries, keys] (averaged over heads for multi-head)

Only MultiheadAttention is PyTorch's own module. The scaled dot-product, Bahdanau and Luong
references are the papers' equations written here with torch ops (PyTorch 1.13 has no public module
for them): an independent second implementation, not PyTorch's word.
"""
import json
import math
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "attention")


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, doc):
    os.makedirs(OUT, exist_ok=True)
    out = {"torch": torch.__version__}
    for key, value in doc.items():
        if isinstance(value, torch.Tensor):
            out[key] = tensor_json(value)
        elif isinstance(value, dict) and value and all(isinstance(v, torch.Tensor) for v in value.values()):
            out[key] = {k: tensor_json(v) for k, v in value.items()}
        else:
            out[key] = value
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path))


def padding_mask(lengths, keys):
    """[batch, 1, keys], 1 where position < length (this project's convention)."""
    positions = torch.arange(keys).unsqueeze(0)
    return (positions < torch.tensor(lengths).unsqueeze(1)).to(torch.float64).unsqueeze(1)


def causal_mask(steps):
    """[1, steps, steps], 1 where key <= query."""
    return torch.tril(torch.ones(steps, steps, dtype=torch.float64)).unsqueeze(0)


def multihead(name, seed, causal):
    embed, heads, batch = 8, 2, 2
    torch.manual_seed(seed)
    mha = nn.MultiheadAttention(embed, heads, batch_first=True).double()
    # PyTorch zero-initialises both biases; give them values so the fixture exercises them.
    with torch.no_grad():
        mha.in_proj_bias.uniform_(-0.5, 0.5)
        mha.out_proj.bias.uniform_(-0.5, 0.5)
    mha.eval()
    if causal:
        steps = 4
        x = torch.randn(batch, steps, embed, dtype=torch.float64)
        query = key = value = x
        mask = causal_mask(steps)
        attn_mask = ~torch.tril(torch.ones(steps, steps, dtype=torch.bool))
        with torch.no_grad():
            out, weights = mha(query, key, value, attn_mask=attn_mask, need_weights=True, average_attn_weights=True)
        torch_mask = {"attn_mask": attn_mask.tolist()}
    else:
        queries, keys, lengths = 3, 5, [5, 2]
        query = torch.randn(batch, queries, embed, dtype=torch.float64)
        key = torch.randn(batch, keys, embed, dtype=torch.float64)
        value = torch.randn(batch, keys, embed, dtype=torch.float64)
        mask = padding_mask(lengths, keys)
        key_padding_mask = mask.squeeze(1) == 0
        with torch.no_grad():
            out, weights = mha(query, key, value, key_padding_mask=key_padding_mask, need_weights=True,
                               average_attn_weights=True)
        torch_mask = {"key_padding_mask": key_padding_mask.tolist(), "lengths": lengths}
    write(name, {
        "module": "MultiheadAttention",
        "config": {"embed_dim": embed, "num_heads": heads, "batch_first": True, "dropout": 0.0,
                   "average_attn_weights": True},
        "parameters": {n: p for n, p in mha.named_parameters()},
        "query": query, "key": key, "value": value,
        "mask": mask, "torch_mask": torch_mask,
        "output": out, "weights": weights,
    })


def masked_softmax(scores, mask):
    return torch.softmax(scores.masked_fill(mask == 0, float("-inf")), dim=-1)


def scaled_dot_product(name, seed):
    torch.manual_seed(seed)
    batch, queries, keys, dk, dv, lengths = 2, 3, 4, 6, 5, [4, 3]
    q = torch.randn(batch, queries, dk, dtype=torch.float64)
    k = torch.randn(batch, keys, dk, dtype=torch.float64)
    v = torch.randn(batch, keys, dv, dtype=torch.float64)
    mask = padding_mask(lengths, keys)
    weights = masked_softmax(q @ k.transpose(-1, -2) / math.sqrt(dk), mask)
    write(name, {"module": "ScaledDotProductAttention", "config": {}, "parameters": {},
                 "query": q, "key": k, "value": v, "mask": mask, "torch_mask": {"lengths": lengths},
                 "output": weights @ v, "weights": weights})


def bahdanau(name, seed):
    torch.manual_seed(seed)
    batch, queries, keys, dq, dk, dv, units, lengths = 2, 2, 4, 3, 5, 4, 6, [4, 2]
    p = {"query_proj.weight": torch.randn(units, dq, dtype=torch.float64) * 0.5,
         "key_proj.weight": torch.randn(units, dk, dtype=torch.float64) * 0.5,
         "key_proj.bias": torch.randn(units, dtype=torch.float64) * 0.5,
         "v.weight": torch.randn(1, units, dtype=torch.float64)}
    q = torch.randn(batch, queries, dq, dtype=torch.float64)
    k = torch.randn(batch, keys, dk, dtype=torch.float64)
    v = torch.randn(batch, keys, dv, dtype=torch.float64)
    mask = padding_mask(lengths, keys)
    wq = q @ p["query_proj.weight"].T                              # [B, Tq, A]
    uk = k @ p["key_proj.weight"].T + p["key_proj.bias"]            # [B, S, A]
    energy = torch.tanh(wq.unsqueeze(2) + uk.unsqueeze(1))          # [B, Tq, S, A]
    scores = (energy @ p["v.weight"].T).squeeze(-1)                  # [B, Tq, S]
    weights = masked_softmax(scores, mask)
    write(name, {"module": "BahdanauAttention", "config": {"query_size": dq, "key_size": dk, "units": units},
                 "parameters": p, "query": q, "key": k, "value": v, "mask": mask,
                 "torch_mask": {"lengths": lengths}, "output": weights @ v, "weights": weights})


def luong(name, seed, score):
    torch.manual_seed(seed)
    batch, queries, keys, dv, units, lengths = 2, 2, 4, 3, 5, [3, 4]
    dq = 4
    dk = 4 if score == "DOT" else 3
    q = torch.randn(batch, queries, dq, dtype=torch.float64)
    k = torch.randn(batch, keys, dk, dtype=torch.float64)
    v = torch.randn(batch, keys, dv, dtype=torch.float64)
    mask = padding_mask(lengths, keys)
    config = {"score": score, "query_size": dq, "key_size": dk}
    if score == "DOT":
        p = {}
        scores = q @ k.transpose(-1, -2)
    elif score == "GENERAL":
        p = {"key_proj.weight": torch.randn(dq, dk, dtype=torch.float64) * 0.5}
        scores = q @ (k @ p["key_proj.weight"].T).transpose(-1, -2)   # q^T W k
    else:
        config["units"] = units
        p = {"concat_proj.weight": torch.randn(units, dq + dk, dtype=torch.float64) * 0.5,
             "v.weight": torch.randn(1, units, dtype=torch.float64)}
        pairs = torch.cat([q.unsqueeze(2).expand(-1, -1, keys, -1),
                           k.unsqueeze(1).expand(-1, queries, -1, -1)], dim=-1)   # [B, Tq, S, dq + dk]
        scores = (torch.tanh(pairs @ p["concat_proj.weight"].T) @ p["v.weight"].T).squeeze(-1)
    weights = masked_softmax(scores, mask)
    write(name, {"module": "LuongAttention", "config": config, "parameters": p,
                 "query": q, "key": k, "value": v, "mask": mask, "torch_mask": {"lengths": lengths},
                 "output": weights @ v, "weights": weights})


if __name__ == "__main__":
    multihead("multihead_key_padding", 1234, causal=False)
    multihead("multihead_causal", 4321, causal=True)
    scaled_dot_product("scaled_dot_product_padding", 7)
    bahdanau("bahdanau_padding", 11)
    luong("luong_dot_padding", 21, "DOT")
    luong("luong_general_padding", 22, "GENERAL")
    luong("luong_concat_padding", 23, "CONCAT")
