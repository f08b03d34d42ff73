package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Cuts a list of {@link EncodedPair}s into padded {@link Seq2SeqBatch}es, epoch after epoch,
 * reproducibly from a seed.
 *
 * <p>The plan of epoch {@code e} is a function of the seed, {@code e} and the options only (its
 * generator is {@code new Rng(seed).fork(e)}), so epochs can be replayed in any order, e.g. when
 * resuming from a checkpoint:
 *
 * <ol>
 *   <li>with shuffling on (the default), the pair order is shuffled (Fisher-Yates);
 *   <li>with {@link Builder#optBucketing bucketing} over {@code k} batches, the order is cut into
 *       chunks of {@code k * batchSize} pairs, each chunk is sorted (stably) by source then target
 *       length and cut into batches, and then the batches are shuffled. Pairs of similar length share
 *       a batch, so there is less padding, while the batch order stays random;
 *   <li>without bucketing the order is simply cut into batches of {@code batchSize}; the last may
 *       be smaller unless {@link Builder#optDropLast dropLast}.
 * </ol>
 *
 * <p>Every kept pair appears exactly once per epoch (but for a dropped last batch). Pairs longer
 * than {@link Builder#optMaxSourceLength} / {@link Builder#optMaxTargetLength} are filtered out or
 * truncated once, at {@link Builder#build()}, by the {@link LengthPolicy}. The maximum target length
 * counts target tokens without {@code <sos>}/{@code <eos>}, so decoder rows are at most one longer.
 *
 * <p>Tensors are created lazily, one batch per {@link Iterator#next()}, on the configured backend:
 * with {@link dev.seq2seq.api.tensor.TensorScope}s open they belong to the innermost one. Use
 * {@code batcher::epoch} as the trainer's epoch function. Immutable after building; iterators are
 * not thread-safe.
 */
public final class Batcher {
  private final List<EncodedPair> pairs;
  private final int filtered;
  private final int truncated;
  private final int batchSize;
  private final Backend backend;
  private final DType maskDType;
  private final long seed;
  private final boolean shuffle;
  private final int bucketBatches;
  private final boolean dropLast;

  private Batcher(Builder b, List<EncodedPair> pairs, int filtered, int truncated) {
    this.pairs = pairs;
    this.filtered = filtered;
    this.truncated = truncated;
    this.batchSize = b.batchSize;
    this.backend = b.backend;
    this.maskDType = b.dtype;
    this.seed = b.seed;
    this.shuffle = b.shuffle;
    this.bucketBatches = b.bucketBatches;
    this.dropLast = b.dropLast;
  }

  /** A builder; {@code setPairs}, {@code setBatchSize} and {@code setBackend} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The pairs batches are drawn from, after the length policy (indices in batches refer to this list). */
  public List<EncodedPair> pairs() {
    return pairs;
  }

  /** Number of input pairs left out by {@link LengthPolicy#FILTER}. */
  public int filteredCount() {
    return filtered;
  }

  /** Number of input pairs cut by {@link LengthPolicy#TRUNCATE}. */
  public int truncatedCount() {
    return truncated;
  }

  /** Number of batches in every epoch. */
  public int batchesPerEpoch() {
    int full = pairs.size() / batchSize;
    int rest = pairs.size() % batchSize;
    // with bucketing too: chunks are whole multiples of batchSize, so only the last can end short
    return full + (rest > 0 && !dropLast ? 1 : 0);
  }

  /** Which pairs (indices into {@link #pairs()}) make up each batch of {@code epoch}, in order. */
  public List<int[]> plan(int epoch) {
    checkArgument(epoch >= 0, "batcher: epoch must be >= 0, got %s", epoch);
    Rng rng = new Rng(seed).fork(epoch);
    Integer[] order = new Integer[pairs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      shuffle(order, rng);
    }
    List<int[]> batches = new ArrayList<>(batchesPerEpoch());
    if (bucketBatches > 0) {
      Comparator<Integer> byLength = Comparator.<Integer>comparingInt(i -> pairs.get(i).sourceLength())
          .thenComparingInt(i -> pairs.get(i).targetLength());
      int chunk = (int) Math.min(Integer.MAX_VALUE / 2, (long) bucketBatches * batchSize);
      for (int start = 0; start < order.length; start += chunk) {
        int end = Math.min(order.length, start + chunk);
        Arrays.sort(order, start, end, byLength);
        cut(order, start, end, batches);
      }
      if (shuffle) {
        int[][] arr = batches.toArray(new int[0][]);
        shuffle(arr, rng);
        batches = new ArrayList<>(Arrays.asList(arr));
      }
    } else {
      cut(order, 0, order.length, batches);
    }
    return batches;
  }

  private void cut(Integer[] order, int start, int end, List<int[]> out) {
    for (int s = start; s < end; s += batchSize) {
      int e = Math.min(end, s + batchSize);
      if (e - s < batchSize && dropLast) {
        continue;
      }
      int[] batch = new int[e - s];
      for (int i = s; i < e; i++) {
        batch[i - s] = order[i];
      }
      out.add(batch);
    }
  }

  private static <T> void shuffle(T[] a, Rng rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }

  /** The padded host-side batches of {@code epoch}, in order (lazily padded). */
  public Iterable<PaddedBatch> paddedEpoch(int epoch) {
    List<int[]> plan = plan(epoch);
    return () -> plan.stream().map(ix -> PaddedBatch.of(pairs, ix)).iterator();
  }

  /** The tensor batches of {@code epoch}, created one at a time as the iterator advances. */
  public Iterable<Seq2SeqBatch> epoch(int epoch) {
    return epochFrom(epoch, 0);
  }

  /**
   * The tensor batches of {@code epoch} from batch {@code first} on (its first {@code first} batches
   * are skipped without creating them): where a run resumed after {@code first} steps of that epoch
   * continues.
   *
   * @throws IllegalArgumentException if {@code first} is negative
   */
  public Iterable<Seq2SeqBatch> epochFrom(int epoch, int first) {
    checkArgument(first >= 0, "batcher: first batch %s of epoch %s must be >= 0", first, epoch);
    List<int[]> all = plan(epoch);
    List<int[]> plan = all.subList(Math.min(first, all.size()), all.size());
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < plan.size();
      }

      @Override
      public Seq2SeqBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("batcher: epoch " + epoch + " has only " + plan.size() + " batches");
        }
        return PaddedBatch.of(pairs, plan.get(next++)).toTensors(backend, maskDType);
      }
    };
  }

  /**
   * {@code pairs} in their order, {@code batchSize} at a time (the last batch may be smaller), as
   * tensor batches created now on {@code backend}: the fixed batches of a validation or test set,
   * whose results line up with {@code pairs} by index. No shuffling, no bucketing, no length limit.
   */
  public static List<Seq2SeqBatch> inOrder(Backend backend, List<EncodedPair> pairs, int batchSize) {
    Batcher b = builder().setPairs(pairs).setBatchSize(batchSize).setBackend(backend).optShuffle(false).build();
    List<Seq2SeqBatch> out = new ArrayList<>(b.batchesPerEpoch());
    b.epoch(0).forEach(out::add);
    return List.copyOf(out);
  }

  /**
   * Fraction of padding among all source and target-output positions of {@code epoch}:
   * {@code 1 - real / total}. A measure of what bucketing saves.
   */
  public double paddingFraction(int epoch) {
    long real = 0;
    long total = 0;
    for (PaddedBatch b : paddedEpoch(epoch)) {
      real += b.realTokens();
      total += b.totalTokens();
    }
    return total == 0 ? 0 : 1.0 - (double) real / total;
  }

  @Override
  public String toString() {
    return String.format("Batcher(%d pairs, batch %d, seed %d, shuffle %s, bucketing %d, %s)",
        pairs.size(), batchSize, seed, shuffle, bucketBatches, backend.name());
  }

  /** Builds a {@link Batcher}; {@code set*} values are required, {@code opt*} have defaults. */
  public static final class Builder {
    private List<EncodedPair> input;
    private int batchSize;
    private Backend backend;
    private DType dtype = DType.FLOAT32;
    private long seed;
    private boolean shuffle = true;
    private int bucketBatches;
    private boolean dropLast;
    private int maxSource = Integer.MAX_VALUE;
    private int maxTarget = Integer.MAX_VALUE;
    private LengthPolicy policy = LengthPolicy.FILTER;

    private Builder() {}

    /** The pairs to batch (required, non-empty after the length policy). */
    public Builder setPairs(List<EncodedPair> pairs) {
      this.input = List.copyOf(pairs);
      return this;
    }

    /** Pairs per batch (required, positive). */
    public Builder setBatchSize(int batchSize) {
      checkArgument(batchSize > 0, "batcher: batch size must be positive, got %s", batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** The backend the tensors are created on (required). */
    public Builder setBackend(Backend backend) {
      this.backend = backend;
      return this;
    }

    /** Floating dtype of the masks (default {@link DType#FLOAT32}); ids are always int32. */
    public Builder optDType(DType dtype) {
      checkArgument(dtype != null && dtype.isFloating(), "batcher: mask dtype must be floating, got %s", dtype);
      this.dtype = dtype;
      return this;
    }

    /** Seed of the shuffling (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Whether to shuffle pairs and batches (default true); off gives the input order (e.g. validation). */
    public Builder optShuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Sort by length within chunks of {@code batchesPerBucket} batches (default 0: no bucketing). */
    public Builder optBucketing(int batchesPerBucket) {
      checkArgument(batchesPerBucket >= 0, "batcher: batches per bucket must be >= 0, got %s", batchesPerBucket);
      this.bucketBatches = batchesPerBucket;
      return this;
    }

    /** Whether to drop an incomplete last batch (default false). */
    public Builder optDropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /** Maximum number of source tokens (default unbounded). */
    public Builder optMaxSourceLength(int max) {
      checkArgument(max > 0, "batcher: max source length must be positive, got %s", max);
      this.maxSource = max;
      return this;
    }

    /** Maximum number of target tokens, without {@code <sos>}/{@code <eos>} (default unbounded). */
    public Builder optMaxTargetLength(int max) {
      checkArgument(max >= 0, "batcher: max target length must be >= 0, got %s", max);
      this.maxTarget = max;
      return this;
    }

    /** What to do with pairs over a maximum length (default {@link LengthPolicy#FILTER}). */
    public Builder optLengthPolicy(LengthPolicy policy) {
      checkArgument(policy != null, "batcher: length policy is null");
      this.policy = policy;
      return this;
    }

    /** The batcher; checks that the required values are set and that some pairs remain. */
    public Batcher build() {
      checkState(input != null, "batcher: setPairs(...) is required");
      checkState(batchSize > 0, "batcher: setBatchSize(...) is required");
      checkState(backend != null, "batcher: setBackend(...) is required");
      List<EncodedPair> kept = new ArrayList<>(input.size());
      int filtered = 0;
      int truncated = 0;
      for (EncodedPair p : input) {
        boolean tooLong = p.sourceLength() > maxSource || p.targetLength() > maxTarget;
        if (!tooLong) {
          kept.add(p);
        } else if (policy == LengthPolicy.FILTER) {
          filtered++;
        } else {
          truncated++;
          kept.add(p.truncated(maxSource, maxTarget));
        }
      }
      checkState(!kept.isEmpty(), "batcher: no pairs to batch (%s given, %s filtered as longer than %s source / %s target tokens)",
          input.size(), filtered, maxSource, maxTarget);
      return new Batcher(this, Collections.unmodifiableList(kept), filtered, truncated);
    }
  }
}
