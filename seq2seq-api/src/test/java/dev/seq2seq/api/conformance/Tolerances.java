package dev.seq2seq.api.conformance;

import dev.seq2seq.api.tensor.DType;

/**
 * Every numeric tolerance of the project's tests, in one place, per dtype.
 *
 * <ul>
 *   <li>Forward values and cross-backend agreement: float32 rel 1e-5 / abs 1e-6 (float32 has a
 *       24-bit significand, ~6e-8 relative per rounding; a few dozen accumulated roundings stay
 *       below 1e-5); float64 rel 1e-12 / abs 1e-12.
 *   <li>Finite-difference gradient checks (float64 only): central differences with step 1e-6 have
 *       truncation error O(h^2) ~ 1e-12 and cancellation error ~ 1e-16 / 1e-6 = 1e-10 per unit
 *       of the function's magnitude, so rel 1e-6 / abs 1e-8 leaves a wide margin while still
 *       catching any wrong backward rule (those err by O(1)).
 * </ul>
 */
public final class Tolerances {
  /** Float32 values: forward results and cross-backend agreement. */
  public static final Tolerance FLOAT32 = new Tolerance(1e-5, 1e-6);
  /**
   * Float32 matrix products compared across backends: rel 1e-5 / abs 1e-5. BLAS-style GEMM
   * (EJML's and TensorFlow's) accumulates the K products of a dot product in float32, in an order
   * each library chooses; the rounding error of such a sum grows like {@code sqrt(K) * 2^-24 *
   * sum|a_k b_k|} (worst case linearly in K). Measured: K = 256, inputs in [-2, 2): 1.3e-6 absolute
   * between ejml and tensorflow, above {@link #FLOAT32}'s 1e-6 floor.
   */
  public static final Tolerance FLOAT32_MATMUL = new Tolerance(1e-5, 1e-5);
  /** Float64 values: forward results and cross-backend agreement. */
  public static final Tolerance FLOAT64 = new Tolerance(1e-12, 1e-12);
  /** Float64 autodiff gradient vs central finite differences. */
  public static final Tolerance GRADIENT_CHECK = new Tolerance(1e-6, 1e-8);
  /** Step of the central finite differences. */
  public static final double FINITE_DIFFERENCE_STEP = 1e-6;

  private Tolerances() {}

  /** The value tolerance for {@code dtype} (int32 must match exactly). */
  public static Tolerance of(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return FLOAT32;
      case FLOAT64:
        return FLOAT64;
      default:
        return new Tolerance(0, 0);
    }
  }
}
