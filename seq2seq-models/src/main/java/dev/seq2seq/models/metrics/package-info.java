/**
 * Evaluation metrics: corpus {@link dev.seq2seq.models.metrics.Bleu BLEU} (numerically matching
 * NLTK's {@code corpus_bleu}), masked {@link dev.seq2seq.models.metrics.TokenAccuracy token accuracy},
 * {@link dev.seq2seq.models.metrics.ExactMatch exact match} and
 * {@link dev.seq2seq.models.metrics.Perplexity perplexity}.
 */
package dev.seq2seq.models.metrics;
