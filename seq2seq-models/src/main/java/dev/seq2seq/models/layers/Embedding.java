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
 * A lookup table of vectors, PyTorch's {@code nn.Embedding}:
 *
 * <pre>  y[..., :] = W[id[...], :]</pre>
 *
 * <p>with {@code weight} {@code W [vocab, dim]} initialised from {@code N(0, 1)} as in PyTorch.
 * Ids are int32 of any shape {@code [...]}; the result is {@code [..., dim]}. The gradient of a
 * row is the sum over its uses (gather's adjoint, scatter-add).
 */
public final class Embedding extends Module {
  private final int vocabSize;
  private final int dim;
  private final Parameter weight;

  /**
   * A table of {@code vocabSize} vectors of {@code dim} features drawn from {@code rng}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public Embedding(Backend backend, DType dtype, int vocabSize, int dim, Rng rng) {
    checkArgument(vocabSize > 0 && dim > 0, "embedding: sizes must be positive, got vocab=%s dim=%s", vocabSize, dim);
    this.vocabSize = vocabSize;
    this.dim = dim;
    this.weight = registerParameter("weight", new Parameter(Tensors.normal(backend, dtype, Shape.of(vocabSize, dim), rng, 0, 1)));
  }

  /**
   * Looks up {@code ids}.
   *
   * @param ids int32 ids in {@code [0, vocabSize)}, any shape
   * @return {@code [..., dim]}
   * @throws IllegalArgumentException if {@code ids} is not int32, or (from the backend's gather, which
   *     checks every index on every backend) if an id is out of range, naming the id and {@code [0, vocabSize)}
   */
  public Tensor forward(Tensor ids) {
    checkArgument(ids.dtype() == DType.INT32, "embedding: ids must be int32, got %s %s", ids.dtype().label(), ids.shape());
    // No host-side check here: reading the ids back would cost a device sync per call and is
    // impossible while a backend traces a compiled step; gather itself rejects bad ids.
    return weight.value().gather(ids, 0);
  }

  /** Number of rows. */
  public int vocabSize() {
    return vocabSize;
  }

  /** Features per row. */
  public int dim() {
    return dim;
  }

  /** {@code W [vocab, dim]}. */
  public Parameter weight() {
    return weight;
  }
}
