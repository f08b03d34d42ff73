#!/usr/bin/env python3
"""Writes the PyTorch golden references for dev.seq2seq.models.rnn.

Run from seq2seq-models:  python3 src/test/python/make_rnn_fixtures.py
Needs PyTorch (checked with 1.13). Everything is float64 with fixed seeds, so the files are
reproducible; the Java tests read them with Gson and never need Python.

Each fixture is a JSON object:
  module      "RNN" | "LSTM" | "GRU" | "RNNCell" | "LSTMCell" | "GRUCell"
  config      constructor arguments (input_size, hidden_size, num_layers, bidirectional, nonlinearity)
  torch       the PyTorch version that produced it
  parameters  {name: {"shape": [...], "values": [row-major floats]}} -- every named parameter
  input       x: [batch, time, input] (batch_first) for layers, [batch, input] for cells
  lengths     (optional) real steps per sequence; the run used pack_padded_sequence
  h0, c0      (optional) initial states
  output      layers: [batch, time, H * directions] (zeros at padded steps); cells: h'
  h_n, c_n    final states ([layers * directions, batch, H]); for cells c_n is c'
"""
import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "rnn")
BATCH, TIME, INPUT, HIDDEN, LAYERS = 3, 5, 3, 4, 2


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, module, config, inputs, outputs):
    doc = {"module": type(module).__name__, "config": config, "torch": torch.__version__,
           "parameters": {n: tensor_json(p) for n, p in module.named_parameters()}}
    for key, value in inputs.items():
        doc[key] = value if isinstance(value, list) else tensor_json(value)
    for key, value in outputs.items():
        doc[key] = tensor_json(value)
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path))


def layer(kind, seed, lengths=None, initial=False):
    torch.manual_seed(seed)
    cls = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
    config = {"input_size": INPUT, "hidden_size": HIDDEN, "num_layers": LAYERS, "bidirectional": True}
    kwargs = dict(config)
    if kind == "RNN":
        kwargs["nonlinearity"] = config["nonlinearity"] = "tanh"
    module = cls(batch_first=True, **kwargs).double()
    x = torch.randn(BATCH, TIME, INPUT, dtype=torch.float64)
    inputs = {"input": x}
    state = None
    if initial:
        h0 = torch.randn(LAYERS * 2, BATCH, HIDDEN, dtype=torch.float64)
        inputs["h0"] = h0
        state = h0
        if kind == "LSTM":
            c0 = torch.randn(LAYERS * 2, BATCH, HIDDEN, dtype=torch.float64)
            inputs["c0"] = c0
            state = (h0, c0)
    with torch.no_grad():
        if lengths is None:
            y, hn = module(x, state)
        else:
            inputs["lengths"] = list(lengths)
            packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
            y, hn = module(packed, state)
            y, _ = pad_packed_sequence(y, batch_first=True, total_length=TIME)
    outputs = {"output": y}
    if kind == "LSTM":
        outputs["h_n"], outputs["c_n"] = hn
    else:
        outputs["h_n"] = hn
    return module, config, inputs, outputs


def cell(kind, seed, nonlinearity="tanh"):
    torch.manual_seed(seed)
    config = {"input_size": INPUT, "hidden_size": HIDDEN}
    if kind == "RNNCell":
        config["nonlinearity"] = nonlinearity
        module = nn.RNNCell(INPUT, HIDDEN, nonlinearity=nonlinearity).double()
    else:
        module = getattr(nn, kind)(INPUT, HIDDEN).double()
    x = torch.randn(BATCH, INPUT, dtype=torch.float64)
    h = torch.randn(BATCH, HIDDEN, dtype=torch.float64)
    inputs = {"input": x, "h0": h}
    with torch.no_grad():
        if kind == "LSTMCell":
            c = torch.randn(BATCH, HIDDEN, dtype=torch.float64)
            inputs["c0"] = c
            h1, c1 = module(x, (h, c))
            outputs = {"output": h1, "h_n": h1, "c_n": c1}
        else:
            h1 = module(x, h)
            outputs = {"output": h1, "h_n": h1}
    return module, config, inputs, outputs


def main():
    os.makedirs(OUT, exist_ok=True)
    lengths = [5, 2, 4]  # unsorted on purpose: enforce_sorted=False
    for i, kind in enumerate(["RNN", "LSTM", "GRU"]):
        name = kind.lower()
        write(name + "_2layer_bidirectional", *layer(kind, 100 + i, initial=True))
        write(name + "_2layer_bidirectional_lengths", *layer(kind, 200 + i, lengths=lengths))
    write("rnn_cell_tanh", *cell("RNNCell", 300, "tanh"))
    write("rnn_cell_relu", *cell("RNNCell", 301, "relu"))
    write("lstm_cell", *cell("LSTMCell", 302))
    write("gru_cell", *cell("GRUCell", 303))


if __name__ == "__main__":
    main()
