package dev.seq2seq.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {
  private final Backend backend = Backends.get("ejml");

  /**
   * {@code n} pairs of random lengths, target length correlated with source length as in real
   * corpora; pair i's source starts with id 100 + i so rows can be traced.
   */
  private static List<EncodedPair> pairs(int n, long seed) {
    Rng rng = new Rng(seed);
    List<EncodedPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[1 + rng.nextInt(30)];
      int[] t = new int[Math.max(0, s.length + rng.nextInt(7) - 3)];
      Arrays.fill(s, 4 + i % 50);
      s[0] = 100 + i;
      Arrays.fill(t, 5 + i % 40);
      out.add(new EncodedPair(s, t));
    }
    return out;
  }

  private Batcher.Builder builder(List<EncodedPair> pairs, int batchSize) {
    return Batcher.builder().setPairs(pairs).setBatchSize(batchSize).setBackend(backend);
  }

  @Test
  void shapesMasksAndSosEosPlacement() {
    List<EncodedPair> pairs = List.of(
        new EncodedPair(new int[] {7, 8, 9}, new int[] {10, 11}),
        new EncodedPair(new int[] {12}, new int[] {13, 14, 15, 16}),
        new EncodedPair(new int[] {17, 18}, new int[] {}));
    Batcher b = builder(pairs, 3).optShuffle(false).optDType(DType.FLOAT64).build();
    List<Seq2SeqBatch> batches = new ArrayList<>();
    b.epoch(0).forEach(batches::add);
    assertThat(batches).hasSize(1);
    Seq2SeqBatch batch = batches.get(0);
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.source().shape().toArray()).containsExactly(3, 3);
    assertThat(batch.source().dtype()).isEqualTo(DType.INT32);
    assertThat(batch.sourceMask().dtype()).isEqualTo(DType.FLOAT64);
    assertThat(batch.source().toIntArray()).containsExactly(7, 8, 9, 12, 0, 0, 17, 18, 0);
    assertThat(batch.sourceMask().toDoubleArray()).containsExactly(1, 1, 1, 1, 0, 0, 1, 1, 0);
    assertThat(batch.targetInput().shape().toArray()).containsExactly(3, 5);
    assertThat(batch.targetInput().toIntArray()).containsExactly(
        1, 10, 11, 0, 0,
        1, 13, 14, 15, 16,
        1, 0, 0, 0, 0);
    assertThat(batch.targetOutput().toIntArray()).containsExactly(
        10, 11, 2, 0, 0,
        13, 14, 15, 16, 2,
        2, 0, 0, 0, 0);
    assertThat(batch.targetMask().toDoubleArray()).containsExactly(
        1, 1, 1, 0, 0,
        1, 1, 1, 1, 1,
        1, 0, 0, 0, 0);
  }

  @Test
  void epochFromSkipsTheFirstBatchesOfThatEpochsOrder() {
    Batcher b = builder(pairs(50, 4), 8).optSeed(3).build();
    List<int[]> all = new ArrayList<>();
    b.epoch(2).forEach(x -> all.add(x.source().toIntArray()));
    List<int[]> rest = new ArrayList<>();
    b.epochFrom(2, 3).forEach(x -> rest.add(x.source().toIntArray()));
    assertThat(rest).hasSize(all.size() - 3);
    for (int i = 0; i < rest.size(); i++) {
      assertThat(rest.get(i)).as("batch %d of epoch 2", i + 3).containsExactly(all.get(i + 3));
    }
    assertThat(b.epochFrom(2, 99)).isEmpty();
  }

  @Test
  void inOrderKeepsThePairOrderSoResultsLineUpByIndex() {
    List<EncodedPair> pairs = pairs(7, 3);
    List<Seq2SeqBatch> batches = Batcher.inOrder(backend, pairs, 3);
    assertThat(batches).extracting(Seq2SeqBatch::size).containsExactly(3, 3, 1);
    int index = 0;
    for (Seq2SeqBatch b : batches) {
      int width = (int) b.source().shape().toArray()[1];
      int[] ids = b.source().toIntArray();
      for (int row = 0; row < b.size(); row++) {
        assertThat(ids[row * width]).as("first source id of row %d of the batch holding pair %d", row, index).isEqualTo(100 + index);
        index++;
      }
    }
    assertThat(index).isEqualTo(7);
  }

  @Test
  void filterDropsAndTruncateCutsLongPairs() {
    List<EncodedPair> pairs = List.of(
        new EncodedPair(new int[] {4, 5, 6, 7}, new int[] {8}),
        new EncodedPair(new int[] {4}, new int[] {8, 9, 10}),
        new EncodedPair(new int[] {4, 5}, new int[] {8, 9}));
    Batcher filter = builder(pairs, 8).optMaxSourceLength(2).optMaxTargetLength(2).optShuffle(false).build();
    assertThat(filter.pairs()).containsExactly(pairs.get(2));
    assertThat(filter.filteredCount()).isEqualTo(2);
    Batcher truncate = builder(pairs, 8).optMaxSourceLength(2).optMaxTargetLength(2)
        .optLengthPolicy(LengthPolicy.TRUNCATE).optShuffle(false).build();
    assertThat(truncate.truncatedCount()).isEqualTo(2);
    assertThat(truncate.pairs()).containsExactly(
        new EncodedPair(new int[] {4, 5}, new int[] {8}),
        new EncodedPair(new int[] {4}, new int[] {8, 9}),
        pairs.get(2));
    Seq2SeqBatch batch = truncate.epoch(0).iterator().next();
    assertThat(batch.source().shape().toArray()).containsExactly(3, 2);
    // the truncated target still ends with <eos>; decoder length is max target + 1
    assertThat(batch.targetOutput().toIntArray()).containsExactly(8, 2, 0, 8, 9, 2, 8, 9, 2);
    assertThatThrownBy(() -> builder(pairs, 8).optMaxSourceLength(1).optMaxTargetLength(0).build())
        .hasMessageContaining("no pairs to batch").hasMessageContaining("3 filtered");
  }

  @Test
  void everyPairExactlyOncePerEpochAndLastBatchSmaller() {
    List<EncodedPair> pairs = pairs(103, 1);
    for (int bucket : new int[] {0, 4}) {
      Batcher b = builder(pairs, 10).optSeed(5).optBucketing(bucket).build();
      assertThat(b.batchesPerEpoch()).isEqualTo(11);
      for (int epoch = 0; epoch < 3; epoch++) {
        int[] seen = new int[pairs.size()];
        int batches = 0;
        for (Seq2SeqBatch batch : b.epoch(epoch)) {
          batches++;
          int[] src = batch.source().toIntArray();
          int width = batch.source().dim(1);
          for (int row = 0; row < batch.size(); row++) {
            seen[src[row * width] - 100]++;
          }
        }
        assertThat(batches).isEqualTo(11);
        assertThat(seen).as("bucketing %s epoch %s", bucket, epoch).containsOnly(1);
      }
      Batcher dropLast = builder(pairs, 10).optSeed(5).optBucketing(bucket).optDropLast(true).build();
      assertThat(dropLast.plan(0)).hasSize(10).allSatisfy(ix -> assertThat(ix).hasSize(10));
    }
  }

  @Test
  void sameSeedSameOrderDifferentSeedOrEpochDifferentOrder() {
    List<EncodedPair> pairs = pairs(200, 2);
    for (int bucket : new int[] {0, 5}) {
      Batcher a = builder(pairs, 16).optSeed(42).optBucketing(bucket).build();
      Batcher again = builder(pairs, 16).optSeed(42).optBucketing(bucket).build();
      Batcher other = builder(pairs, 16).optSeed(43).optBucketing(bucket).build();
      assertThat(flatten(again.plan(0))).isEqualTo(flatten(a.plan(0)));
      assertThat(flatten(a.plan(3))).isEqualTo(flatten(a.plan(3))); // replayable in any order
      assertThat(flatten(other.plan(0))).isNotEqualTo(flatten(a.plan(0)));
      assertThat(flatten(a.plan(1))).isNotEqualTo(flatten(a.plan(0)));
      // the tensors agree too
      assertThat(a.epoch(0).iterator().next().source().toIntArray())
          .isEqualTo(again.epoch(0).iterator().next().source().toIntArray());
    }
    Batcher ordered = builder(pairs, 16).optShuffle(false).build();
    assertThat(flatten(ordered.plan(0))).isEqualTo(java.util.stream.IntStream.range(0, 200).boxed().toList());
  }

  @Test
  void bucketingReducesPadding() {
    List<EncodedPair> pairs = pairs(2000, 3);
    Batcher plain = builder(pairs, 32).optSeed(9).build();
    Batcher bucketed = builder(pairs, 32).optSeed(9).optBucketing(20).build();
    double before = plain.paddingFraction(0);
    double after = bucketed.paddingFraction(0);
    System.out.printf("padding fraction: unbucketed %.3f, bucketed (20 batches/chunk) %.3f%n", before, after);
    assertThat(after).isLessThan(before / 2);
    assertThat(bucketed.paddingFraction(1)).isLessThan(plain.paddingFraction(1) / 2);
    // bucketed batches still come in a shuffled order: lengths are not monotone over the epoch
    List<Integer> firstLengths = new ArrayList<>();
    bucketed.paddedEpoch(0).forEach(p -> firstLengths.add(p.sourceLength()));
    List<Integer> sorted = new ArrayList<>(firstLengths);
    sorted.sort(null);
    assertThat(firstLengths).isNotEqualTo(sorted);
  }

  @Test
  void builderChecksRequiredValues() {
    assertThatThrownBy(() -> Batcher.builder().setBatchSize(2).setBackend(backend).build())
        .hasMessageContaining("setPairs");
    assertThatThrownBy(() -> Batcher.builder().setPairs(pairs(3, 1)).setBackend(backend).build())
        .hasMessageContaining("setBatchSize");
    assertThatThrownBy(() -> Batcher.builder().setPairs(pairs(3, 1)).setBatchSize(2).build())
        .hasMessageContaining("setBackend");
    assertThatThrownBy(() -> Batcher.builder().optDType(DType.INT32)).hasMessageContaining("floating");
    assertThatThrownBy(() -> new EncodedPair(new int[0], new int[] {4})).hasMessageContaining("empty source");
  }

  @Test
  void endToEndFromTextToBatches() {
    List<SentencePair> text = List.of(new SentencePair("一万零二百零三", "10203"), new SentencePair("二百", "200"));
    Tokenizer chars = new CharacterTokenizer();
    Vocabulary src = Vocabulary.builder().addAll(text, p -> chars.tokenize(p.source())).build();
    Vocabulary tgt = Vocabulary.builder().addAll(text, p -> chars.tokenize(p.target())).build();
    Batcher b = builder(new PairEncoder(chars, src, chars, tgt).encodeAll(text), 2).optShuffle(false).build();
    Seq2SeqBatch batch = b.epoch(0).iterator().next();
    int[] out = batch.targetOutput().toIntArray();
    int width = batch.targetOutput().dim(1);
    assertThat(chars.detokenize(tgt.decode(Arrays.copyOfRange(out, 0, width), true))).isEqualTo("10203");
    assertThat(chars.detokenize(tgt.decode(Arrays.copyOfRange(out, width, 2 * width), true))).isEqualTo("200");
    assertThat(chars.detokenize(src.decode(Arrays.copyOf(batch.source().toIntArray(), 7), true))).isEqualTo("一万零二百零三");
  }

  private static List<Integer> flatten(List<int[]> plan) {
    List<Integer> out = new ArrayList<>();
    plan.forEach(ix -> Arrays.stream(ix).forEach(out::add));
    return out;
  }
}
