/**
 * Compiled execution: a {@link dev.seq2seq.api.compile.StepFunction} (a whole training or decoding
 * step) run through {@link dev.seq2seq.api.compile.Steps#compile} as one execution on backends that
 * implement {@link dev.seq2seq.api.compile.Compiler}, and eagerly elsewhere — model code stays
 * backend-neutral.
 */
package dev.seq2seq.api.compile;
