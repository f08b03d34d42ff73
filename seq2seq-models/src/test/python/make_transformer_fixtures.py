#!/usr/bin/env python3
"""Writes the PyTorch golden references for dev.seq2seq.models.transformer.

Run from seq2seq-models:  /usr/bin/python3 src/test/python/make_transformer_fixtures.py
Needs PyTorch (checked with 1.13, Debian's python3-torch). Everything is float64 with fixed seeds,
so the files are reproducible; the Java tests read them with Gson and never need Python.

Modules run in training mode with dropout 0: that is deterministic and keeps PyTorch on its
reference Python path (the eval-mode "fast path" kernels and nested tensors are not used).

Each fixture is a JSON object:
  module      "TransformerEncoderLayer" | "TransformerDecoderLayer" | "TransformerSeq2Seq"
  config      d_model, nhead, dim_feedforward, norm_first (+ layer counts, vocabularies)
  torch       the PyTorch version that produced it
  parameters  {name: {"shape": [...], "values": [row-major floats]}}, every named parameter of the
              PyTorch module in named_parameters() order (for TransformerSeq2Seq the names of the
              Java model: src_embedding, tgt_embedding, encoder.*, decoder.* as in nn.Transformer,
              generator)
  inputs      src [B, S, d] (encoder layer); tgt [B, T, d] and memory [B, S, d] (decoder layer);
              int ids source [B, S], target [B, T] stored as floats (seq2seq)
  masks       in this project's convention, 1 = real token: src_mask [B, S], tgt_mask [B, T],
              memory_mask [B, S]. PyTorch got the complement as boolean key padding masks
              (True = ignore) and, for decoder self-attention, the causal mask
              torch.triu(ones(T, T), 1).bool() (True = not allowed).
  output      [B, S|T, d] layer output, or logits [B, T, V] for the whole model
"""
import json
import math
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "transformer")
D_MODEL, NHEAD, DIM_FF = 8, 2, 16


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


def lengths_mask(lengths, steps):
    """[B, steps] float64, 1 where position < length."""
    return (torch.arange(steps).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)).to(torch.float64)


def causal(steps):
    return torch.triu(torch.ones(steps, steps, dtype=torch.bool), diagonal=1)


