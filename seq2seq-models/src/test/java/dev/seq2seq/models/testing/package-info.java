/** Shared test support of the models module: loading the golden fixtures the Python scripts write. */
package dev.seq2seq.models.testing;
