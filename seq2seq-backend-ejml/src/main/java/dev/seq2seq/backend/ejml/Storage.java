package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.tensor.DType;

/**
 * The typed inner loops of the backend: every place that must distinguish a {@code float[]}, a
 * {@code double[]} and an {@code int[]} to move or add elements lives here.
 *
 * <p>Arrays are passed as {@link Object} so that the index arithmetic of callers is written once
 * for all dtypes. Contiguous copies go through {@link System#arraycopy}, which needs no type switch.
 * Floating-point data is accumulated in {@code double[]} (also for float32) and int32 data in
 * {@code int[]}, with Java's wrap-around on overflow.
 */
final class Storage {
  private Storage() {}

  /** The dtype of a {@code float[]}, {@code double[]} or {@code int[]}. */
  static DType dtypeOf(Object array) {
    if (array instanceof float[]) {
      return DType.FLOAT32;
    }
    if (array instanceof double[]) {
      return DType.FLOAT64;
    }
    if (array instanceof int[]) {
      return DType.INT32;
    }
    throw new IllegalArgumentException("ejml: unsupported storage " + array.getClass().getSimpleName());
  }

  /** A zero-filled array of {@code n} elements of {@code dtype}, recycled by the {@link ArrayPool} when one is free. */
  static Object allocate(DType dtype, int n) {
    return ArrayPool.SHARED.zeroed(dtype, n);
  }

  /**
   * An array of {@code n} elements of {@code dtype} with arbitrary contents, recycled by the
   * {@link ArrayPool} when one is free: only for kernels that write every element before reading any.
   */
  static Object allocateUnfilled(DType dtype, int n) {
    return ArrayPool.SHARED.unfilled(dtype, n);
  }

  /** A new zero-filled array of {@code n} elements of {@code dtype}, never recycled. */
  static Object fresh(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32:
        return new float[n];
      case FLOAT64:
        return new double[n];
      case INT32:
        return new int[n];
      default:
        throw new AssertionError(dtype);
    }
  }

  /**
   * A zero-filled accumulator for sums of {@code dtype} values: {@code double[]} for floating types
   * (float32 sums gain precision), {@code int[]} for int32. {@link #fromAccumulator} finishes it.
   */
  static Object allocateAccumulator(DType dtype, int n) {
    return allocate(dtype.isFloating() ? DType.FLOAT64 : DType.INT32, n);
  }

  /** The result array of {@code dtype} for an accumulator from {@link #allocateAccumulator}. */
  static Object fromAccumulator(DType dtype, Object accumulator) {
    if (accumulator instanceof double[] && dtype != DType.FLOAT64) {
      Object out = fromDoubles(dtype, (double[]) accumulator);
      ArrayPool.SHARED.give(accumulator); // a temporary nobody else has seen
      return out;
    }
    return accumulator;
  }

  /** The number of elements of a storage array. */
  static int length(Object array) {
    if (array instanceof float[]) {
      return ((float[]) array).length;
    }
    if (array instanceof double[]) {
      return ((double[]) array).length;
    }
    return ((int[]) array).length;
  }

  /**
   * {@code dst[di + j * ds] = src[si + j * ss]} for {@code j < n}; both arrays of one type.
   */
  static void copy(Object src, int si, int ss, Object dst, int di, int ds, int n) {
    if (ss == 1 && ds == 1) {
      System.arraycopy(src, si, dst, di, n);
    } else if (src instanceof float[]) {
      float[] s = (float[]) src;
      float[] d = (float[]) dst;
      for (int j = 0; j < n; j++, si += ss, di += ds) {
        d[di] = s[si];
      }
    } else if (src instanceof double[]) {
      double[] s = (double[]) src;
      double[] d = (double[]) dst;
      for (int j = 0; j < n; j++, si += ss, di += ds) {
        d[di] = s[si];
      }
    } else {
      int[] s = (int[]) src;
      int[] d = (int[]) dst;
      for (int j = 0; j < n; j++, si += ss, di += ds) {
        d[di] = s[si];
      }
    }
  }

  /**
   * {@code acc[ai + j] += src[si + j]} for {@code j < n}, where {@code acc} comes from
   * {@link #allocateAccumulator} for the dtype of {@code src}.
   */
  static void accumulate(Object src, int si, Object acc, int ai, int n) {
    if (acc instanceof int[]) {
      int[] s = (int[]) src;
      int[] a = (int[]) acc;
      for (int j = 0; j < n; j++) {
        a[ai + j] += s[si + j];
      }
    } else if (src instanceof float[]) {
      float[] s = (float[]) src;
      double[] a = (double[]) acc;
      for (int j = 0; j < n; j++) {
        a[ai + j] += s[si + j];
      }
    } else {
      double[] s = (double[]) src;
      double[] a = (double[]) acc;
      for (int j = 0; j < n; j++) {
        a[ai + j] += s[si + j];
      }
    }
  }

  /** {@code dst[j] = src[si + j * ss]} for {@code j < n}, converted to double (exact for every dtype). */
  static void readLine(Object src, int si, int ss, double[] dst, int n) {
    if (src instanceof float[]) {
      float[] s = (float[]) src;
      if (ss == 1) {
        for (int j = 0; j < n; j++) {
          dst[j] = s[si + j];
        }
        return;
      }
      for (int j = 0; j < n; j++, si += ss) {
        dst[j] = s[si];
      }
    } else if (src instanceof double[]) {
      double[] s = (double[]) src;
      for (int j = 0; j < n; j++, si += ss) {
        dst[j] = s[si];
      }
    } else {
      int[] s = (int[]) src;
      for (int j = 0; j < n; j++, si += ss) {
        dst[j] = s[si];
      }
    }
  }

  /**
   * {@code dst[di + j * ds] = src[j]} for {@code j < n}, converted to the type of {@code dst} as by
   * a Java cast (float rounds to nearest, int truncates toward zero).
   */
  static void writeLine(double[] src, Object dst, int di, int ds, int n) {
    if (dst instanceof float[]) {
      float[] d = (float[]) dst;
      if (ds == 1) {
        for (int j = 0; j < n; j++) {
          d[di + j] = (float) src[j];
        }
        return;
      }
      for (int j = 0; j < n; j++, di += ds) {
        d[di] = (float) src[j];
      }
    } else if (dst instanceof double[]) {
      double[] d = (double[]) dst;
      for (int j = 0; j < n; j++, di += ds) {
        d[di] = src[j];
      }
    } else {
      int[] d = (int[]) dst;
      for (int j = 0; j < n; j++, di += ds) {
        d[di] = (int) src[j];
      }
    }
  }

  /** A new {@code double[]} holding the elements of any storage array. */
  static double[] toDoubles(Object array) {
    if (array instanceof double[]) {
      return ((double[]) array).clone();
    }
    double[] out = new double[length(array)];
    readLine(array, 0, 1, out, out.length);
    return out;
  }

  /**
   * The storage array of {@code dtype} for {@code values}: converted as by a Java cast, or
   * {@code values} itself (not copied) for float64.
   */
  static Object fromDoubles(DType dtype, double[] values) {
    if (dtype == DType.FLOAT64) {
      return values;
    }
    Object out = allocateUnfilled(dtype, values.length);
    writeLine(values, out, 0, 1, values.length);
    return out;
  }
}
