package dev.seq2seq.api.tensor;

import dev.seq2seq.api.backend.Op;

/** One recorded application of a primitive: its inputs and its backward rule (internal to autodiff). */
final class Node {
  /** Maps the gradient of an op's output to the gradients of its inputs (null where none flows). */
  @FunctionalInterface
  interface Backward {
    Tensor[] apply(Tensor gradOutput);
  }

  final Op op;
  final Tensor[] inputs;
  final Backward backward;
  /** For a {@link Op#SLICE}: where the box starts in the input (autodiff adds its gradient there); else null. */
  final int[] sliceBegin;
  /** For a {@link Op#MATMUL}: {@code {transposeA, transposeB}} (autodiff may accumulate its gradients in place); else null. */
  final boolean[] matmulTransposes;
  /** For a {@link Op#GATHER}: the (normalized) axis it gathers along (autodiff may scatter its gradient in place); else -1. */
  final int gatherAxis;

  Node(Op op, Tensor[] inputs, Backward backward) {
    this(op, inputs, backward, null, null, -1);
  }

  Node(Op op, Tensor[] inputs, Backward backward, int[] sliceBegin, boolean[] matmulTransposes, int gatherAxis) {
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
    this.sliceBegin = sliceBegin;
    this.matmulTransposes = matmulTransposes;
    this.gatherAxis = gatherAxis;
  }
}
