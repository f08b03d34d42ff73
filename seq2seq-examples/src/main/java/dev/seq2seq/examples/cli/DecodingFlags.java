package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.models.inject.SavedModel;
import picocli.CommandLine.Option;

/** The decoding options of {@code translate} and {@code eval}: {@code --beam}, {@code --batch}, {@code --max-length}. */
final class DecodingFlags {
  @Option(names = "--beam", paramLabel = "K", defaultValue = "1", description = "beam size (1 = greedy; default ${DEFAULT-VALUE})")
  int beam;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "sentences decoded together (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--max-length", paramLabel = "N", defaultValue = "0",
      description = "longest output in tokens (default: 2 x the longest source of the batch + 10)")
  int maxLength;

  /**
   * Checks the ranges, before anything is loaded.
   *
   * @throws UsageException naming the option out of range and what was expected
   */
  void check() {
    if (beam < 1) {
      throw new UsageException("--beam %d: expected a beam size >= 1 (1 = greedy)", beam);
    }
    if (batch < 1) {
      throw new UsageException("--batch %d: expected a batch size >= 1", batch);
    }
    if (maxLength < 0) {
      throw new UsageException("--max-length %d: expected a length >= 1 (or 0 for the default)", maxLength);
    }
  }

  /** A translator of {@code saved} on {@code backend} with these options. */
  Translator translator(SavedModel saved, Backend backend) {
    return new Translator(saved, backend, beam, batch, maxLength);
  }
}
