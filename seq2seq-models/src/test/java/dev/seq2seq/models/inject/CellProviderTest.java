package dev.seq2seq.models.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.cells.MinimalGatedCell;
import com.example.cells.PluginCells;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Plug-in cells: a {@link CellProvider} listed in the test class path's
 * {@code META-INF/services} ({@link PluginCells}, "mgu_plugin") reaches the ready-made components,
 * and a name registered twice fails naming both registrations.
 */
class CellProviderTest {
  @Test
  void aProviderOnTheClassPathAddsItsCellToTheReadyMadeComponents() {
    RnnSeq2SeqFactory factory = BackendBoundComponent.on(Backends.get("ejml")).rnnSeq2Seq();
    assertThat(factory.cellNames()).contains("mgu_plugin", "gru", "lstm");
    RnnSeq2Seq model = factory.create(new RnnModelConfig("mgu_plugin", AttentionStyle.NONE, null, 6, 6, 4, 5, 1, false, 0,
        DType.FLOAT32, 1));
    assertThat(model.namedParameters().keySet()).as("the plug-in cell's own parameters").anyMatch(n -> n.endsWith("u_f"));
    assertThat(ModelComponent.create().rnnSeq2Seq().cellNames()).contains("mgu_plugin");
  }

  @Test
  void aNameRegisteredTwiceNamesBothRegistrations() {
    CellProvider again = () -> Map.of("gru", MinimalGatedCell::new);
    assertThatThrownBy(() -> new RnnSeq2SeqFactory(Backends.get("ejml"), Map.of("gru", BuiltInCells.gru()), Set.of(again), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cell 'gru' is registered twice: by a Dagger @IntoMap registration and by ")
        .hasMessageContaining(CellProviderTest.class.getName());
  }
}
