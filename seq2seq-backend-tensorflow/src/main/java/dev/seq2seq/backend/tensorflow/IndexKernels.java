package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.Arrays;
import org.tensorflow.exceptions.TFInvalidArgumentException;

/**
 * Gather and its adjoint scatter-add.
 *
 * <p>Indices are checked in Java before the op runs: TensorFlow's CPU kernels reject bad indices
 * with a terse message, its GPU kernels do not check at all (gather yields zeros, segment sums drop
 * the entry). Reading the int32 indices costs no copy on CPU. Inside a compiled step the indices
 * are symbolic and only TensorFlow's own check applies.
 */
final class IndexKernels {
  private final EagerRuntime runtime;

  IndexKernels(EagerRuntime runtime) {
    this.runtime = runtime;
  }

  /** GatherV2: shape {@code table[:axis] + indices + table[axis+1:]}. */
  RawTensor gather(RawTensor table, RawTensor indices, int axis) {
    checkIndices(Op.GATHER, indices, table.shape().dim(axis), axis, "table", table.shape());
    try (KernelScope s = runtime.scope()) {
      return s.keep(s.op("GatherV2").input(s.in(table)).input(s.in(indices)).input(s.scalar(axis))
          .type("Tparams", TfTypes.of(table.dtype())).type("Tindices", TfTypes.INT32).type("Taxis", TfTypes.INT32)
          .run());
    } catch (TFInvalidArgumentException e) {
      throw new IllegalArgumentException("gather: " + e.getMessage(), e);
    }
  }

  /**
   * The adjoint of gather. {@code updates} has shape {@code out[:k] + indices + out[k+1:]}; its
   * index axes are moved to the front, {@code UnsortedSegmentSum} adds the slices into
   * {@code out[k]} segments ({@code [out[k]] + out[:k] + out[k+1:]}), and segment axis 0 is moved
   * back to {@code k}.
   */
  RawTensor scatterAdd(RawTensor indices, RawTensor updates, int axis, Shape outShape) {
    int segments = outShape.dim(axis);
    checkIndices(Op.SCATTER_ADD, indices, segments, axis, "output", outShape);
    int t = TfTypes.of(updates.dtype());
    int indexRank = indices.shape().rank();
    int rank = updates.shape().rank();
    try (KernelScope s = runtime.scope()) {
      TfValue data = s.in(updates);
      if (axis > 0) {
        int[] front = new int[rank];
        int j = 0;
        for (int i = axis; i < axis + indexRank; i++) {
          front[j++] = i;
        }
        for (int i = 0; i < axis; i++) {
          front[j++] = i;
        }
        for (int i = axis + indexRank; i < rank; i++) {
          front[j++] = i;
        }
        data = transpose(s, data, front, t);
      }
      TfValue summed = s.op("UnsortedSegmentSum").input(data).input(s.in(indices)).input(s.scalar(segments))
          .type("T", t).type("Tindices", TfTypes.INT32).type("Tnumsegments", TfTypes.INT32)
          .run();
      if (axis > 0) {
        int outRank = outShape.rank();
        int[] back = new int[outRank];
        for (int i = 0; i < axis; i++) {
          back[i] = i + 1;
        }
        back[axis] = 0;
        for (int i = axis + 1; i < outRank; i++) {
          back[i] = i;
        }
        summed = transpose(s, summed, back, t);
      }
      return s.keep(summed);
    }
  }

  private static TfValue transpose(KernelScope s, TfValue x, int[] perm, int t) {
    return s.op("Transpose").input(x).input(s.vector(perm)).type("T", t).type("Tperm", TfTypes.INT32).run();
  }

  /** Throws if an index lies outside {@code [0, limit)}, naming op, index, position and range. */
  private static void checkIndices(Op op, RawTensor indices, int limit, int axis, String what, Shape shape) {
    if (indices.dtype() != DType.INT32) {
      throw new IllegalArgumentException(String.format(
          "%s: indices must be int32, got %s %s", op.label(), indices.dtype().label(), indices.shape()));
    }
    if (indices instanceof GraphTensor) {
      return; // symbolic while a compiled step is traced: TensorFlow's CPU kernel checks at run time
    }
    int[] ids = indices.toIntArray();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= limit) {
        throw new IllegalArgumentException(String.format(
            "%s: index %d at position %s of indices %s is out of range [0, %d) for axis %d of the %s %s",
            op.label(), ids[i], Arrays.toString(position(i, indices.shape())), indices.shape(), limit, axis, what,
            shape));
      }
    }
  }

  private static int[] position(int flat, Shape shape) {
    int[] strides = shape.strides();
    int[] pos = new int[strides.length];
    for (int i = 0; i < strides.length; i++) {
      pos[i] = flat / strides[i];
      flat %= strides[i];
    }
    return pos;
  }
}
