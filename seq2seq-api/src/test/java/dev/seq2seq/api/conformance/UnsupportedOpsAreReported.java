package dev.seq2seq.api.conformance;

import dev.seq2seq.api.backend.UnsupportedOpException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Turns a backend's {@link UnsupportedOpException} into an aborted test reported as
 * {@code UNSUPPORTED}: a missing op is visible in the report and never counts as a pass.
 */
public final class UnsupportedOpsAreReported implements TestExecutionExceptionHandler {
  static final Set<String> UNSUPPORTED = new TreeSet<>();

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    Throwable t = thrown;
    while (t != null && !(t instanceof UnsupportedOpException)) {
      t = t.getCause();
    }
    if (t == null) {
      throw thrown;
    }
    synchronized (UNSUPPORTED) {
      UNSUPPORTED.add(t.getMessage());
    }
    throw new TestAbortedException("UNSUPPORTED: " + t.getMessage() + " [" + context.getDisplayName() + "]");
  }
}
