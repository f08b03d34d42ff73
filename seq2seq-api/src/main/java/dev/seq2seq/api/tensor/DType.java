package dev.seq2seq.api.tensor;

/**
 * The element type of a tensor.
 *
 * <p>{@link #FLOAT32} is the training and inference type; {@link #FLOAT64} exists for gradient
 * checks by finite differences; {@link #INT32} holds token ids, indices and argmax results.
 */
public enum DType {
  /** IEEE 754 single precision, 4 bytes. */
  FLOAT32(4, true),
  /** IEEE 754 double precision, 8 bytes. */
  FLOAT64(8, true),
  /** Two's-complement signed 32-bit integer, 4 bytes. */
  INT32(4, false);

  private final int byteSize;
  private final boolean floating;
  private final String label = name().toLowerCase(java.util.Locale.ROOT);

  DType(int byteSize, boolean floating) {
    this.byteSize = byteSize;
    this.floating = floating;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether this is a floating-point type (and so differentiable). */
  public boolean isFloating() {
    return floating;
  }

  /** Lower-case name as used in configs and checkpoints, e.g. {@code float32}. */
  public String label() {
    return label;
  }
}
