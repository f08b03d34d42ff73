package dev.seq2seq.models.decoding;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/** Checks and host-side bookkeeping shared by the decoders. Stateless. */
final class DecodingSupport {
  private DecodingSupport() {}

  /** Validates the call; returns the target vocabulary size. */
  static int check(String who, Seq2Seq model, Tensor source, Tensor sourceMask, DecodingOptions o) {
    checkArgument(model != null, "%s: model is null", who);
    checkArgument(source != null && sourceMask != null, "%s: source and source mask are required", who);
    if (model instanceof Module) {
      checkState(!((Module) model).isTraining(),
          "%s: the model is in training mode (dropout would draw from its shared random stream); "
              + "call setTraining(false) before decoding", who);
    }
    checkArgument(source.dtype() == DType.INT32, "%s: source must be int32, got %s", who, source.dtype().label());
    checkArgument(source.rank() == 2 && source.shape().equals(sourceMask.shape()),
        "%s: source %s and source mask %s must both be [batch, sourceLength]", who, source.shape(), sourceMask.shape());
    checkArgument(source.dim(0) >= 1, "%s: the batch is empty", who);
    int vocab = model.targetVocabSize();
    checkArgument(o.sosId() < vocab, "%s: sos id %s outside the target vocabulary [0, %s)", who, o.sosId(), vocab);
    checkArgument(o.eosId() < vocab, "%s: eos id %s outside the target vocabulary [0, %s)", who, o.eosId(), vocab);
    return vocab;
  }

  /** Per batch row, the source positions whose mask is non-zero, in order. */
  static int[][] realColumns(Tensor sourceMask) {
    int rows = sourceMask.dim(0);
    int width = sourceMask.dim(1);
    double[] m = sourceMask.toDoubleArray();
    int[][] out = new int[rows][];
    for (int r = 0; r < rows; r++) {
      int n = 0;
      for (int c = 0; c < width; c++) {
        if (m[r * width + c] != 0) {
          n++;
        }
      }
      out[r] = new int[n];
      for (int c = 0, j = 0; c < width; c++) {
        if (m[r * width + c] != 0) {
          out[r][j++] = c;
        }
      }
    }
    return out;
  }

  /**
   * Row {@code row} of a host copy of the step's attention {@code [rows, width]}, restricted to the
   * input's real source positions when the width is the source length.
   */
  static float[] attentionRow(float[] attention, int row, int width, int sourceLength, int[] columns) {
    if (width != sourceLength) {
      float[] all = new float[width];
      System.arraycopy(attention, row * width, all, 0, width);
      return all;
    }
    float[] out = new float[columns.length];
    for (int j = 0; j < columns.length; j++) {
      out[j] = attention[row * width + columns[j]];
    }
    return out;
  }

  /** Fails on a NaN log-probability (a broken model); {@code -inf} is allowed. */
  static void checkNoNaN(String who, double[] values, int step) {
    for (double v : values) {
      if (Double.isNaN(v)) {
        throw new IllegalStateException(String.format("%s: the model produced NaN log-probabilities at step %d", who, step));
      }
    }
  }

  /**
   * A node of the prefix tree of hypotheses: a token, the attention of the step that produced it,
   * and the prefix before it ({@code null} = empty). Immutable, so prefixes are shared.
   */
  static final class Node {
    final Node parent;
    final int token;
    final float[] attention;
    final int length;

    Node(Node parent, int token, float[] attention) {
      this.parent = parent;
      this.token = token;
      this.attention = attention;
      this.length = parent == null ? 1 : parent.length + 1;
    }

    static int length(Node n) {
      return n == null ? 0 : n.length;
    }

    static int[] tokens(Node n) {
      int[] t = new int[length(n)];
      for (Node x = n; x != null; x = x.parent) {
        t[x.length - 1] = x.token;
      }
      return t;
    }

    static float[][] attention(Node n, boolean hasAttention) {
      if (!hasAttention) {
        return null;
      }
      float[][] a = new float[length(n)][];
      for (Node x = n; x != null; x = x.parent) {
        a[x.length - 1] = x.attention;
      }
      return a;
    }
  }

  /** A hypothesis made of a prefix-tree node. */
  static Hypothesis hypothesis(Node n, double logProb, double score, boolean finished, boolean hasAttention) {
    return new Hypothesis(Node.tokens(n), logProb, score, finished, Node.attention(n, hasAttention));
  }
}
