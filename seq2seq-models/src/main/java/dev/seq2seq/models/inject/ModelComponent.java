package dev.seq2seq.models.inject;

import dagger.Component;

/**
 * The ready-made component: built-in cells and attentions, the cells of the {@link CellProvider}s
 * on the class path, backend from the run-time switch.
 *
 * <p>To add your own cell or attention, declare your own component with your module next to
 * {@link BuiltInModels} and a backend module ({@link SwitchedBackend} or a backend jar's):
 *
 * <pre>{@code
 * @Component(modules = {BuiltInModels.class, SwitchedBackend.class, MyCells.class})
 * interface MyComponent extends ModelComponent {}
 * }</pre>
 */
@Component(modules = {BuiltInModels.class, SwitchedBackend.class, ClassPathCells.class})
public interface ModelComponent {
  /** Builds RNN encoder-decoders by config. */
  RnnSeq2SeqFactory rnnSeq2Seq();

  /** Builds Transformers by config. */
  TransformerSeq2SeqFactory transformer();

  /** The component with the switched backend. */
  static ModelComponent create() {
    return DaggerModelComponent.create();
  }
}
