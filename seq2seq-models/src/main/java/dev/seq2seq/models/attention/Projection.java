package dev.seq2seq.models.attention;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * The parameters of an affine map {@code y = x W^T + b} laid out like PyTorch's {@code nn.Linear}:
 * {@code weight [out, in]} and optionally {@code bias [out]}. Owned here rather than borrowed from
 * the layers package so the attentions depend on the api only.
 */
final class Projection extends Module {
  /** A projection initialised like PyTorch's {@code nn.Linear}: both drawn from {@code U(-1/sqrt(in), 1/sqrt(in))}, weight first. */
  Projection(Backend backend, DType dtype, int in, int out, boolean withBias, Rng rng) {
    double k = 1.0 / Math.sqrt(in);
    registerParameter("weight", new Parameter(Tensors.uniform(backend, dtype, Shape.of(out, in), rng, -k, k)));
    if (withBias) {
      registerParameter("bias", new Parameter(Tensors.uniform(backend, dtype, Shape.of(out), rng, -k, k)));
    }
  }

  /** A projection with the given initial weight and optional bias. */
  Projection(Tensor weight, Tensor bias) {
    registerParameter("weight", new Parameter(weight));
    if (bias != null) {
      registerParameter("bias", new Parameter(bias));
    }
  }

  /** {@code x W^T (+ b)} over the last axis of {@code x [..., in]}, any leading axes. */
  static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
    Tensor y = x.matmul(weight, false, true);
    return bias == null ? y : y.add(bias);
  }
}
