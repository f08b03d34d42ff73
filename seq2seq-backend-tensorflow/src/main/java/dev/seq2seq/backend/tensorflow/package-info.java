/**
 * The TensorFlow backend: the {@link dev.seq2seq.api.backend.Backend} kernels on TensorFlow Java
 * 1.1 (TensorFlow 2.18), executed eagerly through its C API on a CPU or a CUDA GPU.
 *
 * <h2>Selection</h2>
 *
 * <p>{@code -Dseq2seq.backend=tensorflow} selects the backend; {@code -Dseq2seq.tensorflow.device}
 * ({@code cpu} by default, {@code gpu}, {@code gpu:N}, {@code /GPU:0}, ...) selects the device. A GPU
 * needs the natives of the Maven profile {@code gpu} (Linux x86_64, CUDA 12, cuDNN 9); asking for
 * one with the CPU natives fails at creation with an explanation.
 *
 * <h2>Memory</h2>
 *
 * <p>Native memory is released deterministically: a {@link
 * dev.seq2seq.backend.tensorflow.TensorFlowTensor} owns one eager tensor handle, deleted by {@code
 * close()}; every op, constant and intermediate handle a kernel creates is deleted before the kernel
 * returns. Nothing relies on the garbage collector (which remains a safety net for tensors that are
 * never closed). Reading a closed tensor throws {@link java.lang.IllegalStateException}.
 *
 * <h2>Compiled steps</h2>
 *
 * <p>{@link dev.seq2seq.backend.tensorflow.TensorFlowBackend} is a {@link dev.seq2seq.api.compile.Compiler}:
 * a step function is traced once per input signature into a TensorFlow graph and then run as one
 * session execution per call. Every kernel is written once against {@code KernelScope} and {@code
 * OpBuilder}; {@code EagerRuntime.scope()} returns an eager scope ({@code EagerKernelScope}, {@code
 * EagerOp}: {@code TFE_Execute}) or, while the current thread traces a step ({@code GraphTrace}), a
 * graph scope ({@code GraphKernelScope}, {@code GraphOp}: {@code TF_NewOperation}) whose results are
 * symbolic {@code GraphTensor}s that refuse reads. {@code TensorFlowCompiledStep} traces and caches;
 * {@code CompiledProgram} holds one signature's graph and session, with the state parameters in
 * resource variables.
 *
 * <h2>Classes</h2>
 *
 * <ul>
 *   <li>{@link dev.seq2seq.backend.tensorflow.TensorFlowBackend}, {@link
 *       dev.seq2seq.backend.tensorflow.TensorFlowBackendProvider}: the SPI entry points;
 *   <li>{@link dev.seq2seq.backend.tensorflow.TensorFlowTensor}: the raw tensor;
 *   <li>{@link dev.seq2seq.backend.tensorflow.NativeBuild}: which native build was loaded;
 *   <li>internal: {@code EagerRuntime} (context, device, uploads), {@code DeviceSelector}, {@code
 *       KernelScope}/{@code OpBuilder}/{@code TfValue} with their eager ({@code EagerKernelScope},
 *       {@code EagerOp}) and graph ({@code GraphKernelScope}, {@code GraphOp}, {@code GraphTrace},
 *       {@code GraphTensor}) implementations, the compiled steps ({@code TensorFlowCompiledStep},
 *       {@code CompiledProgram}, and {@code RunProfile}, its opt-in op timing with
 *       {@code -Dseq2seq.tensorflow.profile=true}), and the kernel groups {@code
 *       ElementwiseKernels}, {@code ReductionKernels}, {@code MatmulKernel}, {@code ShapeKernels},
 *       {@code IndexKernels}.
 * </ul>
 */
package dev.seq2seq.backend.tensorflow;
