package dev.seq2seq.backend.tensorflow;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.compile.CompiledStep;
import dev.seq2seq.api.compile.StepFunction;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Operation;

/**
 * A {@link StepFunction} compiled by the TensorFlow backend: traced into a graph once per input
 * signature (the shapes and dtypes of the inputs and of the state), cached, and run as one session
 * execution per call (see {@link CompiledProgram}).
 *
 * <p>Tracing calls the function once with symbolic tensors: each input is a {@code Placeholder},
 * each state parameter temporarily holds the symbolic value read from its resource variable, every
 * kernel the function calls (forward, {@code Gradients.of}, optimizer arithmetic) adds its ops to
 * the graph, and other eager tensors the function uses are captured as constants. The outputs and
 * the parameters' final values are recorded, then the parameters get their real values back.
 */
final class TensorFlowCompiledStep implements CompiledStep {
  private final TensorFlowBackend backend;
  private final EagerRuntime runtime;
  private final String name;
  private final List<Parameter> state;
  private final StepFunction function;
  private final Map<List<Object>, CompiledProgram> programs = new HashMap<>();
  private int traces;
  private boolean closed;

  TensorFlowCompiledStep(TensorFlowBackend backend, EagerRuntime runtime, String name, List<Parameter> state,
      StepFunction function) {
    this.backend = backend;
    this.runtime = runtime;
    this.name = name;
    this.state = List.copyOf(state);
    this.function = function;
    Map<Parameter, Boolean> seen = new IdentityHashMap<>();
    for (Parameter p : this.state) {
      if (p.value().backend() != backend) {
        throw new IllegalArgumentException(String.format(
            "tensorflow: compiled step '%s': state parameter %s lives on backend '%s'", name, p, p.value().backend().name()));
      }
      if (seen.put(p, Boolean.TRUE) != null) {
        throw new IllegalArgumentException(String.format(
            "tensorflow: compiled step '%s': state parameter %s listed twice", name, p));
      }
    }
  }

  /** How many times the function has been traced (once per new input signature). */
  synchronized int traceCount() {
    return traces;
  }

  /** How many signatures are cached. */
  synchronized int programCount() {
    return programs.size();
  }

  @Override
  public synchronized List<Tensor> run(List<Tensor> inputs) {
    if (closed) {
      throw new IllegalStateException("tensorflow: compiled step '" + name + "' used after close()");
    }
    List<RawTensor> rawInputs = new ArrayList<>(inputs.size());
    for (Tensor t : inputs) {
      if (t.backend() != backend) {
        throw new IllegalArgumentException(String.format(
            "tensorflow: compiled step '%s': input %s %s lives on backend '%s'", name, t.dtype().label(), t.shape(),
            t.backend().name()));
      }
      rawInputs.add(t.raw());
    }
    List<Object> signature = new ArrayList<>();
    for (RawTensor r : rawInputs) {
      signature.add(r.dtype());
      signature.add(r.shape());
    }
    List<RawTensor> stateValues = new ArrayList<>(state.size());
    for (Parameter p : state) {
      stateValues.add(p.value().raw());
      signature.add(p.value().dtype());
      signature.add(p.shape());
    }
    CompiledProgram program = programs.get(signature);
    if (program == null) {
      program = trace(inputs);
      programs.put(signature, program);
    }
    CompiledProgram.Result result = program.run(rawInputs, stateValues);
    List<Tensor> outputs = new ArrayList<>(result.outputs().length);
    for (RawTensor raw : result.outputs()) {
      outputs.add(Tensor.wrap(backend, raw));
    }
    RawTensor[] newState = result.state();
    for (int i = 0; i < newState.length; i++) {
      if (newState[i] != null) {
        state.get(i).set(Tensor.wrap(backend, newState[i]));
      }
    }
    return outputs;
  }

