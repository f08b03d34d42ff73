/** The {@code dates} example: dates written many human ways mapped to ISO 8601, character by character. */
package dev.seq2seq.examples.dates;
