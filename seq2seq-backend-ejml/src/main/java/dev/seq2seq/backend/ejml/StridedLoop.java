package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.gemm.Parallel;

/**
 * Row-major iteration over a box of dimensions for several operands at once, each addressed by its
 * own element strides: the one index mapping behind broadcasting, reductions and strided copies.
 *
 * <p>A stride of 0 repeats an operand along an axis, which is how broadcasting and reduction
 * targets are expressed. On construction, axes of size 1 are dropped and adjacent axes are merged
 * wherever every operand steps through them as through one longer axis. Equal shapes and scalar
 * operands therefore collapse into a single row, so the common cases run as one flat inner loop
 * without special code; {@link #rows()} reports the number of rows.
 *
 * <p>The visitor receives, for each innermost row, the starting offset of every operand and the
 * row length; within a row operand {@code i} advances by {@link #innerStride(int) innerStride(i)}.
 */
final class StridedLoop {
  /** Receives one innermost row; {@code offsets} is a scratch array reused between calls. */
  @FunctionalInterface
  interface RowVisitor {
    void row(int[] offsets, int length);
  }

  /**
   * Receives the innermost rows of one block: {@code count} rows of {@code length}, row {@code r}
   * of operand {@code i} starting at {@code offsets[i] + r * rowSteps[i]}.
   */
  @FunctionalInterface
  interface BlockVisitor {
    void rows(int[] offsets, int[] rowSteps, int count, int length);
  }

  private final int[] dims;
  private final int[][] strides;
  private final int size;

  private StridedLoop(int[] dims, int[][] strides, int size) {
    this.dims = dims;
    this.strides = strides;
    this.size = size;
  }

  /**
   * A loop over {@code dims} with one stride array per operand (each of the same length as
   * {@code dims}).
   */
  static StridedLoop of(int[] dims, int[]... operandStrides) {
    int operands = operandStrides.length;
    long size = 1;
    for (int d : dims) {
      size *= d;
    }
    for (int[] s : operandStrides) {
      checkArgument(s.length == dims.length, "strided loop: %s strides for %s axes", s.length, dims.length);
    }
    // Merge from the innermost axis outwards; kept axes are collected innermost first.
    int[] keptDims = new int[dims.length];
    int[][] keptStrides = new int[operands][dims.length];
    int kept = 0;
    for (int axis = dims.length - 1; axis >= 0; axis--) {
      if (dims[axis] == 1) {
        continue;
      }
      if (kept > 0 && mergeable(operandStrides, axis, keptStrides, kept - 1, keptDims[kept - 1])) {
        keptDims[kept - 1] *= dims[axis];
        continue;
      }
      keptDims[kept] = dims[axis];
      for (int op = 0; op < operands; op++) {
        keptStrides[op][kept] = operandStrides[op][axis];
      }
      kept++;
    }
    int rank = Math.max(kept, 1);
    int[] outDims = new int[rank];
    int[][] outStrides = new int[operands][rank];
    outDims[0] = 1; // a scalar box: one row of length 1
    for (int i = 0; i < kept; i++) {
      outDims[rank - 1 - i] = keptDims[i];
      for (int op = 0; op < operands; op++) {
        outStrides[op][rank - 1 - i] = keptStrides[op][i];
      }
    }
    return new StridedLoop(outDims, outStrides, (int) size);
  }

  private static boolean mergeable(int[][] strides, int axis, int[][] keptStrides, int inner, int innerDim) {
    for (int op = 0; op < strides.length; op++) {
      if ((long) strides[op][axis] != (long) keptStrides[op][inner] * innerDim) {
        return false;
      }
    }
    return true;
  }

  /**
   * A loop over {@code out} whose operand 0 is a contiguous tensor of shape {@code out} and whose
   * operands {@code 1..n} are the {@code inputs}, broadcast to {@code out}.
   */
  static StridedLoop broadcast(Shape out, Shape... inputs) {
    int[][] strides = new int[inputs.length + 1][];
    strides[0] = out.strides();
    for (int i = 0; i < inputs.length; i++) {
      strides[i + 1] = broadcastStrides(inputs[i], out);
    }
    return of(out.toArray(), strides);
  }

