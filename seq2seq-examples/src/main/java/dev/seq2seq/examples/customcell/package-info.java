/**
 * The {@code custom-cell} example, and how to add your own recurrent cell in three steps.
 *
 * <h2>1. Write the cell</h2>
 *
 * <p>A cell is one time step, {@code (x_t, state) -> state'}: a class that extends
 * {@link dev.seq2seq.api.module.Module} (so its parameters are registered with the model, saved in
 * checkpoints and updated by the optimizer) and implements {@link dev.seq2seq.api.nn.Cell}. Create
 * its parameters in the constructor with {@code registerParameter}, drawing initial values from the
 * {@link dev.seq2seq.api.random.Rng} you are given, and write {@code step} with tensor operations
 * only. There is no gradient code to write: autodiff differentiates the operations, on every
 * backend, and on TensorFlow the cell is part of the compiled training step.
 * {@link dev.seq2seq.examples.customcell.IndRnnCell} is such a cell:
 *
 * <pre>{@code
 * public final class IndRnnCell extends Module implements Cell {
 *   public IndRnnCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng) {
 *     weightIh = registerParameter("weight_ih", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize, inputSize), rng, -k, k)));
 *     weightHh = registerParameter("weight_hh", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize), rng, 0, 1)));
 *     bias = registerParameter("bias", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize), rng, -k, k)));
 *     ...
 *   }
 *
 *   public CellState step(Tensor x, CellState state) {   // h' = tanh(x W^T + u * h + b)
 *     Tensor h = state.hidden();
 *     return CellState.of(x.matmul(weightIh.value(), false, true).add(h.mul(weightHh.value())).add(bias.value()).tanh());
 *   }
 *   // inputSize(), hiddenSize(), initialState(batch): zeros [batch, hiddenSize]
 * }
 * }</pre>
 *
 * <h2>2. Register it by name</h2>
 *
 * <p>A Dagger module adds the cell to the map of cell types; a constructor with the parameters
 * {@code (Backend, DType, inputSize, hiddenSize, Rng)} is a
 * {@link dev.seq2seq.models.inject.CellType} ({@link dev.seq2seq.examples.customcell.CustomCells}):
 *
 * <pre>{@code
 * @Module
 * public interface CustomCells {
 *   @Provides @IntoMap @StringKey("indrnn")
 *   static CellType indRnn() { return IndRnnCell::new; }
 * }
 * }</pre>
 *
 * <p>and a component includes that module next to the built-ins and a backend
 * ({@link dev.seq2seq.examples.customcell.CustomCellComponent} takes the backend as an argument;
 * {@link dev.seq2seq.models.inject.SwitchedBackend} or a backend jar's module would do as well):
 *
 * <pre>{@code
 * @Component(modules = {BuiltInModels.class, CustomCells.class})
 * public interface CustomCellComponent extends ModelComponent {
 *   @Component.Factory
 *   interface Factory { CustomCellComponent create(@BindsInstance Backend backend); }
 * }
 * }</pre>
 *
 * <h2>3. Use the name in a config</h2>
 *
 * <pre>{@code
 * RnnSeq2SeqFactory models = DaggerCustomCellComponent.factory().create(backend).rnnSeq2Seq();
 * RnnSeq2Seq model = models.create(new RnnModelConfig("indrnn", AttentionStyle.BAHDANAU, "bahdanau",
 *     sourceVocab, targetVocab, 32, 64, 1, false, 0.0, DType.FLOAT32, 5));
 * }</pre>
 *
 * <p>The model is an ordinary {@link dev.seq2seq.models.seq2seq.RnnSeq2Seq}: multi-layer and
 * bidirectional encoders, attention, training, checkpoints and every decoder work with the new cell
 * as with {@code gru} or {@code lstm}. An unknown name fails with the list of registered cells.
 * {@link dev.seq2seq.examples.customcell.CustomCellExample} does all three steps and trains the
 * result to reverse short digit strings: {@code seq2seq example custom-cell}.
 */
package dev.seq2seq.examples.customcell;
