package com.example.cells;

import dagger.Component;
import dev.seq2seq.backend.tensorflow.TensorFlowModule;
import dev.seq2seq.models.inject.BuiltInModels;
import dev.seq2seq.models.inject.ModelComponent;

/** The same component on the TensorFlow backend. */
@Component(modules = {BuiltInModels.class, TensorFlowModule.class, MyCells.class})
interface TensorFlowWithMyCells extends ModelComponent {}
