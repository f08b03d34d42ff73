package dev.seq2seq.api.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.random.Rng;
import java.util.Arrays;

/**
 * Factories for constant tensors: from arrays, filled, and seeded random.
 *
 * <p>Random tensors are drawn in Java from an explicit {@link Rng} and then copied to the backend,
 * so the same seed gives the same numbers on every backend (and in both floating dtypes, float32
 * being the rounded float64 draw).
 */
public final class Tensors {
  private Tensors() {}

  /** A float32 tensor with a copy of {@code data}. */
  public static Tensor of(Backend backend, float[] data, int... dims) {
    Shape shape = checked("of", data.length, dims);
    return Tensor.wrap(backend, backend.fromFloats(data, shape));
  }

  /** A float64 tensor with a copy of {@code data}. */
  public static Tensor of(Backend backend, double[] data, int... dims) {
    Shape shape = checked("of", data.length, dims);
    return Tensor.wrap(backend, backend.fromDoubles(data, shape));
  }

  /** An int32 tensor with a copy of {@code data}. */
  public static Tensor of(Backend backend, int[] data, int... dims) {
    Shape shape = checked("of", data.length, dims);
    return Tensor.wrap(backend, backend.fromInts(data, shape));
  }

  /** A tensor of {@code dtype} from double values (rounded to float or truncated to int as needed). */
  public static Tensor of(Backend backend, DType dtype, double[] data, Shape shape) {
    checked("of", data.length, shape.toArray());
    switch (dtype) {
      case FLOAT64:
        return Tensor.wrap(backend, backend.fromDoubles(data, shape));
      case FLOAT32: {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) data[i];
        }
        return Tensor.wrap(backend, backend.fromFloats(f, shape));
      }
      case INT32: {
        int[] n = new int[data.length];
        for (int i = 0; i < n.length; i++) {
          n[i] = (int) data[i];
        }
        return Tensor.wrap(backend, backend.fromInts(n, shape));
      }
      default:
        throw new AssertionError(dtype);
    }
  }

  /** A rank-0 tensor holding {@code value}. */
  public static Tensor scalar(Backend backend, DType dtype, double value) {
    return of(backend, dtype, new double[] {value}, Shape.scalar());
  }

  /** A tensor filled with {@code value}. */
  public static Tensor full(Backend backend, DType dtype, Shape shape, double value) {
    double[] d = new double[shape.size()];
    Arrays.fill(d, value);
    return of(backend, dtype, d, shape);
  }

  /** A tensor of zeros. */
  public static Tensor zeros(Backend backend, DType dtype, Shape shape) {
    return full(backend, dtype, shape, 0.0);
  }

  /** A tensor of ones. */
  public static Tensor ones(Backend backend, DType dtype, Shape shape) {
    return full(backend, dtype, shape, 1.0);
  }

  /** Independent draws from {@code U[low, high)}. */
  public static Tensor uniform(Backend backend, DType dtype, Shape shape, Rng rng, double low, double high) {
    checkArgument(low < high, "uniform: need low < high, got [%s, %s)", low, high);
    double[] d = new double[shape.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = low + (high - low) * rng.nextDouble();
    }
    return of(backend, dtype, d, shape);
  }

  /** Independent draws from {@code N(mean, std^2)}. */
  public static Tensor normal(Backend backend, DType dtype, Shape shape, Rng rng, double mean, double std) {
    double[] d = new double[shape.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = mean + std * rng.nextGaussian();
    }
    return of(backend, dtype, d, shape);
  }

  /** Draws of 1 with probability {@code p}, else 0 (e.g. a dropout keep-mask with {@code p = 1 - rate}). */
  public static Tensor bernoulli(Backend backend, DType dtype, Shape shape, Rng rng, double p) {
    checkArgument(p >= 0 && p <= 1, "bernoulli: probability %s outside [0, 1]", p);
    double[] d = new double[shape.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextDouble() < p ? 1.0 : 0.0;
    }
    return of(backend, dtype, d, shape);
  }

  private static Shape checked(String op, int length, int[] dims) {
    Shape shape = Shape.of(dims);
    if (shape.size() != length) {
      throw new IllegalArgumentException(String.format(
          "%s: %d values do not fill shape %s (%d elements)", op, length, shape, shape.size()));
    }
    return shape;
  }
}
