/**
 * The {@code dates} example: dates written many human ways mapped to ISO 8601, character by
 * character, by an LSTM encoder-decoder with Luong attention
 * ({@link dev.seq2seq.examples.dates.DatesExample}), on data from
 * {@link dev.seq2seq.examples.dates.DateData} in the {@link dev.seq2seq.examples.dates.DateFormat}s.
 */
package dev.seq2seq.examples.dates;
