/**
 * Benchmarks that print their figures: JMH benchmarks of the hot kernels (float32 GEMM, one
 * recurrent cell step, reductions), training throughput of the bench command's three models on the
 * ejml backend ({@link dev.seq2seq.benchmarks.TrainingThroughputMain}, with the time per GEMM shape),
 * and two builds of the project trained side by side in one JVM
 * ({@link dev.seq2seq.benchmarks.InterleavedTrainingMain}), the comparison that stays fair on a host
 * whose speed drifts.
 */
package dev.seq2seq.benchmarks;
