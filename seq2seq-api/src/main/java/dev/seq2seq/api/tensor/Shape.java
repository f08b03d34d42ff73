package dev.seq2seq.api.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * The immutable dimensions of a tensor, outermost first (row-major).
 *
 * <p>A rank-0 shape {@code []} is a scalar with one element. Broadcasting follows NumPy: shapes
 * are aligned on their last dimension; two dimensions are compatible when equal or when one of
 * them is 1; the result takes the larger. {@code [64, 1, 8] (+) [5, 8] = [64, 5, 8]}.
 */
public final class Shape {
  private static final Shape SCALAR = new Shape(new int[0]);

  private final int[] dims;
  private final long size;

  private Shape(int[] dims) {
    long n = 1;
    for (int d : dims) {
      if (d < 0) { // the message is only built on failure: shapes are made on every kernel call
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": dimensions must be >= 0");
      }
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": " + n + " elements exceed 2^31-1");
    }
    this.dims = dims;
    this.size = n;
  }

  /** A shape with the given dimensions (copied). */
  public static Shape of(int... dims) {
    return dims.length == 0 ? SCALAR : new Shape(dims.clone());
  }

  /** The rank-0 shape of a scalar. */
  public static Shape scalar() {
    return SCALAR;
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code axis}; negative axes count from the end ({@code -1} is the last). */
  public int dim(int axis) {
    return dims[normalizeAxis(axis)];
  }

  /** Number of elements: the product of the dimensions (1 for a scalar). */
  public int size() {
    return (int) size;
  }

  /** A copy of the dimensions. */
  public int[] toArray() {
    return dims.clone();
  }

  /**
   * Maps a possibly negative axis into {@code [0, rank)}.
   *
   * @throws IllegalArgumentException if the axis is out of range
   */
  public int normalizeAxis(int axis) {
    int a = axis < 0 ? axis + dims.length : axis;
    checkArgument(a >= 0 && a < dims.length, "axis %s out of range for shape %s (rank %s)", axis, this, dims.length);
    return a;
  }

  /** Row-major strides in elements: {@code stride[i] = prod(dims[i+1..])}. */
  public int[] strides() {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** This shape with dimension {@code axis} replaced by {@code value}. */
  public Shape withDim(int axis, int value) {
    int[] d = dims.clone();
    d[normalizeAxis(axis)] = value;
    return new Shape(d);
  }

  /**
   * The NumPy broadcast of two shapes.
   *
   * @param op the op name for the error message
   * @throws IllegalArgumentException naming the op and both shapes if they do not broadcast
   */
  public static Shape broadcast(String op, Shape a, Shape b) {
    if (a.equals(b)) {
      return a;
    }
    int rank = Math.max(a.rank(), b.rank());
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
      int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            String.format("%s: %s and %s: shapes do not broadcast (dimension %d: %d vs %d)", op, a, b, i, da, db));
      }
      out[i] = da == 1 ? db : da;
    }
    return new Shape(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** {@code [64, 256]}; a scalar prints as {@code []}. */
  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
