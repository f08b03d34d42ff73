package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.CrossBackendSuite;

/** Every primitive gives the same values and gradients on tensorflow as on the ejml reference. */
class TensorFlowMatchesEjmlTest extends CrossBackendSuite {
  @Override
  protected Backend reference() {
    return Backends.get("ejml");
  }

  @Override
  protected Backend candidate() {
    return Backends.get("tensorflow");
  }
}
