package dev.seq2seq.models.inject;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.inject.Inject;

/**
 * Builds {@link RnnSeq2Seq} models from an {@link RnnModelConfig}, resolving cell and attention
 * names through the registries the component was assembled with. An unknown name fails with the
 * list of registered ones. The names are those of the component's {@code Map<String, CellType>}
 * multibinding and of its {@link CellProvider}s (none unless it includes {@link ClassPathCells}).
 */
public final class RnnSeq2SeqFactory {
  private final Backend backend;
  private final Map<String, CellType> cells;
  private final Map<String, AttentionType> attentions;

  @Inject
  RnnSeq2SeqFactory(Backend backend, Map<String, CellType> cells, Set<CellProvider> providers,
      Map<String, AttentionType> attentions) {
    this.backend = backend;
    this.cells = withProviders(cells, providers);
    this.attentions = attentions;
  }

  /** The registered cells and every provider's, each name once. */
  private static Map<String, CellType> withProviders(Map<String, CellType> registered, Set<CellProvider> providers) {
    Map<String, CellType> all = new LinkedHashMap<>(registered);
    Map<String, String> origin = new HashMap<>();
    registered.keySet().forEach(name -> origin.put(name, "a Dagger @IntoMap registration"));
    for (CellProvider provider : providers) {
      for (Map.Entry<String, CellType> e : provider.cells().entrySet()) {
        String from = provider.getClass().getName();
        String before = origin.putIfAbsent(e.getKey(), from);
        if (before != null) {
          throw new IllegalStateException(String.format(
              "cell '%s' is registered twice: by %s and by %s", e.getKey(), before, from));
        }
        all.put(e.getKey(), e.getValue());
      }
    }
    return all;
  }

  /** A new model with weights drawn from {@code config.seed()}. */
  public RnnSeq2Seq create(RnnModelConfig config) {
    CellType cell = cells.get(config.cell());
    if (cell == null) {
      throw new IllegalArgumentException(String.format(
          "unknown cell '%s': registered cells are %s", config.cell(), new TreeSet<>(cells.keySet())));
    }
    RnnSeq2Seq.Builder b = RnnSeq2Seq.builder()
        .setBackend(backend).optDType(config.dtype())
        .setVocabularies(config.sourceVocab(), config.targetVocab())
        .setCell(cell.on(backend, config.dtype()))
        .setEmbeddingSize(config.embeddingSize()).setHiddenSize(config.hiddenSize())
        .optNumLayers(config.layers()).optBidirectionalEncoder(config.bidirectionalEncoder())
        .optDropout(config.dropout()).setRng(new Rng(config.seed()));
    if (config.attentionStyle() != AttentionStyle.NONE) {
      AttentionType attention = attentions.get(config.attention());
      if (attention == null) {
        throw new IllegalArgumentException(String.format(
            "unknown attention '%s': registered attentions are %s", config.attention(), new TreeSet<>(attentions.keySet())));
      }
      b.optAttention(config.attentionStyle(), attention.on(backend, config.dtype()));
    }
    return b.build();
  }

  /** The registered cell names. */
  public TreeSet<String> cellNames() {
    return new TreeSet<>(cells.keySet());
  }

  /** The backend models are built on. */
  public Backend backend() {
    return backend;
  }
}
