/**
 * The data of the {@code dates} example: dates written many human ways mapped to ISO 8601,
 * character by character ({@link dev.seq2seq.examples.dates.DateFormat},
 * {@link dev.seq2seq.examples.dates.DateData}).
 *
 * <p>Unfinished: the example itself (an LSTM encoder-decoder with Luong attention trained on this
 * data, and {@code seq2seq example dates}) is not written yet; the command line does not list it.
 */
package dev.seq2seq.examples.dates;
