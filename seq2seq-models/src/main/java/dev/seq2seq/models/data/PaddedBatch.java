package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.List;

/**
 * A batch padded on the host, before it becomes tensors: row-major {@code [batch, length]} id
 * arrays padded with {@link Vocabulary#PAD}, plus the real lengths that define the masks.
 *
 * <p>Row {@code b} holds pair {@code pairIndices[b]}: source {@code x_1..x_m}, target input
 * {@code <sos> y_1..y_n} and target output {@code y_1..y_n <eos>} (both {@code n + 1} long).
 * The arrays are shared, not copied: treat them as read-only.
 */
public final class PaddedBatch {
  private final int[] pairIndices;
  private final int sourceLength;
  private final int targetLength;
  private final int[] source;
  private final int[] sourceLengths;
  private final int[] targetInput;
  private final int[] targetOutput;
  private final int[] targetLengths;

  /** Pads {@code pairs} (row {@code b} is {@code pairs.get(pairIndices[b])}). */
  static PaddedBatch of(List<EncodedPair> pairs, int[] pairIndices) {
    checkArgument(pairIndices.length > 0, "batch: no pairs");
    int b = pairIndices.length;
    int s = 0;
    int t = 0;
    for (int i : pairIndices) {
      s = Math.max(s, pairs.get(i).sourceLength());
      t = Math.max(t, pairs.get(i).targetLength() + 1);
    }
    int[] source = new int[b * s];
    int[] srcLen = new int[b];
    int[] tin = new int[b * t];
    int[] tout = new int[b * t];
    int[] tgtLen = new int[b];
    for (int row = 0; row < b; row++) {
      EncodedPair p = pairs.get(pairIndices[row]);
      srcLen[row] = p.sourceLength();
      for (int j = 0; j < p.sourceLength(); j++) {
        source[row * s + j] = p.sourceId(j);
      }
      int n = p.targetLength();
      tgtLen[row] = n + 1;
      tin[row * t] = Vocabulary.SOS;
      for (int j = 0; j < n; j++) {
        tin[row * t + j + 1] = p.targetId(j);
        tout[row * t + j] = p.targetId(j);
      }
      tout[row * t + n] = Vocabulary.EOS;
    }
    return new PaddedBatch(pairIndices.clone(), s, t, source, srcLen, tin, tout, tgtLen);
  }

  private PaddedBatch(int[] pairIndices, int sourceLength, int targetLength, int[] source, int[] sourceLengths,
      int[] targetInput, int[] targetOutput, int[] targetLengths) {
    this.pairIndices = pairIndices;
    this.sourceLength = sourceLength;
    this.targetLength = targetLength;
    this.source = source;
    this.sourceLengths = sourceLengths;
    this.targetInput = targetInput;
    this.targetOutput = targetOutput;
    this.targetLengths = targetLengths;
  }

  /** Number of pairs (rows). */
  public int size() {
    return pairIndices.length;
  }

  /** Which pair of the batcher's {@link Batcher#pairs()} each row holds. */
  public int[] pairIndices() {
    return pairIndices;
  }

  /** Padded source length {@code S} (the longest source in the batch). */
  public int sourceLength() {
    return sourceLength;
  }

  /** Padded target length {@code T} (the longest target in the batch plus one). */
  public int targetLength() {
    return targetLength;
  }

  /** Source ids, {@code [batch, S]} row-major. */
  public int[] source() {
    return source;
  }

  /** Real source length of each row. */
  public int[] sourceLengths() {
    return sourceLengths;
  }

  /** {@code <sos> y...} ids, {@code [batch, T]} row-major. */
  public int[] targetInput() {
    return targetInput;
  }

  /** {@code y... <eos>} ids, {@code [batch, T]} row-major. */
  public int[] targetOutput() {
    return targetOutput;
  }

  /** Real target length of each row (target tokens + 1). */
  public int[] targetLengths() {
    return targetLengths;
  }

  /** Number of real (unpadded) source and target-output positions. */
  public long realTokens() {
    long n = 0;
    for (int i = 0; i < size(); i++) {
      n += sourceLengths[i] + targetLengths[i];
    }
    return n;
  }

  /** Number of source and target-output positions, padding included: {@code batch * (S + T)}. */
  public long totalTokens() {
    return (long) size() * (sourceLength + targetLength);
  }

  /** The tensors on {@code backend}, with masks in the floating {@code maskDType}. */
  public Seq2SeqBatch toTensors(Backend backend, DType maskDType) {
    checkArgument(maskDType.isFloating(), "batch: mask dtype must be floating, got %s", maskDType);
    int b = size();
    Tensor src = Tensors.of(backend, source, b, sourceLength);
    Tensor srcMask = Tensors.of(backend, maskDType, mask(sourceLengths, sourceLength), Shape.of(b, sourceLength));
    Tensor tin = Tensors.of(backend, targetInput, b, targetLength);
    Tensor tout = Tensors.of(backend, targetOutput, b, targetLength);
    Tensor tgtMask = Tensors.of(backend, maskDType, mask(targetLengths, targetLength), Shape.of(b, targetLength));
    return new Seq2SeqBatch(src, srcMask, tin, tout, tgtMask);
  }

  private static double[] mask(int[] lengths, int width) {
    double[] m = new double[lengths.length * width];
    for (int row = 0; row < lengths.length; row++) {
      for (int j = 0; j < lengths[row]; j++) {
        m[row * width + j] = 1.0;
      }
    }
    return m;
  }
}
