package dev.seq2seq.backend.ejml;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.BackendConformanceSuite;

/** The EJML backend runs the whole backend conformance kit. */
class EjmlConformanceTest extends BackendConformanceSuite {
  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }
}
