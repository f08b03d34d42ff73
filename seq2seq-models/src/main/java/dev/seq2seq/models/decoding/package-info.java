/**
 * Decoding a trained {@link dev.seq2seq.api.nn.Seq2Seq}: {@link dev.seq2seq.models.decoding.GreedyDecoder},
 * {@link dev.seq2seq.models.decoding.BeamSearchDecoder} (GNMT length penalty, n-best) and
 * {@link dev.seq2seq.models.decoding.SamplingDecoder} (temperature, top-k, explicit seed), all
 * configured by {@link dev.seq2seq.models.decoding.DecodingOptions} and returning one
 * {@link dev.seq2seq.models.decoding.DecodingResult} per input.
 *
 * <h2>Conventions shared by every decoder</h2>
 *
 * <ul>
 *   <li>Decoders use only {@link dev.seq2seq.api.nn.Seq2Seq#encode} and
 *       {@link dev.seq2seq.api.nn.Seq2Seq#step}, so they work for every model. All inputs of a
 *       call are decoded together (batched); an input's result does not depend on the other
 *       inputs of the batch (up to the backend's floating-point rounding).
 *   <li>Step {@code t = 1, 2, ...} feeds {@code <sos>} and then the previous output. A decoder makes
 *       at most {@link dev.seq2seq.models.decoding.DecodingOptions#maxLength()} steps per
 *       hypothesis; the {@code <eos>} step counts.
 *   <li>{@link dev.seq2seq.models.decoding.Hypothesis#tokens()} holds neither {@code <sos>} nor
 *       {@code <eos>}; {@link dev.seq2seq.models.decoding.Hypothesis#finished()} says whether the
 *       hypothesis ended with {@code <eos>} (else it was cut at the maximum length). Its
 *       {@link dev.seq2seq.models.decoding.Hypothesis#length()} is the number of steps, {@code
 *       tokens().length + (finished ? 1 : 0)}.
 *   <li>{@link dev.seq2seq.models.decoding.Hypothesis#logProb()} is the sum of the model's
 *       (untempered) log-probabilities {@code log_softmax(logits)} of every step, the {@code <eos>}
 *       step included.
 *   <li>{@link dev.seq2seq.models.decoding.Hypothesis#attention()} has one row per returned token
 *       (the {@code <eos>} step's row is dropped) and one column per real source position (mask
 *       1), or is {@code null} when the model reports no attention.
 * </ul>
 *
 * <h2>Threads and memory</h2>
 *
 * Decoders are immutable and keep no state between or during calls outside local variables, so one
 * decoder and one model may serve many threads at once; each call gives the same result as it would
 * alone. The model must be read-only while decoding: a {@link dev.seq2seq.api.module.Module} model
 * must not be in training mode (dropout would draw from the module's shared random stream), which
 * the decoders check. Gradient recording is switched off for the calling thread during the call
 * ({@link dev.seq2seq.api.tensor.GradMode} is per thread). The decoders release their own per-step
 * tensors (log-softmax, top-k) with a {@link dev.seq2seq.api.tensor.TensorScope} at the end of each
 * step; the model's outputs and the {@link dev.seq2seq.api.nn.DecoderState} are opaque and must
 * outlive the step, so they belong to the caller's scope if one is open (else to the garbage
 * collector).
 *
 * <p>One exception: on a backend that compiles ({@link dev.seq2seq.api.compile.Steps#compiles}),
 * {@link dev.seq2seq.models.decoding.GreedyDecoder} runs its whole loop as one compiled execution,
 * and the first decode of a new batch shape traces it, which makes the model's parameters hold
 * symbolic values for the duration of the trace (as compiled training does). Do not decode or
 * train the same model on another thread while that happens; decodes through one {@code
 * GreedyDecoder}'s compiled loop are serialised.
 */
package dev.seq2seq.models.decoding;
