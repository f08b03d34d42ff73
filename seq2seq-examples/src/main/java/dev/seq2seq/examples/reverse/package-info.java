/** The {@code reverse} example: a GRU encoder-decoder with Bahdanau attention learns to reverse digit strings. */
package dev.seq2seq.examples.reverse;
