package dev.seq2seq.backend.ejml.floatmath;

/**
 * {@link FloatMath} with {@link Math} in double precision, rounded once to float: correctly rounded
 * but slow for tanh ({@code Math.tanh} is not a JIT intrinsic on JDK 17: ~40 ns an element here);
 * subnormal exp and sigmoid results flushed to zero, as every implementation flushes them.
 */
final class ScalarFloatMath implements FloatMath {
  static final ScalarFloatMath INSTANCE = new ScalarFloatMath();

  private ScalarFloatMath() {}

  @Override
  public String name() {
    return FloatMaths.SCALAR;
  }

  @Override
  public void exp(float[] in, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = FloatMath.flushSubnormal((float) Math.exp(in[i]));
    }
  }

  @Override
  public void tanh(float[] in, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = (float) Math.tanh(in[i]);
    }
  }

  @Override
  public void sigmoid(float[] in, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = FloatMath.flushSubnormal((float) (1.0 / (1.0 + Math.exp(-(double) in[i]))));
    }
  }
}
