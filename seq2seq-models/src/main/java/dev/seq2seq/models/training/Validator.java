package dev.seq2seq.models.training;

import dev.seq2seq.api.nn.Seq2Seq;
import java.util.Map;

/**
 * Measures a model on held-out data: metric name to value (e.g. {@code loss}, {@code perplexity},
 * {@code token_accuracy}, {@code exact_match}, {@code bleu}). Called with the model in evaluation
 * mode and gradient recording off.
 */
@FunctionalInterface
public interface Validator {
  /** The metrics of {@code model} now. */
  Map<String, Double> validate(Seq2Seq model);
}
