/**
 * The {@code seq2seq bench} measurements: three standard model configurations trained and decoded
 * on seeded synthetic data, each (backend, configuration) in a fresh child JVM so that its peak
 * memory is its own, reported next to a PyTorch reference.
 *
 * <p>{@link dev.seq2seq.examples.bench.BenchRunner} measures in the current JVM,
 * {@link dev.seq2seq.examples.bench.BenchChild} is the child's entry point,
 * {@link dev.seq2seq.examples.bench.ChildLauncher} starts children and collects their results, and
 * {@link dev.seq2seq.examples.bench.BenchTable} prints them.
 */
package dev.seq2seq.examples.bench;
