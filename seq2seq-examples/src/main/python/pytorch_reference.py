#!/usr/bin/env python3
"""PyTorch reference figures for ``seq2seq bench``.

What it measures: the three standard benchmark models of ``seq2seq bench`` (see BenchConfig.java and
BenchSizes.STANDARD), rebuilt in PyTorch with the same shapes, parameters and FLOPs, on the same
kind of synthetic data (random token ids from a seeded generator, vocabularies of 1,000, source
and target length 20, batch 64, float32, no padding):

  a. GRU encoder (1 layer) + GRU decoder with Bahdanau (additive) attention, embedding 128, hidden 256;
  b. LSTM encoder-decoder, 2 layers, embedding 128, hidden 256, Luong "general" attention with
     input feeding;
  c. Transformer (post-LN), d_model 128, 4 heads, 2 encoder + 2 decoder layers, FFN 512, dropout 0.

For each it reports
  - training: target tokens per second (1,280 per step) of one step = teacher-forced forward,
    mean token cross-entropy, backward, global gradient norm (no clipping), Adam (lr 1e-3) update;
  - greedy decoding: sentences per second at batch 64 and batch 1, one run being encode + exactly
    20 decoder steps on the whole batch under torch.no_grad() (<eos> can never win: its output
    bias is set to -1e4 as BenchRunner.java does, and no run stops early anyway);
as median [min-max] over the measured steps/runs after the warm-up ones, plus each model's
parameter count next to the Java model's (equal counts show the architectures match).

These are the figures PyTorchReference.java and the "Performance" section of README.md compare
against; run this script to re-measure them on your own machine (CPU). It is a measurement tool,
not a dependency of the build or of any test. Needs only PyTorch (written against 1.13):

  /usr/bin/python3 seq2seq-examples/src/main/python/pytorch_reference.py --configs abc

Options: --configs (any of a, b, c), --warmup (default 100), --steps (default 20), --threads
(default 2), --seed, --flush-denormal (off by default: PyTorch's default, denormals not flushed),
--transformer-decode cache|prefix (see TransformerSeq2Seq below), --list-parameters, --json FILE
(the medians, for `seq2seq bench --reference FILE` to compare with).
The default run takes several minutes; keep the machine otherwise idle while it runs.

The BLAS that PyTorch loads decides most of the training figures: Debian's python3-torch calls
whatever libblas.so.3 is selected (reference BLAS unless e.g. libopenblas0 is installed). The
header names the library found in this process.
"""

import argparse
import ctypes
import json
import math
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# BenchSizes.STANDARD
VOCAB = 1000
LENGTH = 20
BATCH = 64
EMBEDDING = 128
HIDDEN = 256
D_MODEL = 128
HEADS = 4
FEED_FORWARD = 512
TRANSFORMER_LAYERS = 2
# TransformerSeq2Seq's positional table size as BenchConfig sets it: max(64, length + 1)
MAX_POSITIONS = max(64, LENGTH + 1)

# Vocabulary.java's specials; synthetic ids are uniform in [FIRST_TOKEN, VOCAB) (SyntheticBatches.java)
PAD, SOS, EOS, UNK = 0, 1, 2, 3
FIRST_TOKEN = UNK + 1

# BenchRunner.java
POOL = 4  # training batches made before timing and cycled through
LEARNING_RATE = 1e-3
EOS_BIAS = -1e4
DECODE_BATCHES = (64, 1)
MASKED_SCORE = -1e9  # Masks.MASKED_SCORE

# Module.parameterCount() of the Java models at BenchSizes.STANDARD. a and b are what `seq2seq bench`
# prints; c is computed from the Java sources (TransformerSeq2Seq and its layers):
#   embeddings 2 x 1000 x 128 = 256,000
#   encoder layer: self_attn 3*128*128 + 3*128 + 128*128 + 128 = 66,048; linear1 128*512 + 512 = 66,048;
#                  linear2 512*128 + 128 = 65,664; norm1, norm2 2 x 256 -> 198,272, x 2 layers = 396,544
#   decoder layer: self_attn + multihead_attn 2 x 66,048; linear1, linear2 131,712; norm1..3 768
#                  -> 264,576, x 2 layers = 529,152
#   encoder.norm, decoder.norm 2 x 256; generator 128*1000 + 1000 = 129,000
#   total 1,311,208 (the sinusoidal positional table is a constant, not a parameter).
JAVA_PARAMETERS = {"a": 1_755_880, "b": 2_946_536, "c": 1_311_208}

