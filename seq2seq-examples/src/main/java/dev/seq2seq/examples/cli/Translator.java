package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.data.Batcher;
import dev.seq2seq.models.data.EncodedPair;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.BeamSearchDecoder;
import dev.seq2seq.models.decoding.Decoder;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.inject.SavedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates token lists with a saved model in batches, keeping input order: greedy decoding for a
 * beam of 1, beam search otherwise. The output length limit is {@code maxLength} when given, else
 * twice the longest source of the batch plus 10 (capped by a Transformer's {@code max_length}).
 */
final class Translator {
  private final SavedModel saved;
  private final Backend backend;
  private final int beam;
  private final int batchSize;
  private final int maxLength;

  /** @param maxLength the output length limit, or 0 for the default */
  Translator(SavedModel saved, Backend backend, int beam, int batchSize, int maxLength) {
    this.saved = saved;
    this.backend = backend;
    this.beam = beam;
    this.batchSize = batchSize;
    this.maxLength = maxLength;
  }

  /** The output ids (without {@code <eos>}) of each source, in order. */
  List<int[]> translateIds(List<int[]> sources) {
    List<EncodedPair> pairs = new ArrayList<>(sources.size());
    sources.forEach(s -> pairs.add(new EncodedPair(s, new int[0])));
    Batcher batcher = Batcher.builder().setPairs(pairs).setBatchSize(batchSize).setBackend(backend).optShuffle(false).build();
    List<int[]> out = new ArrayList<>(sources.size());
    for (Seq2SeqBatch b : batcher.epoch(0)) {
      try (TensorScope scope = TensorScope.open()) {
        for (DecodingResult r : decoder(b.source().dim(1)).decode(saved.model(), b.source(), b.sourceMask())) {
          out.add(r.tokens());
        }
      }
    }
    return out;
  }

  /** The output tokens of each source token list, in order (unknown tokens become {@code <unk>}). */
  List<List<String>> translate(List<List<String>> sources) {
    List<int[]> ids = new ArrayList<>(sources.size());
    sources.forEach(s -> ids.add(saved.source().encode(s)));
    List<List<String>> out = new ArrayList<>(sources.size());
    for (int[] t : translateIds(ids)) {
      out.add(saved.target().decode(t, true));
    }
    return out;
  }

  private Decoder decoder(int longestSource) {
    int limit = maxLength > 0 ? maxLength : 2 * longestSource + 10;
    if (saved.spec().isTransformer()) {
      limit = Math.min(limit, saved.spec().maxLength() - 1);
    }
    DecodingOptions options = DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS)
        .setMaxLength(limit).optBeamSize(beam).build();
    return beam == 1 ? new GreedyDecoder(options) : new BeamSearchDecoder(options);
  }
}
