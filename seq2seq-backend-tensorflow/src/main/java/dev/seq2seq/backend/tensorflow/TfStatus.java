package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetStatus;

import org.tensorflow.internal.c_api.TF_Status;

/**
 * One reusable {@code TF_Status} per thread, so that running an op allocates no status object.
 *
 * <p>The status of a thread lives as long as the thread (a few bytes of native memory).
 */
final class TfStatus {
  private static final ThreadLocal<TF_Status> STATUS = ThreadLocal.withInitial(TF_Status::newStatus);

  private TfStatus() {}

  /** This thread's status, reset to OK. */
  static TF_Status fresh() {
    TF_Status status = STATUS.get();
    TF_SetStatus(status, TF_OK, "");
    return status;
  }
}
