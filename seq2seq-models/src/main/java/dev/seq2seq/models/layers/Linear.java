package dev.seq2seq.models.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * An affine map of the last axis, PyTorch's {@code nn.Linear}:
 *
 * <pre>  y = x W^T + b</pre>
 *
 * <p>with {@code weight} {@code W [out, in]} and {@code bias} {@code b [out]}. The input may have
 * any number of leading axes: {@code [..., in] -> [..., out]}. Both parameters start as draws from
 * {@code U(-1/sqrt(in), 1/sqrt(in))} (weight first, then bias), as in PyTorch.
 */
public final class Linear extends Module {
  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  /** A layer with a bias. */
  public Linear(Backend backend, DType dtype, int inFeatures, int outFeatures, Rng rng) {
    this(backend, dtype, inFeatures, outFeatures, true, rng);
  }

  /**
   * A layer {@code in -> out}, with or without a bias, initialised from {@code rng}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Linear(Backend backend, DType dtype, int inFeatures, int outFeatures, boolean withBias, Rng rng) {
    checkArgument(inFeatures > 0 && outFeatures > 0, "linear: sizes must be positive, got in=%s out=%s", inFeatures, outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    double k = 1.0 / Math.sqrt(inFeatures);
    this.weight = registerParameter("weight",
        new Parameter(Tensors.uniform(backend, dtype, Shape.of(outFeatures, inFeatures), rng, -k, k)));
    this.bias = withBias
        ? registerParameter("bias", new Parameter(Tensors.uniform(backend, dtype, Shape.of(outFeatures), rng, -k, k)))
        : null;
  }

  /**
   * A layer starting from the given values: {@code weight [out, in]} and {@code bias [out]} or null
   * for none (e.g. PyTorch's zero-initialised biases, or weights loaded from elsewhere).
   *
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public Linear(Tensor weight, Tensor bias) {
    checkArgument(weight.rank() == 2, "linear: weight %s must be [out, in]", weight.shape());
    checkArgument(bias == null || (bias.rank() == 1 && bias.dim(0) == weight.dim(0)),
        "linear: bias %s must be [%s] for weight %s", bias == null ? null : bias.shape(), weight.dim(0), weight.shape());
    this.inFeatures = weight.dim(1);
    this.outFeatures = weight.dim(0);
    this.weight = registerParameter("weight", new Parameter(weight));
    this.bias = bias == null ? null : registerParameter("bias", new Parameter(bias));
  }

  /**
   * Applies the map to {@code x [..., in]}.
   *
   * @return {@code [..., out]}
   * @throws IllegalArgumentException if the last axis of {@code x} is not {@code in}
   */
  public Tensor forward(Tensor x) {
    checkArgument(x.rank() >= 1 && x.dim(-1) == inFeatures,
        "linear: input %s must end in %s features (weight [%s, %s])", x.shape(), inFeatures, outFeatures, inFeatures);
    int[] dims = x.shape().toArray();
    Tensor y = x.reshape(-1, inFeatures).matmul(weight.value(), false, true);
    if (bias != null) {
      y = y.add(bias.value());
    }
    dims[dims.length - 1] = outFeatures;
    return y.reshape(dims);
  }

  /** Features per input. */
  public int inFeatures() {
    return inFeatures;
  }

  /** Features per output. */
  public int outFeatures() {
    return outFeatures;
  }

  /** {@code W [out, in]}. */
  public Parameter weight() {
    return weight;
  }

  /** {@code b [out]}, or null without a bias. */
  public Parameter bias() {
    return bias;
  }
}
