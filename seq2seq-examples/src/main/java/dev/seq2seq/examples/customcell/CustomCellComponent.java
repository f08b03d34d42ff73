package dev.seq2seq.examples.customcell;

import dagger.BindsInstance;
import dagger.Component;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.models.inject.BuiltInModels;
import dev.seq2seq.models.inject.ModelComponent;

/**
 * A model component that knows the built-in cells and attentions and {@link CustomCells}; the
 * backend is handed in when the component is created (here, the one chosen on the command line).
 * Dagger generates {@code DaggerCustomCellComponent} at compile time.
 */
@Component(modules = {BuiltInModels.class, CustomCells.class})
public interface CustomCellComponent extends ModelComponent {
  /** The component for {@code backend}. */
  static CustomCellComponent on(Backend backend) {
    return DaggerCustomCellComponent.factory().create(backend);
  }

  /** Creates the component with its backend. */
  @Component.Factory
  interface Factory {
    /** A component whose models live on {@code backend}. */
    CustomCellComponent create(@BindsInstance Backend backend);
  }
}
