package dev.seq2seq.backend.ejml.floatmath;

/**
 * Float32 {@code exp}, {@code tanh} and {@code sigmoid} over arrays: {@code out[i] = f(in[i])} for
 * {@code i} in a range, where {@code in} and {@code out} may be the same array. Each element's
 * result does not depend on the range it was computed in.
 *
 * <p>Every implementation stays within {@link #MAX_ULPS} units in the last place of the correctly
 * rounded result (the double-precision function rounded once to float), maps NaN to NaN, and gives
 * the limits exactly: {@code exp(-inf) = 0}, {@code exp(+inf) = +inf}, {@code tanh(+-inf) = +-1},
 * {@code sigmoid(-inf) = 0}, {@code sigmoid(+inf) = 1}.
 */
public interface FloatMath {
  /** The error bound of every implementation, in float32 units in the last place. */
  int MAX_ULPS = 3;

  /** A short name, e.g. for a backend's description. */
  String name();

  /** {@code out[i] = e^in[i]} for {@code from <= i < to}. */
  void exp(float[] in, float[] out, int from, int to);

  /** {@code out[i] = tanh(in[i])} for {@code from <= i < to}. */
  void tanh(float[] in, float[] out, int from, int to);

  /** {@code out[i] = 1 / (1 + e^-in[i])} for {@code from <= i < to}. */
  void sigmoid(float[] in, float[] out, int from, int to);

  /** {@code out[i] = e^in[i]} for {@code i < n}. */
  default void exp(float[] in, float[] out, int n) {
    exp(in, out, 0, n);
  }

  /** {@code out[i] = tanh(in[i])} for {@code i < n}. */
  default void tanh(float[] in, float[] out, int n) {
    tanh(in, out, 0, n);
  }

  /** {@code out[i] = 1 / (1 + e^-in[i])} for {@code i < n}. */
  default void sigmoid(float[] in, float[] out, int n) {
    sigmoid(in, out, 0, n);
  }
}
