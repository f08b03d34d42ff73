package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleResolve;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The traced graph of a compiled step for one input signature, with its session.
 *
 * <p>The state parameters live in the session as resource variables. The graph reads each one once
 * ({@code ReadVariableOp}), computes the outputs and the new state values, and writes the new values
 * back ({@code AssignVariableOp}, ordered after every read by control dependencies). A run feeds the
 * inputs, fetches the outputs and the new state values (zero-copy on CPU: the handles share the
 * session's buffers) and runs the assignments — the parameters are not fed again. A variable is
 * (re)initialised from its parameter, in a separate run, only when the parameter no longer holds the
 * tensor this program last gave it (first run, a {@code Parameter.set} outside the step, or a run of
 * the step under another signature), detected by identity.
 */
final class CompiledProgram implements AutoCloseable {
  private final EagerRuntime runtime;
  private final String stepName;
  private TF_Graph graph;
  private TF_Session session;

  private final int inputCount;
  private final TF_Output inputs;
  private final PointerPointer<TF_Tensor> inputValues;

  private final TF_Output initPlaceholders;
  private final TF_Operation[] initOps;

  private final int fetchCount;
  private final TF_Output fetches;
  private final Shape[] fetchShapes;
  private final DType[] fetchDtypes;
  private final PointerPointer<TF_Tensor> fetchValues;
  private final int[] outputFetch;
  private final int[] stateFetch;
  private final int targetCount;
  private final PointerPointer<TF_Operation> targets;

  /** What each state variable holds: the parameter value it was initialised from or last assigned. */
  private final RawTensor[] current;

  /**
   * @param stateFetch per state parameter, the index of its new value in {@code fetchValues}, or
   *     {@code -1} if the step leaves it unchanged
   */
  CompiledProgram(EagerRuntime runtime, String stepName, TF_Graph graph, List<TfValue> inputPlaceholders,
      List<TfValue> initPlaceholders, List<TF_Operation> initOps, List<GraphTensor> fetches, int[] outputFetch,
      int[] stateFetch, List<TF_Operation> assignOps) {
    this.runtime = runtime;
    this.stepName = stepName;
    this.graph = graph;
    this.inputCount = inputPlaceholders.size();
    this.inputs = outputs(inputPlaceholders);
    this.inputValues = new PointerPointer<>(Math.max(1, inputCount));
    this.initPlaceholders = outputs(initPlaceholders);
    this.initOps = initOps.toArray(new TF_Operation[0]);
    this.fetchCount = fetches.size();
    List<TfValue> fetchValuesList = new ArrayList<>();
    this.fetchShapes = new Shape[fetchCount];
    this.fetchDtypes = new DType[fetchCount];
    for (int i = 0; i < fetchCount; i++) {
      fetchValuesList.add(fetches.get(i).value());
      fetchShapes[i] = fetches.get(i).shape();
      fetchDtypes[i] = fetches.get(i).dtype();
    }
    this.fetches = outputs(fetchValuesList);
    this.fetchValues = new PointerPointer<>(Math.max(1, fetchCount));
    this.outputFetch = outputFetch;
    this.stateFetch = stateFetch;
    this.targetCount = assignOps.size();
    this.targets = new PointerPointer<>(Math.max(1, targetCount));
    for (int i = 0; i < targetCount; i++) {
      targets.put(i, assignOps.get(i));
    }
    this.current = new RawTensor[this.initOps.length];
    this.session = newSession(graph);
  }

  private static TF_Output outputs(List<TfValue> values) {
    TF_Output array = new TF_Output(Math.max(1, values.size()));
    for (int i = 0; i < values.size(); i++) {
      array.getPointer(i).oper(values.get(i).operation()).index(values.get(i).index);
    }
    return array;
  }

  private static TF_Session newSession(TF_Graph graph) {
    TF_SessionOptions options = TF_NewSessionOptions();
    try {
      byte[] config = ConfigProto.newBuilder()
          .setAllowSoftPlacement(true)
          .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
          .build()
          .toByteArray();
      BytePointer bytes = new BytePointer(config);
      TF_Status status = TfStatus.fresh();
      try {
        TF_SetConfig(options, bytes, config.length, status);
      } finally {
        bytes.deallocate();
      }
      status.throwExceptionIfNotOK();
      TF_Session session = TF_NewSession(graph, options, status);
      status.throwExceptionIfNotOK();
      return session;
    } finally {
      TF_DeleteSessionOptions(options);
    }
  }

  /**
   * Runs the step on {@code inputs} (eager tensors of the traced signature) with the variables'
   * state. {@code stateValues} are the parameters' current raw values. Returns the outputs and, per
   * state parameter, its new value or {@code null} if unchanged; all are new tensors the caller owns.
   */
  Result run(List<RawTensor> inputs, List<RawTensor> stateValues) {
    checkOpen();
    initialiseStale(stateValues);
    TF_Tensor[] fed = new TF_Tensor[inputCount];
    TF_Tensor[] fetched = new TF_Tensor[fetchCount];
    List<RawTensor> made = new ArrayList<>();
    try {
      for (int i = 0; i < inputCount; i++) {
        fed[i] = resolve(inputs.get(i));
        inputValues.put(i, fed[i]);
      }
      for (int i = 0; i < fetchCount; i++) {
        fetchValues.put(i, (TF_Tensor) null);
      }
      TF_Status status = TfStatus.fresh();
      RunProfile profile = RunProfile.active(); // null unless tracing was asked for
      TF_Buffer options = profile == null ? null : profile.newOptions();
      TF_Buffer metadata = profile == null ? null : profile.newMetadata();
      long start = System.nanoTime();
      try {
        TF_SessionRun(session, options, this.inputs, inputValues, inputCount, fetches, fetchValues, fetchCount,
            targets, targetCount, metadata, status);
      } finally {
        if (profile != null) {
          TF_DeleteBuffer(options);
          profile.record(stepName, metadata, System.nanoTime() - start);
        }
      }
      for (int i = 0; i < fetchCount; i++) {
        TF_Tensor t = fetchValues.get(TF_Tensor.class, i);
        if (t != null && !t.isNull()) {
          fetched[i] = t.withDeallocator();
        }
      }
      try {
        status.throwExceptionIfNotOK();
      } catch (TFInvalidArgumentException e) {
        throw new IllegalArgumentException("tensorflow: compiled step '" + stepName + "': " + e.getMessage(), e);
      }
      RawTensor[] outputs = new RawTensor[outputFetch.length];
      for (int j = 0; j < outputs.length; j++) {
        outputs[j] = adopt(fetched, outputFetch[j], made);
      }
      RawTensor[] newState = new RawTensor[stateFetch.length];
      for (int i = 0; i < newState.length; i++) {
        if (stateFetch[i] >= 0) {
          newState[i] = adopt(fetched, stateFetch[i], made);
          current[i] = newState[i];
        }
      }
      made.clear();
      return new Result(outputs, newState);
    } catch (RuntimeException e) {
      // A failed run may have assigned some variables: re-initialise all of them from the parameters next time.
      Arrays.fill(current, null);
      throw e;
    } finally {
      for (TF_Tensor t : fed) {
        if (t != null) {
          t.deallocate();
        }
      }
      for (TF_Tensor t : fetched) {
        if (t != null) {
          t.deallocate();
        }
      }
      made.forEach(RawTensor::close); // only on failure
    }
  }

  private RawTensor adopt(TF_Tensor[] fetched, int index, List<RawTensor> made) {
    TensorFlowTensor t = runtime.adopt(fetched[index], fetchShapes[index], fetchDtypes[index]);
    made.add(t);
    return t;
  }

  /** Assigns to each variable whose parameter holds another tensor than the variable the parameter's value. */
  private void initialiseStale(List<RawTensor> stateValues) {
    List<Integer> stale = new ArrayList<>();
    for (int i = 0; i < current.length; i++) {
      if (stateValues.get(i) != current[i]) {
        stale.add(i);
      }
    }
    if (stale.isEmpty()) {
      return;
    }
    int n = stale.size();
    TF_Output feeds = new TF_Output(n);
    PointerPointer<TF_Tensor> values = new PointerPointer<>(n);
    PointerPointer<TF_Operation> ops = new PointerPointer<>(n);
    TF_Tensor[] fed = new TF_Tensor[n];
    try {
      for (int k = 0; k < n; k++) {
        int i = stale.get(k);
        TF_Output ph = initPlaceholders.getPointer(i);
        feeds.getPointer(k).oper(ph.oper()).index(ph.index());
        fed[k] = resolve(stateValues.get(i));
        values.put(k, fed[k]);
        ops.put(k, initOps[i]);
      }
      TF_Status status = TfStatus.fresh();
      TF_SessionRun(session, null, feeds, values, n, (TF_Output) null, (PointerPointer<?>) null, 0, ops, n, null, status);
      try {
        status.throwExceptionIfNotOK();
      } catch (RuntimeException e) {
        Arrays.fill(current, null);
        throw e;
      }
      for (int i : stale) {
        current[i] = stateValues.get(i);
      }
    } finally {
      for (TF_Tensor t : fed) {
        if (t != null) {
          t.deallocate();
        }
      }
      feeds.deallocate();
      values.deallocate();
      ops.deallocate();
    }
  }

  /** A host {@code TF_Tensor} view of an eager tensor (no copy on CPU); the caller deletes it. */
  private TF_Tensor resolve(RawTensor tensor) {
    if (tensor instanceof GraphTensor) {
      throw ((GraphTensor) tensor).usedOutsideTrace();
    }
    TF_Status status = TfStatus.fresh();
    TF_Tensor host = TFE_TensorHandleResolve(TensorFlowTensor.cast(tensor).handle(), status);
    status.throwExceptionIfNotOK();
    return host.withDeallocator();
  }

  private void checkOpen() {
    if (session == null) {
      throw new IllegalStateException("tensorflow: compiled step '" + stepName + "' used after close()");
    }
  }

  @Override
  public void close() {
    if (session == null && graph == null) {
      return;
    }
    if (session != null) {
      TF_Status status = TfStatus.fresh();
      TF_CloseSession(session, status);
      TF_DeleteSession(session, TfStatus.fresh());
      session = null;
    }
    if (graph != null) {
      TF_DeleteGraph(graph);
      graph = null;
    }
    inputs.deallocate();
    inputValues.deallocate();
    initPlaceholders.deallocate();
    fetches.deallocate();
    fetchValues.deallocate();
    targets.deallocate();
    Arrays.fill(current, null);
  }

  /** The tensors of one run: outputs, and per state parameter its new value or {@code null}. */
  record Result(RawTensor[] outputs, RawTensor[] state) {}
}
