package dev.seq2seq.models.inject;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;

/** The {@link CellProvider}s on the class path, for components that accept plug-in cells. */
@Module
public interface ClassPathCells {
  /** Every provider {@link ServiceLoader} finds with this class's loader, in class-path order. */
  @Provides
  @ElementsIntoSet
  static Set<CellProvider> onClassPath() {
    Set<CellProvider> found = new LinkedHashSet<>();
    ServiceLoader.load(CellProvider.class, ClassPathCells.class.getClassLoader()).forEach(found::add);
    return found;
  }
}
