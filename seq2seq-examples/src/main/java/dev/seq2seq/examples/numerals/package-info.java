/**
 * The {@code numerals} example: a Transformer learns to write Arabic numbers in Chinese numerals
 * ({@code 10203 -> 一万零二百零三}); {@link dev.seq2seq.examples.numerals.ChineseNumerals} is the
 * rule-based converter that makes the data, {@link dev.seq2seq.examples.numerals.NumeralData} draws
 * training and held-out numbers from a seed.
 */
package dev.seq2seq.examples.numerals;