# The figures recorded in PyTorchReference.java (measured 2026-11-22, PyTorch 1.13 CPU, OpenBLAS, 2 threads).
RECORDED = {
    "a": (10_800, 1_550, 275),
    "b": (9_050, 1_150, 185),
    "c": (16_100, 330, 65),
}

DESCRIPTIONS = {
    "a": "GRU 1 layer + Bahdanau",
    "b": "LSTM 2 layers + Luong general",
    "c": "Transformer 2+2 layers",
}


# ---------------------------------------------------------------------------------------------------
# Attention (models/attention/BahdanauAttention.java, LuongAttention.java)
# ---------------------------------------------------------------------------------------------------


def masked_softmax(scores, pad):
    """Masks.softmax for [B, S] scores and a [B, S] boolean padding mask (True = padding)."""
    return scores.masked_fill(pad, MASKED_SCORE).softmax(-1)


class BahdanauAttention(nn.Module):
    """score(q, k_s) = v^T tanh(W q + U k_s + b); the key side U k + b is computed once per source."""

    def __init__(self, query_size, key_size, units):
        super().__init__()
        self.query_proj = nn.Linear(query_size, units, bias=False)
        self.key_proj = nn.Linear(key_size, units)
        self.v = nn.Linear(units, 1, bias=False)

    def prepare_keys(self, memory):
        return self.key_proj(memory)  # [B, S, units]

    def forward(self, query, keys, memory, pad):
        wq = self.query_proj(query)  # [B, units]
        scores = self.v(torch.tanh(wq.unsqueeze(1) + keys)).squeeze(-1)  # [B, S]
        weights = masked_softmax(scores, pad)
        return torch.bmm(weights.unsqueeze(1), memory).squeeze(1)  # [B, keySize]


class LuongGeneralAttention(nn.Module):
    """score(q, k_s) = q^T W k_s, with the key side W k computed once per source (as the Java model)."""

    def __init__(self, query_size, key_size):
        super().__init__()
        self.key_proj = nn.Linear(key_size, query_size, bias=False)

    def prepare_keys(self, memory):
        return self.key_proj(memory)  # [B, S, querySize]

    def forward(self, query, keys, memory, pad):
        scores = torch.bmm(keys, query.unsqueeze(2)).squeeze(2)  # [B, S]
        weights = masked_softmax(scores, pad)
        return torch.bmm(weights.unsqueeze(1), memory).squeeze(1)


# ---------------------------------------------------------------------------------------------------
# RNN encoder-decoder (models/seq2seq/RnnSeq2Seq.java)
# ---------------------------------------------------------------------------------------------------


