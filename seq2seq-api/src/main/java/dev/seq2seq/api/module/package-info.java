/**
 * Models as trees of named parts: {@link dev.seq2seq.api.module.Module} owns
 * {@link dev.seq2seq.api.module.Parameter}s and child modules under stable dotted names, the keys
 * of checkpoints.
 */
package dev.seq2seq.api.module;
