package dev.seq2seq.models.training;

import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.decoding.Decoder;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.metrics.Bleu;
import dev.seq2seq.models.metrics.Smoothing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoding metrics over validation batches: each source is decoded with a {@link Decoder} and the
 * output (without {@code <sos>}/{@code <eos>}) compared with the gold target, {@code targetOutput}
 * up to its {@code <eos>}:
 *
 * <ul>
 *   <li>{@code exact_match}: the fraction of outputs equal to their target
 *   <li>{@code bleu}: corpus BLEU-4 over token ids ({@link Bleu}, NLTK's definition, method1
 *       smoothing so short validation sets do not collapse to 0)
 * </ul>
 */
public final class DecodingValidator implements Validator {
  private final List<Seq2SeqBatch> batches;
  private final Decoder decoder;
  private final int eos;

  /**
   * @param eos the end-of-sequence id that ends each gold target
   */
  public DecodingValidator(List<Seq2SeqBatch> batches, Decoder decoder, int eos) {
    this.batches = List.copyOf(batches);
    this.decoder = decoder;
    this.eos = eos;
  }

  @Override
  public Map<String, Double> validate(Seq2Seq model) {
    List<List<Integer>> hypotheses = new ArrayList<>();
    List<List<Integer>> references = new ArrayList<>();
    for (Seq2SeqBatch b : batches) {
      try (TensorScope scope = TensorScope.open()) {
        List<DecodingResult> results = decoder.decode(model, b.source(), b.sourceMask());
        int[] gold = b.targetOutput().toIntArray();
        int length = b.targetOutput().dim(1);
        for (int i = 0; i < results.size(); i++) {
          hypotheses.add(boxed(results.get(i).tokens(), results.get(i).tokens().length));
          int end = 0;
          while (end < length && gold[i * length + end] != eos) {
            end++;
          }
          references.add(boxed(java.util.Arrays.copyOfRange(gold, i * length, i * length + end), end));
        }
      }
    }
    int exact = 0;
    for (int i = 0; i < hypotheses.size(); i++) {
      exact += hypotheses.get(i).equals(references.get(i)) ? 1 : 0;
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("exact_match", hypotheses.isEmpty() ? 0 : (double) exact / hypotheses.size());
    m.put("bleu", Bleu.corpusBleuSingleReference(references, hypotheses, Smoothing.METHOD1));
    return m;
  }

  private static List<Integer> boxed(int[] ids, int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(ids[i]);
    }
    return out;
  }

  /** Runs several validators and merges their metrics (later names win). */
  public static Validator combine(Validator... validators) {
    return model -> {
      Map<String, Double> all = new LinkedHashMap<>();
      for (Validator v : validators) {
        all.putAll(v.validate(model));
      }
      return all;
    };
  }
}
