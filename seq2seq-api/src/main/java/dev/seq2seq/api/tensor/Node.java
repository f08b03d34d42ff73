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

  Node(Op op, Tensor[] inputs, Backward backward) {
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
  }
}
