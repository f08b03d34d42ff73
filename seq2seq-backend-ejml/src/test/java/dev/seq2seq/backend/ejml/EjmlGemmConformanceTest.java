package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.conformance.BackendConformanceSuite;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;

/**
 * The whole conformance kit on the backend with EJML's float32 GEMM chosen explicitly (the
 * fallback when {@code jdk.incubator.vector} is absent); {@link EjmlConformanceTest} runs it on the
 * default choice, the Vector API GEMM when the module is present.
 */
class EjmlGemmConformanceTest extends BackendConformanceSuite {
  private static final Backend BACKEND = new EjmlBackend(FloatGemms.ejml());

  @Override
  protected Backend backend() {
    return BACKEND;
  }
}
