/**
 * The embedded pure-Java backend {@code ejml}: {@link dev.seq2seq.backend.ejml.EjmlBackend} runs
 * every primitive on heap arrays held by {@link dev.seq2seq.backend.ejml.EjmlTensor}, with matrix
 * products delegated to EJML's dense GEMM, and {@link dev.seq2seq.backend.ejml.EjmlBackendProvider}
 * registers it as the default backend (priority 100).
 *
 * <p>Internally the kernels are grouped by kind: {@code Elementwise} (unary, broadcasting binary,
 * where, cast), {@code Reductions} (sum, mean, max, softmax), {@code Layout} (reshape, permute,
 * concat, slice, pad), {@code Indexing} (gather, scatter-add, argmax, top-k) and {@code MatMul}.
 * They share one strided index mapping, {@code StridedLoop}, and keep every loop that depends on
 * the element type in {@code Storage}, or in small per-dtype drivers around a single
 * {@code double} (or {@code int}) definition of each operation.
 */
package dev.seq2seq.backend.ejml;
