package dev.seq2seq.api.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The selection switch, tested where a real provider (ejml) is on the class path. */
class BackendSelectionTest {
  @Test
  void explicitBeatsPropertyBeatsEnvironmentBeatsPriority() {
    assertThat(Backends.resolveName("A", "b", "c")).isEqualTo("a");
    assertThat(Backends.resolveName(null, "B", "c")).isEqualTo("b");
    assertThat(Backends.resolveName(" ", "", " C ")).isEqualTo("c");
    assertThat(Backends.resolveName(null, null, null)).isEqualTo(Backends.available().get(0));
  }

  @Test
  void ejmlIsDiscoveredAndIsTheDefaultByPriority() {
    assertThat(Backends.available()).contains("ejml");
    assertThat(Backends.resolveName(null, null, null)).isEqualTo("ejml");
    assertThat(Backends.get("EJML")).isSameAs(Backends.get("ejml"));
  }

  @Test
  void theSystemPropertySelects() {
    String previous = System.getProperty(Backends.PROPERTY);
    System.setProperty(Backends.PROPERTY, "no-such-backend");
    try {
      assertThatThrownBy(Backends::get).hasMessageContaining("unknown backend 'no-such-backend'");
    } finally {
      if (previous == null) {
        System.clearProperty(Backends.PROPERTY);
      } else {
        System.setProperty(Backends.PROPERTY, previous);
      }
    }
  }

  @Test
  void anUnknownNameListsTheAvailableBackends() {
    assertThatThrownBy(() -> Backends.get("cuda"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown backend 'cuda'")
        .hasMessageContaining("available backends are [")
        .hasMessageContaining("ejml");
  }
}
