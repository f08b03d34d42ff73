/** The {@code seq2seq} command line (picocli): one subcommand per class. */
package dev.seq2seq.examples.cli;
