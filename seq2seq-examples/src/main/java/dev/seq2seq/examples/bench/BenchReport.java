package dev.seq2seq.examples.bench;

import java.util.List;

/**
 * Everything one {@code seq2seq bench} invocation measured, with the circumstances: what the
 * {@code --json} file holds and what {@link BenchTable} prints.
 *
 * @param date when the run started (ISO-8601, UTC)
 * @param java the Java runtime's version and vendor
 * @param processors available processors
 * @param childJvmFlags the JVM flags every child ran with
 * @param sizes the {@link BenchSizes} name
 * @param steps measured steps (training) and runs (decoding, per batch size)
 * @param warmup unmeasured steps and runs before them
 * @param decodeBatches greedy decoding batch sizes
 * @param reference the PyTorch figures compared with
 * @param results one per (backend, configuration), configuration-major
 */
public record BenchReport(String date, String java, int processors, List<String> childJvmFlags, String sizes, int steps,
    int warmup, List<Integer> decodeBatches, PyTorchReference reference, List<RunResult> results) {}
