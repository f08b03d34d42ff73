package com.example.cells;

import dagger.Component;
import dev.seq2seq.backend.ejml.EjmlModule;
import dev.seq2seq.models.inject.BuiltInModels;
import dev.seq2seq.models.inject.ModelComponent;

/** The user's component on the EJML backend, with the built-ins and their own cell. */
@Component(modules = {BuiltInModels.class, EjmlModule.class, MyCells.class})
interface EjmlWithMyCells extends ModelComponent {}
