package dev.seq2seq.models.inject;

import dagger.Module;

/** Every built-in registration: include this in a component, next to a module binding the backend. */
@Module(includes = {BuiltInCells.class, BuiltInAttention.class})
public interface BuiltInModels {}
