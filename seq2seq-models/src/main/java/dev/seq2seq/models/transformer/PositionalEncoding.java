package dev.seq2seq.models.transformer;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.layers.Dropout;

/**
 * Sinusoidal positional encoding (Vaswani et al., "Attention Is All You Need", NeurIPS 2017,
 * section 3.5), applied to token embeddings:
 *
 * <pre>  PE(pos, 2i)     = sin(pos / 10000^(2i / d_model))
 *  PE(pos, 2i + 1) = cos(pos / 10000^(2i / d_model))
 *  y = dropout(x * sqrt(d_model) + PE[0 .. T-1])</pre>
 *
 * <p>Even and odd features are interleaved (sine on even, cosine on odd indices) as in the paper;
 * the embeddings are scaled by {@code sqrt(d_model)} first (section 3.4). The table is computed once
 * in float64 for {@code maxLength} positions and has no trainable parameters. Dropout draws its
 * masks from the given {@link Rng} and is the identity when not training.
 */
public final class PositionalEncoding extends Module {
  private final int dModel;
  private final int maxLength;
  private final double[] table;
  private final Tensor encoding;
  private final Dropout dropout;

  /**
   * Encodings of {@code dModel} features for positions {@code 0 .. maxLength - 1}, followed by
   * dropout with probability {@code dropout}.
   *
   * @throws IllegalArgumentException if a size is not positive or the dropout is outside {@code [0, 1]}
   */
  public PositionalEncoding(Backend backend, DType dtype, int dModel, int maxLength, double dropout, Rng rng) {
    checkArgument(dModel > 0 && maxLength > 0, "positional encoding: sizes must be positive, got d_model=%s maxLength=%s", dModel, maxLength);
    checkArgument(dtype.isFloating(), "positional encoding: dtype must be floating point, got %s", dtype.label());
    this.dModel = dModel;
    this.maxLength = maxLength;
    this.table = new double[maxLength * dModel];
    for (int pos = 0; pos < maxLength; pos++) {
      for (int j = 0; j < dModel; j++) {
        double angle = pos / Math.pow(10000.0, (double) (j - j % 2) / dModel);
        table[pos * dModel + j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    this.encoding = Tensors.of(backend, dtype, table, Shape.of(maxLength, dModel));
    TensorScope.untrack(encoding.raw());
    this.dropout = registerModule("dropout", new Dropout(dropout, rng));
  }

  /** {@code PE(pos, j)} in float64. */
  public double value(int pos, int j) {
    checkArgument(pos >= 0 && pos < maxLength && j >= 0 && j < dModel,
        "positional encoding: (%s, %s) outside [0, %s) x [0, %s)", pos, j, maxLength, dModel);
    return table[pos * dModel + j];
  }

  /** The encodings of positions {@code 0 .. length - 1}: a constant {@code [length, d_model]}. */
  public Tensor encoding(int length) {
    checkArgument(length > 0 && length <= maxLength,
        "positional encoding: length %s outside [1, %s] (raise the model's maximum length)", length, maxLength);
    return length == maxLength ? encoding : encoding.sliceAxis(0, 0, length);
  }

  /**
   * {@code dropout(x * sqrt(d_model) + PE)} for embeddings {@code x [B, T, d_model]}.
   *
   * @throws IllegalArgumentException if {@code x} is not {@code [batch, length, d_model]} or the
   *     length exceeds the maximum
   */
  public Tensor forward(Tensor x) {
    checkArgument(x.rank() == 3 && x.dim(2) == dModel,
        "positional encoding: input %s must be [batch, length, %s]", x.shape(), dModel);
    Tensor pe = encoding(x.dim(1));
    checkArgument(pe.dtype() == x.dtype(), "positional encoding: input is %s, the table %s", x.dtype().label(), pe.dtype().label());
    return dropout.forward(x.mul(Math.sqrt(dModel)).add(pe));
  }

  /**
   * {@code dropout(x * sqrt(d_model) + PE)} for embeddings {@code x [B, T, d_model]} at positions
   * {@code start .. start + T - 1} (incremental decoding feeds one position at a time).
   *
   * @throws IllegalArgumentException if {@code x} is not {@code [batch, length, d_model]} or the
   *     last position exceeds the maximum
   */
  public Tensor forward(Tensor x, int start) {
    checkArgument(x.rank() == 3 && x.dim(2) == dModel,
        "positional encoding: input %s must be [batch, length, %s]", x.shape(), dModel);
    checkArgument(start >= 0, "positional encoding: start position %s must be >= 0", start);
    checkArgument(start + x.dim(1) <= maxLength,
        "positional encoding: length %s outside [1, %s] (raise the model's maximum length)", start + x.dim(1), maxLength);
    if (start == 0) {
      return forward(x);
    }
    Tensor pe = encoding.sliceAxis(0, start, x.dim(1));
    checkArgument(pe.dtype() == x.dtype(), "positional encoding: input is %s, the table %s", x.dtype().label(), pe.dtype().label());
    return dropout.forward(x.mul(Math.sqrt(dModel)).add(pe));
  }

  /** The number of features. */
  public int dModel() {
    return dModel;
  }

  /** The longest sequence that can be encoded. */
  public int maxLength() {
    return maxLength;
  }
}
