/** Training objectives: {@link dev.seq2seq.models.loss.CrossEntropyLoss} over padded token batches. */
package dev.seq2seq.models.loss;
