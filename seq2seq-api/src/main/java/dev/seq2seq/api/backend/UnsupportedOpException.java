package dev.seq2seq.api.backend;

/**
 * Thrown by a {@link Backend} for a primitive (or a dtype of it) it does not implement.
 *
 * <p>The conformance kit reports such ops as UNSUPPORTED, never as a pass.
 */
public final class UnsupportedOpException extends UnsupportedOperationException {
  private final Op op;
  private final String backend;

  /**
   * @param op the primitive
   * @param backend the backend's name
   * @param detail what exactly is missing, e.g. {@code "dtype int32"}
   */
  public UnsupportedOpException(Op op, String backend, String detail) {
    super(String.format("%s: not supported by backend '%s' (%s)", op.label(), backend, detail));
    this.op = op;
    this.backend = backend;
  }

  /** The primitive that is missing. */
  public Op op() {
    return op;
  }

  /** The backend that lacks it. */
  public String backend() {
    return backend;
  }
}