def perturb(module):
    """PyTorch starts biases at zero and LayerNorm at (1, 0); give every parameter values so the
    fixture exercises it."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.uniform_(-0.5, 0.5)
            elif "norm" in name and name.endswith("weight"):
                p.uniform_(0.5, 1.5)


def encoder_layer(name, seed, norm_first):
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(D_MODEL, NHEAD, DIM_FF, dropout=0.0, batch_first=True,
                                       norm_first=norm_first).double()
    perturb(layer)
    layer.train()
    batch, steps, lengths = 2, 5, [5, 3]
    src = torch.randn(batch, steps, D_MODEL, dtype=torch.float64)
    mask = lengths_mask(lengths, steps)
    with torch.no_grad():
        out = layer(src, src_key_padding_mask=mask == 0)
    write(name, {
        "module": "TransformerEncoderLayer",
        "config": {"d_model": D_MODEL, "nhead": NHEAD, "dim_feedforward": DIM_FF, "norm_first": norm_first},
        "parameters": dict(layer.named_parameters()),
        "src": src, "src_mask": mask, "output": out,
    })


def decoder_layer(name, seed, norm_first):
    torch.manual_seed(seed)
    layer = nn.TransformerDecoderLayer(D_MODEL, NHEAD, DIM_FF, dropout=0.0, batch_first=True,
                                       norm_first=norm_first).double()
    perturb(layer)
    layer.train()
    batch, tgt_steps, src_steps = 2, 4, 5
    tgt = torch.randn(batch, tgt_steps, D_MODEL, dtype=torch.float64)
    memory = torch.randn(batch, src_steps, D_MODEL, dtype=torch.float64)
    tgt_mask = lengths_mask([4, 2], tgt_steps)
    memory_mask = lengths_mask([5, 3], src_steps)
    with torch.no_grad():
        out = layer(tgt, memory, tgt_mask=causal(tgt_steps), tgt_key_padding_mask=tgt_mask == 0,
                    memory_key_padding_mask=memory_mask == 0)
    write(name, {
        "module": "TransformerDecoderLayer",
        "config": {"d_model": D_MODEL, "nhead": NHEAD, "dim_feedforward": DIM_FF, "norm_first": norm_first},
        "parameters": dict(layer.named_parameters()),
        "tgt": tgt, "memory": memory, "tgt_mask": tgt_mask, "memory_mask": memory_mask, "output": out,
    })


def positional_encoding(steps, d):
    """The paper's sinusoids, interleaved: PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...)."""
    pe = torch.zeros(steps, d, dtype=torch.float64)
    for pos in range(steps):
        for j in range(d):
            angle = pos / 10000 ** ((j - j % 2) / d)
            pe[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return pe


def seq2seq(name, seed, norm_first):
    """nn.Transformer with token embeddings (scaled by sqrt(d_model)), sinusoidal positions and a
    generator, composed here as the Java TransformerSeq2Seq composes them."""
    torch.manual_seed(seed)
    layers, src_vocab, tgt_vocab = 2, 7, 6
    model = nn.Transformer(D_MODEL, NHEAD, layers, layers, DIM_FF, dropout=0.0, batch_first=True,
                           norm_first=norm_first).double()
    perturb(model)
    src_emb = nn.Embedding(src_vocab, D_MODEL).double()
    tgt_emb = nn.Embedding(tgt_vocab, D_MODEL).double()
    generator = nn.Linear(D_MODEL, tgt_vocab).double()
    model.train()
    batch, src_steps, tgt_steps = 2, 5, 4
    source = torch.randint(0, src_vocab, (batch, src_steps))
    target = torch.randint(0, tgt_vocab, (batch, tgt_steps))
    src_mask = lengths_mask([5, 3], src_steps)
    tgt_mask = lengths_mask([4, 3], tgt_steps)
    scale = math.sqrt(D_MODEL)
    with torch.no_grad():
        src = src_emb(source) * scale + positional_encoding(src_steps, D_MODEL)
        tgt = tgt_emb(target) * scale + positional_encoding(tgt_steps, D_MODEL)
        out = model(src, tgt, tgt_mask=causal(tgt_steps), src_key_padding_mask=src_mask == 0,
                    tgt_key_padding_mask=tgt_mask == 0, memory_key_padding_mask=src_mask == 0)
        logits = generator(out)
    parameters = {"src_embedding.weight": src_emb.weight, "tgt_embedding.weight": tgt_emb.weight}
    parameters.update(dict(model.named_parameters()))
    parameters.update({"generator.weight": generator.weight, "generator.bias": generator.bias})
    write(name, {
        "module": "TransformerSeq2Seq",
        "config": {"d_model": D_MODEL, "nhead": NHEAD, "dim_feedforward": DIM_FF, "norm_first": norm_first,
                   "num_encoder_layers": layers, "num_decoder_layers": layers,
                   "src_vocab": src_vocab, "tgt_vocab": tgt_vocab},
        "parameters": parameters,
        "source": source.to(torch.float64), "target": target.to(torch.float64),
        "src_mask": src_mask, "tgt_mask": tgt_mask, "output": logits,
    })


if __name__ == "__main__":
    encoder_layer("encoder_layer_post_ln", 11, False)
    encoder_layer("encoder_layer_pre_ln", 12, True)
    decoder_layer("decoder_layer_post_ln", 21, False)
    decoder_layer("decoder_layer_pre_ln", 22, True)
    seq2seq("seq2seq_post_ln", 31, False)
    seq2seq("seq2seq_pre_ln", 32, True)