class RnnSeq2Seq(nn.Module):
    """RnnSeq2Seq.java with a unidirectional encoder and dropout 0 (as BenchConfig builds it).

    Encoder: embedding, then nn.GRU / nn.LSTM (batch-first) over the source. The synthetic sources
    have no padding, so the sequences are not packed (the Java encoder, given an all-ones mask,
    runs every step too). Bridge: one Linear per state part (h; h and c for the LSTM), shared by
    all layers: decoder layer l starts from tanh(W_bridge_p * final_state_p(encoder layer l) + b).
    Decoder, per step t with x = E y_{t-1} (s = the top layer's hidden state):

      BAHDANAU  c_t = attend(s_{t-1});  s_t = cells([x; c_t], s_{t-1});  features = [s_t; c_t]
      LUONG     s_t = cells([x; h~_{t-1}], s_{t-1});  c_t = attend(s_t);
                h~_t = tanh(W_c [c_t; s_t]) (no bias);  features = h~_t   (h~_0 = 0)

    logits = W_o features + b_o; under teacher forcing W_o runs once over all steps' features.
    Parameter names follow the Java model's (encoder.embedding.weight, encoder.rnn.weight_ih_l0,
    bridge.0.weight, decoder.cells.0.weight_ih, decoder.attention.*, decoder.combine.weight,
    decoder.output.*).
    """

    def __init__(self, cell, layers, style):
        super().__init__()
        assert cell in ("gru", "lstm") and style in ("bahdanau", "luong")
        self.cell = cell
        self.style = style
        self.layers = layers
        key_size = HIDDEN  # hidden * directions, unidirectional
        self.encoder = nn.Module()
        self.encoder.embedding = nn.Embedding(VOCAB, EMBEDDING)
        rnn = nn.GRU if cell == "gru" else nn.LSTM
        self.encoder.rnn = rnn(EMBEDDING, HIDDEN, num_layers=layers, batch_first=True)
        parts = 1 if cell == "gru" else 2
        self.bridge = nn.ModuleList(nn.Linear(key_size, HIDDEN) for _ in range(parts))
        self.decoder = nn.Module()
        self.decoder.embedding = nn.Embedding(VOCAB, EMBEDDING)
        extra = key_size if style == "bahdanau" else HIDDEN
        cell_class = nn.GRUCell if cell == "gru" else nn.LSTMCell
        self.decoder.cells = nn.ModuleList(
            cell_class(EMBEDDING + extra if l == 0 else HIDDEN, HIDDEN) for l in range(layers))
        if style == "bahdanau":
            # BenchConfig: new BahdanauAttention(backend, FLOAT32, q, k, q, r): units = query size = hidden
            self.decoder.attention = BahdanauAttention(HIDDEN, key_size, HIDDEN)
            self.decoder.combine = None
            out_in = HIDDEN + key_size
        else:
            self.decoder.attention = LuongGeneralAttention(HIDDEN, key_size)
            self.decoder.combine = nn.Linear(key_size + HIDDEN, HIDDEN, bias=False)
            out_in = HIDDEN
        self.decoder.output = nn.Linear(out_in, VOCAB)

    def output_bias(self):
        return self.decoder.output.bias

    def encode(self, source):
        memory, final = self.encoder.rnn(self.encoder.embedding(source))  # memory [B, S, H]
        finals = (final,) if self.cell == "gru" else final  # each [layers, B, H]
        states = []
        for l in range(self.layers):
            parts = [torch.tanh(self.bridge[p](finals[p][l])) for p in range(len(finals))]
            states.append(parts[0] if self.cell == "gru" else (parts[0], parts[1]))
        keys = self.decoder.attention.prepare_keys(memory)
        pad = source.eq(PAD)  # [B, S], all False on synthetic data; masked as the Java model masks
        attentional = memory.new_zeros(source.size(0), HIDDEN) if self.style == "luong" else None
        return (memory, keys, pad, states, attentional)

    def _top_hidden(self, states):
        top = states[-1]
        return top if self.cell == "gru" else top[0]

    def advance(self, previous, state):
        """One decoder step up to the output layer's input: (features, next state)."""
        memory, keys, pad, states, attentional = state
        x = self.decoder.embedding(previous)
        context = None
        if self.style == "bahdanau":
            context = self.decoder.attention(self._top_hidden(states), keys, memory, pad)
            x = torch.cat((x, context), 1)
        else:
            x = torch.cat((x, attentional), 1)
        nxt = []
        inp = x
        for l, cell in enumerate(self.decoder.cells):
            s = cell(inp, states[l])
            nxt.append(s)
            inp = s if self.cell == "gru" else s[0]
        h = inp
        if self.style == "bahdanau":
            features = torch.cat((h, context), 1)
        else:
            context = self.decoder.attention(h, keys, memory, pad)
            attentional = torch.tanh(self.decoder.combine(torch.cat((context, h), 1)))
            features = attentional
        return features, (memory, keys, pad, nxt, attentional)

    def forward(self, source, target_input):
        """Teacher-forced logits [B, T, V]."""
        state = self.encode(source)
        features = []
        for t in range(target_input.size(1)):
            f, state = self.advance(target_input[:, t], state)
            features.append(f)
        return self.decoder.output(torch.stack(features, 1))

    def step(self, previous, state):
        features, state = self.advance(previous, state)
        return self.decoder.output(features), state


# ---------------------------------------------------------------------------------------------------
# Transformer (models/transformer/TransformerSeq2Seq.java and its layers)
# ---------------------------------------------------------------------------------------------------


def sinusoidal_table(length, d_model):
    """PositionalEncoding.java: sine on even, cosine on odd features (interleaved), in float64."""
    pos = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    j = torch.arange(d_model)
    angle = pos / torch.pow(10000.0, (j - j % 2).to(torch.float64) / d_model)
    table = torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle))
    return table.to(torch.float32)


