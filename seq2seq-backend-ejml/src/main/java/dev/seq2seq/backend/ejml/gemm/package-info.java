/**
 * Float32 matrix products for the ejml backend ({@link dev.seq2seq.backend.ejml.gemm.FloatGemm}):
 * a packed, register-blocked, multi-threaded Vector API kernel when {@code jdk.incubator.vector} is
 * present, EJML's otherwise ({@link dev.seq2seq.backend.ejml.gemm.FloatGemms}).
 */
package dev.seq2seq.backend.ejml.gemm;
