package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A source/target pair as token ids, without {@code <sos>} or {@code <eos>} (the {@link Batcher}
 * adds them). The source must not be empty (an all-padding row has nothing to attend to); the
 * target may be (the decoder then only learns to emit {@code <eos>}). The arrays are copied in and
 * out, so the pair is immutable.
 */
public final class EncodedPair {
  private final int[] source;
  private final int[] target;

  /** A pair of copies of {@code source} and {@code target}. */
  public EncodedPair(int[] source, int[] target) {
    checkNotNull(source, "pair: source ids are null");
    checkNotNull(target, "pair: target ids are null");
    checkArgument(source.length > 0, "pair: empty source sequence (nothing to encode)");
    this.source = source.clone();
    this.target = target.clone();
  }

  /** A copy of the source ids. */
  public int[] source() {
    return source.clone();
  }

  /** A copy of the target ids. */
  public int[] target() {
    return target.clone();
  }

  /** Number of source tokens. */
  public int sourceLength() {
    return source.length;
  }

  /** Number of target tokens (without {@code <sos>}/{@code <eos>}). */
  public int targetLength() {
    return target.length;
  }

  int sourceId(int i) {
    return source[i];
  }

  int targetId(int i) {
    return target[i];
  }

  /** The pair cut to at most {@code maxSource} source and {@code maxTarget} target tokens. */
  public EncodedPair truncated(int maxSource, int maxTarget) {
    if (source.length <= maxSource && target.length <= maxTarget) {
      return this;
    }
    return new EncodedPair(Arrays.copyOf(source, Math.min(maxSource, source.length)),
        Arrays.copyOf(target, Math.min(maxTarget, target.length)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedPair && Arrays.equals(((EncodedPair) o).source, source)
        && Arrays.equals(((EncodedPair) o).target, target);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(source) + Arrays.hashCode(target);
  }

  @Override
  public String toString() {
    return "EncodedPair" + Arrays.toString(source) + " -> " + Arrays.toString(target);
  }
}
