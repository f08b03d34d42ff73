package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.tensor.DType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles the arrays of closed tensors: a training step allocates the same few hundred arrays step
 * after step, and handing them back on {@link EjmlTensor#close()} (which a
 * {@link dev.seq2seq.api.tensor.TensorScope} does for every tensor of the step) replaces hundreds of
 * megabytes of fresh allocation a step — young collections that copy live activations, and page
 * faults on freshly committed heap — by reuse.
 *
 * <p>Contract: an array is {@linkplain #give given back} only by the last tensor that uses it, after
 * it is closed, and a closed tensor refuses to be read, so a recycled array has exactly one user.
 * Arrays are matched by type and exact length (shapes repeat from step to step). The pool holds at
 * most {@code capacityBytes}; an array given back to a full pool empties it first (the workload
 * changed; the old sizes go to the garbage collector). Arrays below {@link #MIN_LENGTH} elements are
 * never pooled (allocating them is cheaper than the bookkeeping). Safe for concurrent use.
 *
 * <p>The system property {@value #PROPERTY} sets the capacity in megabytes ({@code 0} turns
 * recycling off); by default it is a quarter of the maximum heap.
 */
final class ArrayPool {
  /** The system property with the capacity in megabytes. */
  static final String PROPERTY = "seq2seq.ejml.pool.mb";
  /** The smallest array length that is pooled. */
  static final int MIN_LENGTH = 256;

  /** The pool every {@link EjmlTensor} returns its array to. */
  static final ArrayPool SHARED = new ArrayPool(capacityFromProperty());

  private final long capacityBytes;
  private final Map<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
  private final Map<Integer, ArrayDeque<double[]>> doubles = new HashMap<>();
  private final Map<Integer, ArrayDeque<int[]>> ints = new HashMap<>();
  private long pooledBytes;

  ArrayPool(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  private static long capacityFromProperty() {
    return capacity(System.getProperty(PROPERTY), Runtime.getRuntime().maxMemory());
  }

  /** The capacity in bytes the property value asks for: {@code null} for a quarter of {@code maxHeap}. */
  static long capacity(String value, long maxHeap) {
    if (value == null) {
      return maxHeap / 4;
    }
    try {
      long mb = Long.parseLong(value.trim());
      if (mb >= 0) {
        return mb << 20;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "ejml: system property " + PROPERTY + "=" + value + " is not a size in megabytes (0 or more; 0 turns recycling off)");
  }

  /** The bytes held now. */
  synchronized long pooledBytes() {
    return pooledBytes;
  }

  /** A zero-filled array of {@code n} elements of {@code dtype}, recycled when one is free. */
  Object zeroed(DType dtype, int n) {
    Object array = take(dtype, n);
    if (array == null) {
      return Storage.fresh(dtype, n);
    }
    if (array instanceof float[]) {
      Arrays.fill((float[]) array, 0f);
    } else if (array instanceof double[]) {
      Arrays.fill((double[]) array, 0.0);
    } else {
      Arrays.fill((int[]) array, 0);
    }
    return array;
  }

  /**
   * An array of {@code n} elements of {@code dtype} with arbitrary contents, recycled when one is
   * free: only for callers that write every element before anyone reads it.
   */
  Object unfilled(DType dtype, int n) {
    Object array = take(dtype, n);
    return array != null ? array : Storage.fresh(dtype, n);
  }

  /** A {@code float[n]} with arbitrary contents (see {@link #unfilled}). */
  float[] unfilledFloats(int n) {
    return (float[]) unfilled(DType.FLOAT32, n);
  }

  /** A {@code double[n]} with arbitrary contents (see {@link #unfilled}). */
  double[] unfilledDoubles(int n) {
    return (double[]) unfilled(DType.FLOAT64, n);
  }

  private synchronized Object take(DType dtype, int n) {
    if (n < MIN_LENGTH || pooledBytes == 0) {
      return null;
    }
    ArrayDeque<?> free = shelf(dtype).get(key(n));
    Object array = free == null ? null : free.pollLast();
    if (array != null) {
      pooledBytes -= bytes(dtype, n);
    }
    return array;
  }

  /** Hands {@code array} to the pool; the caller and everybody else must never touch it again. */
  @SuppressWarnings("unchecked")
  synchronized void give(Object array) {
    DType dtype = Storage.dtypeOf(array);
    int n = Storage.length(array);
    long size = bytes(dtype, n);
    if (n < MIN_LENGTH || size > capacityBytes) {
      return;
    }
    if (pooledBytes + size > capacityBytes) {
      floats.clear();
      doubles.clear();
      ints.clear();
      pooledBytes = 0;
    }
    ((Map<Integer, ArrayDeque<Object>>) (Map<?, ?>) shelf(dtype)).computeIfAbsent(key(n), k -> new ArrayDeque<>()).addLast(array);
    pooledBytes += size;
  }

  /**
   * The map key of a length: the length times an odd constant (a bijection), because tensor sizes are
   * mostly multiples of large powers of two and {@link Integer#hashCode} would put them in one bucket.
   */
  private static Integer key(int n) {
    return n * 0x9E3779B9;
  }

  private Map<Integer, ? extends ArrayDeque<?>> shelf(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return floats;
      case FLOAT64:
        return doubles;
      case INT32:
        return ints;
      default:
        throw new AssertionError(dtype);
    }
  }

  private static long bytes(DType dtype, int n) {
    return (long) n * (dtype == DType.FLOAT64 ? 8 : 4);
  }
}