  /**
   * The strides with which a contiguous tensor of shape {@code operand} is read when broadcast to
   * {@code out}: aligned on the last axis, 0 on every axis where the operand has size 1 or no axis.
   */
  static int[] broadcastStrides(Shape operand, Shape out) {
    int rank = out.rank();
    int lead = rank - operand.rank();
    checkArgument(lead >= 0, "broadcast: %s has more axes than %s", operand, out);
    int[] own = operand.strides();
    int[] strides = new int[rank];
    for (int i = lead; i < rank; i++) {
      int d = operand.dim(i - lead);
      checkArgument(d == 1 || d == out.dim(i), "broadcast: %s does not broadcast to %s", operand, out);
      strides[i] = d == 1 ? 0 : own[i - lead];
    }
    return strides;
  }

  /** Row-major strides of a contiguous box of {@code dims}. */
  static int[] contiguousStrides(int[] dims) {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** The element step of operand {@code operand} within a row. */
  int innerStride(int operand) {
    return strides[operand][dims.length - 1];
  }

  /** The number of rows {@link #forEachRow} visits (0 for an empty box). */
  int rows() {
    return size == 0 ? 0 : size / dims[dims.length - 1];
  }

  /** Visits every row, operands starting at offset 0. */
  void forEachRow(RowVisitor visitor) {
    forEachRow(new int[strides.length], visitor);
  }

  /** Visits every row in row-major order, operand {@code i} starting at {@code base[i]}. */
  void forEachRow(int[] base, RowVisitor visitor) {
    if (size == 0) {
      return;
    }
    int operands = strides.length;
    int outerRank = dims.length - 1;
    int length = dims[outerRank];
    int[] offsets = base.clone();
    int[] view = new int[operands];
    int[] counter = new int[outerRank];
    for (int row = 0, rows = rows(); row < rows; row++) {
      System.arraycopy(offsets, 0, view, 0, operands); // the visitor may scribble on its copy
      visitor.row(view, length);
      advance(counter, offsets, outerRank);
    }
  }

  /** Steps the index {@code counter} over axes {@code [0, axes)} to the next position, moving every operand's offset with it. */
  private void advance(int[] counter, int[] offsets, int axes) {
    for (int axis = axes - 1; axis >= 0; axis--) {
      if (++counter[axis] < dims[axis]) {
        for (int op = 0; op < offsets.length; op++) {
          offsets[op] += strides[op][axis];
        }
        return;
      }
      counter[axis] = 0;
      for (int op = 0; op < offsets.length; op++) {
        offsets[op] -= strides[op][axis] * (dims[axis] - 1);
      }
    }
  }

  /**
   * Visits every row of {@link #forEachRow} once, one call per run of rows along the
   * second-innermost axis (short rows, a mask over 20 keys, spent most of their time in a per-row
   * call), in ranges of rows over the GEMM pool's threads once the loop is large
   * ({@link Parallel#forRange}). So the visitor may only write places of its own rows; then the
   * result does not depend on the split.
   */
  void forEachBlockInParallel(BlockVisitor visitor) {
    int rows = rows();
    if (rows > 0) {
      Parallel.forRange(rows, size / rows, (r0, r1) -> forEachBlock(r0, r1, visitor));
    }
  }

  /**
   * Rows {@code [from, to)} of {@link #forEachRow}, in its order, one call per run of rows along the
   * second-innermost axis, cut at the range's ends. Nothing here is shared between calls, so ranges
   * can be visited on different threads.
   */
  void forEachBlock(int from, int to, BlockVisitor visitor) {
    if (size == 0 || from >= to) {
      return;
    }
    int operands = strides.length;
    if (dims.length == 1) {
      visitor.rows(new int[operands], new int[operands], 1, dims[0]);
      return;
    }
    int blockAxis = dims.length - 2;
    int blockRows = dims[blockAxis];
    int[] steps = new int[operands];
    for (int op = 0; op < operands; op++) {
      steps[op] = strides[op][blockAxis];
    }
    int[] offsets = new int[operands];
    int[] counter = new int[blockAxis];
    for (int axis = blockAxis - 1, rest = from / blockRows; axis >= 0; axis--) { // the first block's position
      counter[axis] = rest % dims[axis];
      rest /= dims[axis];
      for (int op = 0; op < operands; op++) {
        offsets[op] += counter[axis] * strides[op][axis];
      }
    }
    int[] view = new int[operands];
    for (int row = from; row < to; ) {
      int inBlock = row % blockRows;
      int count = Math.min(blockRows - inBlock, to - row);
      for (int op = 0; op < operands; op++) { // the visitor may scribble on its copy
        view[op] = offsets[op] + inBlock * steps[op];
      }
      visitor.rows(view, steps, count, dims[blockAxis + 1]);
      row += count;
      advance(counter, offsets, blockAxis);
    }
  }
}
