package dev.seq2seq.models.training;

import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teacher-forced metrics over validation batches, weighted by real target tokens:
 *
 * <ul>
 *   <li>{@code loss}: mean token cross-entropy {@code H} (no label smoothing)
 *   <li>{@code perplexity}: {@code exp(H)}
 *   <li>{@code token_accuracy}: the fraction of real target tokens whose argmax prediction is right
 * </ul>
 */
public final class TeacherForcedValidator implements Validator {
  private final List<Seq2SeqBatch> batches;
  private final CrossEntropyLoss loss = new CrossEntropyLoss();

  /** Validates on {@code batches} (kept; reused at every validation). */
  public TeacherForcedValidator(List<Seq2SeqBatch> batches) {
    this.batches = List.copyOf(batches);
  }

  @Override
  public Map<String, Double> validate(Seq2Seq model) {
    double lossSum = 0;
    double correct = 0;
    double tokens = 0;
    for (Seq2SeqBatch b : batches) {
      try (TensorScope scope = TensorScope.open()) {
        Tensor logits = model.logits(b);
        Tensor mask = b.targetMask().cast(logits.dtype());
        double n = mask.sum().item();
        lossSum += loss.apply(logits, b.targetOutput(), b.targetMask()).item() * n;
        Tensor hits = logits.argmax(-1).eq(b.targetOutput()).cast(logits.dtype()).mul(mask);
        correct += hits.sum().item();
        tokens += n;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    double h = tokens == 0 ? 0 : lossSum / tokens;
    m.put("loss", h);
    m.put("perplexity", Math.exp(h));
    m.put("token_accuracy", tokens == 0 ? 0 : correct / tokens);
    return m;
  }

  /** Number of validation batches. */
  public int size() {
    return batches.size();
  }

  /** The dtype-independent count of real target tokens (for reports). */
  public long targetTokens() {
    long n = 0;
    for (Seq2SeqBatch b : batches) {
      n += Math.round(b.targetMask().cast(DType.FLOAT32).sum().item());
    }
    return n;
  }
}
