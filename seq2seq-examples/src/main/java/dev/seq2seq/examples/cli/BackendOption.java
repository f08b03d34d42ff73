package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import picocli.CommandLine.Option;

/** The {@code --backend} option every computing command shares. */
final class BackendOption {
  @Option(names = "--backend", paramLabel = "NAME",
      description = "ejml or tensorflow (default: -Dseq2seq.backend, then SEQ2SEQ_BACKEND, then ejml)")
  String name;

  /** The selected backend; an unknown name fails with the list of available ones. */
  Backend backend() {
    return Backends.get(name);
  }
}