  private CompiledProgram trace(List<Tensor> inputs) {
    traces++;
    List<Tensor> originals = new ArrayList<>(state.size());
    for (Parameter p : state) {
      originals.add(p.value());
    }
    try (GraphTrace trace = new GraphTrace(runtime, name)) {
      List<TfValue> placeholders = new ArrayList<>();
      List<TfValue> handles = new ArrayList<>();
      List<TfValue> reads = new ArrayList<>();
      List<TfValue> outputValues = new ArrayList<>();
      List<TfValue> finalValues = new ArrayList<>();
      trace.begin();
      try (TensorScope scope = TensorScope.open()) {
        try {
          List<Tensor> symbolicInputs = new ArrayList<>(inputs.size());
          for (Tensor t : inputs) {
            GraphTensor ph = trace.placeholder(t.dtype(), t.shape());
            placeholders.add(ph.value());
            symbolicInputs.add(Tensor.wrap(backend, ph));
          }
          for (int i = 0; i < state.size(); i++) {
            Parameter p = state.get(i);
            int t = TfTypes.of(p.value().dtype());
            TfValue handle = trace.op("VarHandleOp").type("dtype", t).shape("shape", GraphTrace.dims(p.shape()))
                .string("container", "").string("shared_name", "state_" + i).run();
            handles.add(handle);
            GraphTensor read = trace.symbolic(trace.op("ReadVariableOp").input(handle).type("dtype", t).run());
            reads.add(read.value());
            p.set(Tensor.wrap(backend, read));
          }
          List<Tensor> outputs = function.apply(symbolicInputs);
          for (Tensor out : outputs) {
            outputValues.add(trace.valueOf(out.raw()));
          }
          for (Parameter p : state) {
            finalValues.add(trace.valueOf(p.value().raw()));
          }
        } finally {
          for (int i = 0; i < state.size(); i++) {
            if (state.get(i).value().raw() != originals.get(i).raw()) {
              state.get(i).set(originals.get(i)); // also takes the original out of the trace's scope
            }
          }
        }
      } finally {
        trace.end();
      }

      // Fetches: the outputs, then the changed state values, each graph output once.
      List<GraphTensor> fetches = new ArrayList<>();
      Map<String, Integer> fetchIndex = new HashMap<>();
      int[] outputFetch = new int[outputValues.size()];
      for (int j = 0; j < outputFetch.length; j++) {
        outputFetch[j] = fetch(trace, outputValues.get(j), fetches, fetchIndex);
      }
      int[] stateFetch = new int[state.size()];
      List<TF_Operation> assigns = new ArrayList<>();
      List<TfValue> initPlaceholders = new ArrayList<>();
      List<TF_Operation> initOps = new ArrayList<>();
      for (int i = 0; i < state.size(); i++) {
        Parameter p = state.get(i);
        int t = TfTypes.of(p.value().dtype());
        TfValue fin = finalValues.get(i);
        TfValue read = reads.get(i);
        if (fin.operation().address() == read.operation().address() && fin.index == read.index) {
          stateFetch[i] = -1;
        } else {
          stateFetch[i] = fetch(trace, fin, fetches, fetchIndex);
          GraphOp assign = trace.op("AssignVariableOp").input(handles.get(i)).input(fin).type("dtype", t);
          for (TfValue r : reads) {
            assign.after(r.operation());
          }
          assigns.add(assign.finish());
        }
        TfValue ph = trace.placeholder(p.value().dtype(), p.shape()).value();
        initPlaceholders.add(ph);
        initOps.add(trace.op("AssignVariableOp").input(handles.get(i)).input(ph).type("dtype", t).finish());
      }
      TF_Graph graph = trace.releaseGraph();
      try {
        return new CompiledProgram(runtime, name, graph, placeholders, initPlaceholders, initOps, fetches, outputFetch,
            stateFetch, assigns);
      } catch (RuntimeException e) {
        org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph(graph);
        throw e;
      }
    }
  }

  private static int fetch(GraphTrace trace, TfValue value, List<GraphTensor> fetches, Map<String, Integer> index) {
    return index.computeIfAbsent(value.key(), k -> {
      fetches.add(trace.symbolic(value));
      return fetches.size() - 1;
    });
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    for (CompiledProgram p : programs.values()) {
      try {
        p.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    programs.clear();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "TensorFlowCompiledStep[" + name + ", " + programs.size() + " signature(s)]";
  }
}