class TransformerSeq2Seq(nn.Module):
    """TransformerSeq2Seq.java, post-LN: nn.TransformerEncoder/Decoder with final norms (the layout
    and parameter names of nn.Transformer), separate source and target embeddings scaled by
    sqrt(d_model) plus the sinusoidal table, and a generator Linear(d_model, vocab) with bias.
    Masks as the Java model: causal x target padding for the decoder's self-attention, source
    padding for the encoder and the cross-attention (all-False padding on synthetic data).

    Greedy decoding (TransformerSeq2Seq.step in Java): the encoder runs once, each decoder layer's
    cross-attention keys and values are projected once per source, and each step computes the new
    position only, with the self-attention keys and values of the earlier positions cached
    (--transformer-decode cache, the default, the same kind of decoding as the Java model). With
    --transformer-decode prefix each step re-runs the decoder over the whole prefix and keeps the
    last position (the usual nn.Transformer loop; O(t^2) instead of O(t) work per sentence).
    """

    def __init__(self):
        super().__init__()
        self.src_embedding = nn.Embedding(VOCAB, D_MODEL)
        self.tgt_embedding = nn.Embedding(VOCAB, D_MODEL)
        enc_layer = nn.TransformerEncoderLayer(D_MODEL, HEADS, FEED_FORWARD, dropout=0.0, activation="relu",
                                               batch_first=True, norm_first=False)
        # no nested tensors: the Java encoder computes every (unpadded) position as a dense tensor
        self.encoder = nn.TransformerEncoder(enc_layer, TRANSFORMER_LAYERS, norm=nn.LayerNorm(D_MODEL),
                                             enable_nested_tensor=False)
        dec_layer = nn.TransformerDecoderLayer(D_MODEL, HEADS, FEED_FORWARD, dropout=0.0, activation="relu",
                                               batch_first=True, norm_first=False)
        self.decoder = nn.TransformerDecoder(dec_layer, TRANSFORMER_LAYERS, norm=nn.LayerNorm(D_MODEL))
        self.generator = nn.Linear(D_MODEL, VOCAB)
        self.register_buffer("positions", sinusoidal_table(MAX_POSITIONS, D_MODEL), persistent=False)
        self.register_buffer("causal", torch.triu(torch.full((MAX_POSITIONS, MAX_POSITIONS), float("-inf")), 1),
                             persistent=False)
        # nn.Transformer._reset_parameters: Xavier-uniform for every matrix of the encoder and decoder
        for name, p in self.named_parameters():
            if (name.startswith("encoder.") or name.startswith("decoder.")) and p.dim() > 1:
                nn.init.xavier_uniform_(p)
        self.incremental = True

    def output_bias(self):
        return self.generator.bias

    def embed(self, embedding, tokens, start=0):
        return embedding(tokens) * math.sqrt(D_MODEL) + self.positions[start:start + tokens.size(1)]

    def encode_memory(self, source, source_pad):
        return self.encoder(self.embed(self.src_embedding, source), src_key_padding_mask=source_pad)

    def forward(self, source, target_input):
        source_pad = source.eq(PAD)
        memory = self.encode_memory(source, source_pad)
        t = target_input.size(1)
        y = self.decoder(self.embed(self.tgt_embedding, target_input), memory, tgt_mask=self.causal[:t, :t],
                         tgt_key_padding_mask=target_input.eq(PAD), memory_key_padding_mask=source_pad)
        return self.generator(y)

    # -- greedy decoding ------------------------------------------------------------------------

    def encode(self, source):
        source_pad = source.eq(PAD)
        memory = self.encode_memory(source, source_pad)
        if not self.incremental:
            return (memory, source_pad, source.new_empty(source.size(0), 0))
        cross = []
        for layer in self.decoder.layers:
            mha = layer.multihead_attn
            k, v = F.linear(memory, mha.in_proj_weight[D_MODEL:], mha.in_proj_bias[D_MODEL:]).chunk(2, -1)
            cross.append((self._heads(k), self._heads(v)))
        # per layer: cached self-attention keys and values [B, H, t, d_head], None before the first step
        return (source_pad.view(source.size(0), 1, 1, -1), cross, [None] * len(self.decoder.layers), 0)

    def step(self, previous, state):
        if self.incremental:
            return self._cached_step(previous, state)
        memory, source_pad, prefix = state
        prefix = torch.cat((prefix, previous.unsqueeze(1)), 1)
        t = prefix.size(1)
        y = self.decoder(self.embed(self.tgt_embedding, prefix), memory, tgt_mask=self.causal[:t, :t],
                         tgt_key_padding_mask=prefix.eq(PAD), memory_key_padding_mask=source_pad)
        return self.generator(y[:, -1]), (memory, source_pad, prefix)

    @staticmethod
    def _heads(x):  # [B, T, d] -> [B, H, T, d_head]
        return x.view(x.size(0), x.size(1), HEADS, D_MODEL // HEADS).transpose(1, 2)

    @staticmethod
    def _attend(q, k, v, mask):
        """softmax(q k^T / sqrt(d_head)) v over heads; q [B, H, 1, dh]; returns [B, 1, d]."""
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D_MODEL // HEADS)
        if mask is not None:
            scores = scores.masked_fill(mask, MASKED_SCORE)
        context = torch.matmul(scores.softmax(-1), v)  # [B, H, 1, dh]
        return context.transpose(1, 2).reshape(q.size(0), 1, D_MODEL)

    def _cached_step(self, previous, state):
        """TransformerDecoderLayer.step (post-LN) for every layer at position t, then decoder.norm."""
        source_pad, cross, cache, t = state
        x = self.embed(self.tgt_embedding, previous.unsqueeze(1), t)  # [B, 1, d]
        new_cache = []
        for layer, (mk, mv), kv in zip(self.decoder.layers, cross, cache):
            sa = layer.self_attn
            q, k, v = (self._heads(z) for z in F.linear(x, sa.in_proj_weight, sa.in_proj_bias).chunk(3, -1))
            if kv is not None:
                k = torch.cat((kv[0], k), 2)
                v = torch.cat((kv[1], v), 2)
            new_cache.append((k, v))
            x = layer.norm1(x + sa.out_proj(self._attend(q, k, v, None)))
            ca = layer.multihead_attn
            q = self._heads(F.linear(x, ca.in_proj_weight[:D_MODEL], ca.in_proj_bias[:D_MODEL]))
            x = layer.norm2(x + ca.out_proj(self._attend(q, mk, mv, source_pad)))
            x = layer.norm3(x + layer.linear2(F.relu(layer.linear1(x))))
        logits = self.generator(self.decoder.norm(x).squeeze(1))
        return logits, (source_pad, cross, new_cache, t + 1)


# ---------------------------------------------------------------------------------------------------
# Measurement (BenchRunner.java)
# ---------------------------------------------------------------------------------------------------


def build(config):
    if config == "a":
        return RnnSeq2Seq("gru", 1, "bahdanau")
    if config == "b":
        return RnnSeq2Seq("lstm", 2, "luong")
    return TransformerSeq2Seq()


def random_ids(rows, generator):
    return torch.randint(FIRST_TOKEN, VOCAB, (rows, LENGTH), generator=generator, dtype=torch.long)


def training_batch(generator):
    """SyntheticBatches.training: source, target input <sos> y_1 .. y_{n-1}, target output y_1 .. y_n."""
    target = random_ids(BATCH, generator)
    target_input = torch.cat((torch.full((BATCH, 1), SOS, dtype=torch.long), target[:, :-1]), 1)
    source = random_ids(BATCH, generator)
    return source, target_input, target


def global_norm(parameters):
    """sqrt(sum ||g||^2) over all gradients: what clip_grad_norm_(max_norm=inf) computes, without its
    multiplication of every gradient by 1 (GradientClipping.java skips it too)."""
    norms = [torch.linalg.vector_norm(p.grad) for p in parameters if p.grad is not None]
    return torch.linalg.vector_norm(torch.stack(norms))


def train(model, optimizer, pool, warmup, steps):
    params = [p for p in model.parameters() if p.requires_grad]
    model.train()
    tokens = BATCH * LENGTH
    rates = []
    for i in range(warmup + steps):
        source, target_input, target = pool[i % len(pool)]
        start = time.perf_counter_ns()
        optimizer.zero_grad(set_to_none=True)
        logits = model(source, target_input)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), target.reshape(-1))  # mean over target tokens
        loss.backward()
        norm = global_norm(params)
        loss_value, norm_value = loss.item(), norm.item()  # read back, as the Java step does
        if not (math.isfinite(loss_value) and math.isfinite(norm_value)):
            raise RuntimeError(f"step {i + 1}: non-finite loss {loss_value} or gradient norm {norm_value}")
        optimizer.step()
        nanos = time.perf_counter_ns() - start
        if i >= warmup:
            rates.append(tokens / (max(nanos, 1) / 1e9))
    return rates


