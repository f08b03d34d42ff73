package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.conformance.BackendConformanceSuite;

/** The shared conformance kit, run against the TensorFlow backend on CPU. */
class TensorFlowConformanceTest extends BackendConformanceSuite {
  @Override
  protected Backend backend() {
    return TfTestSupport.backend();
  }
}
