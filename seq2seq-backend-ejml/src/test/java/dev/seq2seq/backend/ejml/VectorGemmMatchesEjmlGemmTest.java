package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.conformance.CrossBackendSuite;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;

/**
 * Every cross-backend case (forward values and gradients, float32 and float64) on the backend with
 * the Vector API GEMM, two threads, against the same backend with EJML's GEMM.
 */
class VectorGemmMatchesEjmlGemmTest extends CrossBackendSuite {
  private static final Backend REFERENCE = new EjmlBackend(FloatGemms.ejml());
  private static final Backend CANDIDATE = new EjmlBackend(FloatGemms.vector(2));

  @Override
  protected Backend reference() {
    return REFERENCE;
  }

  @Override
  protected Backend candidate() {
    return CANDIDATE;
  }
}
