package dev.seq2seq.models.inject;

import dagger.BindsInstance;
import dagger.Component;
import dev.seq2seq.api.backend.Backend;

/**
 * The ready-made component on a backend chosen by the caller (e.g. a command line's
 * {@code --backend}) instead of the run-time switch: built-in cells and attentions, and the cells
 * of the {@link CellProvider}s on the class path.
 */
@Component(modules = {BuiltInModels.class, ClassPathCells.class})
public interface BackendBoundComponent extends ModelComponent {
  /** Creates the component for one backend. */
  @Component.Factory
  interface Factory {
    /** The component whose models are built on {@code backend}. */
    BackendBoundComponent create(@BindsInstance Backend backend);
  }

  /** The component with built-in registrations on {@code backend}. */
  static ModelComponent on(Backend backend) {
    return DaggerBackendBoundComponent.factory().create(backend);
  }
}