def greedy(model, source):
    """Encode + exactly LENGTH steps on the whole batch, arg-max of log_softmax at every step."""
    state = model.encode(source)
    previous = torch.full((source.size(0),), SOS, dtype=torch.long)
    score = torch.zeros(source.size(0))
    out = []
    for _ in range(LENGTH):
        logits, state = model.step(previous, state)
        best, previous = logits.log_softmax(-1).max(-1)
        score += best
        out.append(previous)
    return torch.stack(out, 1), score


def decode(model, source, warmup, steps):
    rates = []
    tokens = None
    with torch.no_grad():
        for i in range(warmup + steps):
            start = time.perf_counter_ns()
            tokens, _ = greedy(model, source)
            nanos = time.perf_counter_ns() - start
            if i >= warmup:
                rates.append(source.size(0) / (max(nanos, 1) / 1e9))
    if tokens.shape != (source.size(0), LENGTH) or bool(tokens.eq(EOS).any()):
        raise RuntimeError("greedy decoding produced <eos> or a short output; the <eos> bias was not applied")
    return rates


def summary(rates):
    return statistics.median(rates), min(rates), max(rates)


def fmt(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def fmt_rates(rates):
    med, lo, hi = summary(rates)
    return f"{fmt(med)} [{fmt(lo)}-{fmt(hi)}]"


def loaded_blas():
    """The BLAS / LAPACK / OpenMP libraries mapped into this process (Linux only)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if len(line.split()) >= 6}
    except OSError:
        return "unknown (no /proc/self/maps)"
    keys = ("blas", "mkl", "lapack", "gomp", "iomp")
    found = sorted({os.path.realpath(n) for n in paths if any(k in os.path.basename(n).lower() for k in keys)})
    return ", ".join(found) if found else "none found (statically linked?)"


def openblas_core():
    """The kernel set OpenBLAS chose (openblas_get_corename), or None when no OpenBLAS is loaded.

    OpenBLAS 0.3.21 (Debian 12) does not know newer CPUs and falls back to "Prescott" (SSE3)
    kernels: on an Intel Xeon of model 207 PyTorch's 512^3 product ran at 48 GFLOP/s so, 135 with
    OPENBLAS_CORETYPE=SkylakeX."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    except OSError:
        return None
    for lib in sorted(libs):
        try:
            get = ctypes.CDLL(lib).openblas_get_corename
        except (OSError, AttributeError):
            continue
        get.restype = ctypes.c_char_p
        return get().decode()
    return None


def run_config(config, args):
    torch.manual_seed(args.seed)
    model = build(config)
    if config == "c":
        model.incremental = args.transformer_decode == "cache"
    count = sum(p.numel() for p in model.parameters())
    java = JAVA_PARAMETERS[config]
    verdict = "equal" if count == java else f"DIFFERENT by {count - java:+,}"
    print(f"{config}/pytorch: {DESCRIPTIONS[config]}, {count:,} parameters (Java model {java:,}: {verdict})",
          file=sys.stderr, flush=True)
    if args.list_parameters:
        for name, p in model.named_parameters():
            print(f"  {name} {list(p.shape)}", file=sys.stderr)

    data = torch.Generator().manual_seed(args.seed * 1000 + 2)
    pool = [training_batch(data) for _ in range(POOL)]
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    print(f"{config}/pytorch: training, {args.warmup} warm-up + {args.steps} measured steps of {BATCH * LENGTH} "
          "target tokens", file=sys.stderr, flush=True)
    training = train(model, optimizer, pool, args.warmup, args.steps)

    model.eval()
    with torch.no_grad():
        model.output_bias()[EOS] = EOS_BIAS  # BenchRunner.suppressEos
    greedy_rates = {}
    for batch in DECODE_BATCHES:
        print(f"{config}/pytorch: greedy decoding, batch {batch}, {args.warmup} warm-up + {args.steps} measured runs "
              f"of {LENGTH} steps", file=sys.stderr, flush=True)
        source = random_ids(batch, torch.Generator().manual_seed(args.seed * 1000 + 100 + batch))
        greedy_rates[batch] = decode(model, source, args.warmup, args.steps)
    return count, java, training, greedy_rates


def write_json(args, results, configs, core):
    """The medians in PyTorchReference.java's JSON form: label, training by config, greedy by batch then config."""
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    label = (f"PyTorch {torch.__version__} CPU, {torch.get_num_threads()} threads"
             + (f", OpenBLAS {core}" if core else "") + (", subnormals flushed" if args.flush_denormal else "")
             + f" ({stamp}, {platform.node()})")
    reference = {
        "label": label,
        "training": {c: summary(results[c][2])[0] for c in configs},
        "greedy": {str(b): {c: summary(results[c][3][b])[0] for c in configs} for b in DECODE_BATCHES},
    }
    with open(args.json, "w") as out:
        json.dump(reference, out, indent=2)
    print(f"medians written to {args.json} (seq2seq bench --reference {args.json})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="abc", help="configurations to run, any of a, b, c (default abc)")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured steps and runs first (default 100)")
    parser.add_argument("--steps", type=int, default=20, help="measured training steps and decoding runs (default 20)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--seed", type=int, default=7, help="seed of weights and data (default 7)")
    parser.add_argument("--flush-denormal", action="store_true",
                        help="call torch.set_flush_denormal(True) first (default: not called)")
    parser.add_argument("--transformer-decode", choices=("cache", "prefix"), default="cache",
                        help="c's greedy decoding: key/value cache as the Java model (default), or re-run the "
                             "decoder over the prefix every step")
    parser.add_argument("--list-parameters", action="store_true", help="print every parameter's name and shape")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the medians as JSON for `seq2seq bench --reference FILE`")
    args = parser.parse_args()
    configs = []
    for c in args.configs.lower():
        if c not in "abc" or c in configs:
            parser.error(f"--configs takes a, b and c, each at most once; got '{args.configs}'")
        configs.append(c)
    if not configs or args.steps < 1 or args.warmup < 0 or args.threads < 1:
        parser.error("need at least one config, --steps >= 1, --warmup >= 0 and --threads >= 1")

    torch.set_num_threads(args.threads)
    if args.flush_denormal:
        flushed = f"torch.set_flush_denormal(True) returned {torch.set_flush_denormal(True)}"
    else:
        flushed = "not requested (PyTorch's default: not flushed)"

    print(f"PyTorch {torch.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    print(f"threads: {torch.get_num_threads()} intra-op (interop {torch.get_num_interop_threads()}); "
          f"flush denormals: {flushed}")
    blas = loaded_blas()
    print(f"BLAS: {blas}")
    if "openblas" not in blas and "mkl" not in blas and "/blas/libblas.so" in blas:
        print("WARNING: this is the reference (netlib) BLAS, tens of times slower than OpenBLAS; the recorded "
              "figures used OpenBLAS (Debian: apt-get install libopenblas0-pthread)")
    core = openblas_core()
    if core is not None:
        print(f"OpenBLAS kernels: {core}" + (f" (OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']})"
                                             if "OPENBLAS_CORETYPE" in os.environ else ""))
        if core.lower() in ("prescott", "core2", "penryn", "nehalem", "generic"):
            print(f"WARNING: OpenBLAS fell back to its {core} kernels (it does not recognise this CPU); set "
                  "OPENBLAS_CORETYPE (e.g. SkylakeX on an AVX-512 Intel CPU, Zen on AMD) for a fair reference")
    print(f"{args.warmup} warm-up + {args.steps} measured steps/runs; vocab {VOCAB}, length {LENGTH}, batch {BATCH}; "
          f"seed {args.seed}; Transformer decoding: {args.transformer_decode}")

    results = {}
    for c in configs:
        results[c] = run_config(c, args)

    print()
    header = ("model", "parameters (PyTorch / Java)", "training, target tokens/s",
              "greedy batch 64, sentences/s", "greedy batch 1, sentences/s")
    rows = [header]
    for c in configs:
        count, java, training, greedy_rates = results[c]
        rows.append((f"({c}) {DESCRIPTIONS[c]}", f"{count:,} / {java:,}" + ("" if count == java else " !"),
                     fmt_rates(training), fmt_rates(greedy_rates[64]), fmt_rates(greedy_rates[1])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for k, r in enumerate(rows):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print("median [min-max]; recorded in PyTorchReference.java (2026-11-22, OpenBLAS): "
          + "; ".join(f"({c}) {RECORDED[c][0]:,} / {RECORDED[c][1]:,} / {RECORDED[c][2]:,}" for c in configs))
    if args.json:
        write_json(args, results, configs, core)
    if any(results[c][0] != results[c][1] for c in configs):
        print("WARNING: a parameter count differs from the Java model's; the architectures do not match")
        sys.exit(1)


if __name__ == "__main__":
    main()
