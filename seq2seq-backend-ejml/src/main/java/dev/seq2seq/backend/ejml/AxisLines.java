package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.tensor.Shape;

/**
 * The one-dimensional lines of a row-major shape along one axis.
 *
 * <p>A shape {@code [A..., n, B...]} seen along the axis of size {@code n} is an
 * {@code [outer, n, inner]} box with {@code outer = prod(A)} and {@code inner = prod(B)}. It has
 * {@code outer * inner} lines of {@code n} elements; line {@code l} starts at
 * {@code (l / inner) * n * inner + l % inner} and steps by {@code inner}.
 */
final class AxisLines {
  /** Product of the dimensions before the axis. */
  final int outer;
  /** Size of the axis: the length of every line. */
  final int length;
  /** Product of the dimensions after the axis: the step between elements of a line. */
  final int inner;

  AxisLines(Shape shape, int axis) {
    int[] dims = shape.toArray();
    int before = 1;
    for (int i = 0; i < axis; i++) {
      before *= dims[i];
    }
    int after = 1;
    for (int i = axis + 1; i < dims.length; i++) {
      after *= dims[i];
    }
    this.outer = before;
    this.length = dims[axis];
    this.inner = after;
  }

  /** The number of lines. */
  int count() {
    return outer * inner;
  }

  /** Offset of the first element of line {@code line}. */
  int start(int line) {
    return (line / inner) * length * inner + line % inner;
  }
}
