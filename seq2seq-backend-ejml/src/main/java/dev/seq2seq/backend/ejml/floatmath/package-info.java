/**
 * Float32 transcendental functions over arrays for the ejml backend's elementwise kernels, and the
 * float32 loops over row offsets that JDK 17's auto-vectorizer leaves scalar (the recurrent cells'
 * forward and gradient loops, the Adam update, in-place row additions, layer norm's sums in double)
 * ({@link dev.seq2seq.backend.ejml.floatmath.FloatMath}): reproducible float polynomials and plain
 * arithmetic on Vector API lanes when {@code jdk.incubator.vector} is present, {@link java.lang.Math}
 * and scalar loops otherwise ({@link dev.seq2seq.backend.ejml.floatmath.FloatMaths}).
 */
package dev.seq2seq.backend.ejml.floatmath;
