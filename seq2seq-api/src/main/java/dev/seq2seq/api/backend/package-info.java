/**
 * The backend service-provider interface: {@link dev.seq2seq.api.backend.Backend} runs the forward
 * kernels of the closed primitive set {@link dev.seq2seq.api.backend.Op} on its own
 * {@link dev.seq2seq.api.backend.RawTensor}s; {@link dev.seq2seq.api.backend.Backends} discovers
 * providers with {@link java.util.ServiceLoader} and applies the selection switch.
 */
package dev.seq2seq.api.backend;
