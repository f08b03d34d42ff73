package dev.seq2seq.models.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * Layer normalisation over the last axis (Ba, Kiros and Hinton, "Layer Normalization", 2016),
 * PyTorch's {@code nn.LayerNorm(dim)}:
 *
 * <pre>  y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias</pre>
 *
 * <p>where mean and the biased variance {@code var(x) = mean((x - mean(x))^2)} are taken over the
 * last axis of {@code [..., dim]}; {@code weight [dim]} starts at ones and {@code bias [dim]} at
 * zeros; {@code eps} defaults to {@code 1e-5}.
 */
public final class LayerNorm extends Module {
  /** PyTorch's default epsilon. */
  public static final double DEFAULT_EPS = 1e-5;

  private final int dim;
  private final double eps;
  private final Parameter weight;
  private final Parameter bias;

  /** Normalises {@code dim} features with {@link #DEFAULT_EPS}. */
  public LayerNorm(Backend backend, DType dtype, int dim) {
    this(backend, dtype, dim, DEFAULT_EPS);
  }

  /**
   * Normalises {@code dim} features with {@code eps} added to the variance.
   *
   * @throws IllegalArgumentException if {@code dim} is not positive or {@code eps} is negative
   */
  public LayerNorm(Backend backend, DType dtype, int dim, double eps) {
    checkArgument(dim > 0, "layer norm: dim must be positive, got %s", dim);
    checkArgument(eps >= 0, "layer norm: eps must be >= 0, got %s", eps);
    this.dim = dim;
    this.eps = eps;
    this.weight = registerParameter("weight", new Parameter(Tensors.ones(backend, dtype, Shape.of(dim))));
    this.bias = registerParameter("bias", new Parameter(Tensors.zeros(backend, dtype, Shape.of(dim))));
  }

  /**
   * Normalises {@code x [..., dim]}.
   *
   * @throws IllegalArgumentException if the last axis is not {@code dim}
   */
  public Tensor forward(Tensor x) {
    checkArgument(x.rank() >= 1 && x.dim(-1) == dim, "layer norm: input %s must end in %s features", x.shape(), dim);
    return x.layerNorm(weight.value(), bias.value(), eps); // one fused kernel where the backend has it
  }

  /** Features normalised. */
  public int dim() {
    return dim;
  }

  /** The scale, {@code [dim]}. */
  public Parameter weight() {
    return weight;
  }

  /** The shift, {@code [dim]}. */
  public Parameter bias() {
    return bias;
  }
}
