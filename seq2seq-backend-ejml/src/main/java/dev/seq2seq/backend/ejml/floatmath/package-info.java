/**
 * Float32 transcendental functions over arrays for the ejml backend's elementwise kernels, and the
 * recurrent cells' gradient loops ({@link dev.seq2seq.backend.ejml.floatmath.FloatMath}): reproducible float polynomials on Vector API
 * lanes when {@code jdk.incubator.vector} is present, {@link java.lang.Math} otherwise
 * ({@link dev.seq2seq.backend.ejml.floatmath.FloatMaths}).
 */
package dev.seq2seq.backend.ejml.floatmath;
