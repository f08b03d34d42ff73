package dev.seq2seq.api.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.InPlaceAccumulator;
import dev.seq2seq.api.backend.RawTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation over the recorded primitives.
 *
 * <p>{@code Gradients.of(loss, wrt)} returns {@code d loss / d w} for each {@code w} in {@code wrt}.
 * It walks the graph of recorded operations from {@code loss} back to the leaves in reverse
 * topological order, applying each primitive's backward rule (vector-Jacobian product) and summing
 * the contributions of every use of a tensor (fan-out). Gradients of broadcast operands are
 * summed back to the operand's shape. The backward rules are themselves written with the
 * primitives and run with {@link GradMode} disabled, so they run on any backend and record nothing.
 * On a backend with the {@link InPlaceAccumulator} capability, the second and later contributions
 * to a tensor's gradient are added into one sum this class owns rather than into a new tensor each,
 * and the gradients of slices of one tensor (the gate blocks of a recurrent cell) into the boxes of
 * that sum rather than each padded to the whole tensor, and the gradients of a matrix used as the
 * right operand of many products (a weight read in every time step) are collected as factors
 * {@code L^T R} and added into its sum at its turn by one call, which a backend can compute as one
 * product over all steps (a batched right operand, such as an attention's keys or values read at every
 * decoder step, by one batched product of the factors joined along their rows). On
 * other backends (a graph being built), the gradients of the slices of one tensor are kept until
 * that tensor's turn and then joined by one concatenation where they are disjoint slices along one
 * axis (the time steps of a sequence, the gate blocks of a cell), instead of one zero-padded
 * whole-tensor gradient per slice and a sum of them all.
 */
public final class Gradients {
  private Gradients() {}

  /**
   * Gradients of a scalar {@code loss} with respect to each tensor in {@code wrt}, in order. A
   * tensor that {@code loss} does not depend on gets a zero gradient of its own shape.
   *
   * @throws IllegalArgumentException if {@code loss} is not a single element or does not require grad
   */
  public static List<Tensor> of(Tensor loss, Collection<Tensor> wrt) {
    checkArgument(loss.size() == 1, "gradients: the loss must have one element, got shape %s (pass a seed for non-scalars)", loss.shape());
    return of(loss, Tensors.ones(loss.backend(), loss.dtype(), loss.shape()), wrt);
  }

  /**
   * Vector-Jacobian product: gradients of {@code sum(output * seed)} with respect to {@code wrt}.
   */
  public static List<Tensor> of(Tensor output, Tensor seed, Collection<Tensor> wrt) {
    checkArgument(seed.shape().equals(output.shape()),
        "gradients: seed shape %s differs from output shape %s", seed.shape(), output.shape());
    checkArgument(output.requiresGrad(),
        "gradients: the output does not require grad; mark parameters with requiringGrad() and compute with GradMode enabled");
    Map<Tensor, Tensor> grads = new IdentityHashMap<>();
    // The sums this method allocated, per tensor: only these may be added into in place. A gradient
    // returned by a backward rule may be shared (the rule of a + b returns g for both operands).
    Map<Tensor, Tensor> ownedSums = new IdentityHashMap<>();
    InPlaceAccumulator accumulator =
        output.backend() instanceof InPlaceAccumulator ? (InPlaceAccumulator) output.backend() : null;
    // without in-place accumulation: the gradients of a tensor's slices, joined at the tensor's turn
    Map<Tensor, List<SliceGradient>> sliceGradients = new IdentityHashMap<>();
    // with in-place accumulation: per matrix right operand, the factors {L, R} of its gradients L^T R
    Map<Tensor, List<Tensor[]>> productFactors = new IdentityHashMap<>();
    try (GradMode.Scope ignored = GradMode.disabled()) {
      grads.put(output, seed);
      for (Tensor t : reverseTopologicalOrder(output)) {
        joinSlices(t, grads, sliceGradients);
        addProducts(t, productFactors, grads, ownedSums, accumulator);
        Tensor g = grads.get(t);
        if (g == null || t.node == null) {
          continue;
        }
        Tensor[] inputs = t.node.inputs;
        if (accumulator != null && t.node.sliceBegin != null && addSliceInPlace(inputs[0], g, t.node.sliceBegin, grads, ownedSums, accumulator)) {
          forgetIntermediate(t, wrt, grads);
          continue;
        }
        if (accumulator != null && t.node.gatherAxis >= 0
            && scatterAddInPlace(inputs[0], inputs[1], g, t.node.gatherAxis, grads, ownedSums, accumulator)) {
          forgetIntermediate(t, wrt, grads);
          continue;
        }
        if (accumulator == null && t.node.sliceBegin != null) {
          if (inputs[0].requiresGrad()) {
            sliceGradients.computeIfAbsent(inputs[0], k -> new ArrayList<>()).add(new SliceGradient(t.node.sliceBegin, g));
          }
          forgetIntermediate(t, wrt, grads);
          continue;
        }
        Tensor[] inputGrads = null;
        boolean[] transposes = t.node.matmulTransposes;
        if (accumulator != null && transposes != null && inputs[1].requiresGrad() && inputs[1].dtype() == g.dtype()) {
          // d/db = L^T R is collected and added at b's turn, in one call over all of b's products
          // (a weight read in every time step): the backend can compute one product over all steps.
          // Likewise for a batched b (an attention's keys or values, read at every decoder step).
          Tensor[] factors = null;
          if (Primitives.hasTransposedRightGradient(inputs[0], inputs[1], transposes[0])) {
            factors = Primitives.rightGradientFactors(g, inputs[0], transposes[1]);
          } else if (Primitives.hasBatchedTransposedRightGradient(inputs[0], inputs[1], transposes[0])) {
            factors = Primitives.batchedRightGradientFactors(g, inputs[0], transposes[1]);
          }
          if (factors != null) {
            productFactors.computeIfAbsent(inputs[1], k -> new ArrayList<>()).add(factors);
            inputGrads = new Tensor[] {inputs[0].requiresGrad() ? Primitives.leftGradient(g, inputs[1], transposes[1]) : null, null};
          }
        }
        if (inputGrads == null) {
          inputGrads = t.node.backward.apply(g);
        }
        if (accumulator != null && (t.node.sliceBegin != null || t.node.gatherAxis >= 0) && inputGrads[0] != null
            && inputs[0].requiresGrad() && !grads.containsKey(inputs[0])) {
          // The padded (or scattered) gradient is a fresh tensor nobody else holds: later slices add
          // into its boxes, later gathers scatter into it.
          grads.put(inputs[0], inputGrads[0]);
          ownedSums.put(inputs[0], inputGrads[0]);
          forgetIntermediate(t, wrt, grads);
          continue;
        }
        for (int i = 0; i < inputs.length; i++) {
          Tensor in = inputs[i];
          Tensor gi = inputGrads[i];
          if (gi == null || !in.requiresGrad()) {
            continue;
          }
          addContribution(in, gi, false, grads, ownedSums, accumulator);
        }
        forgetIntermediate(t, wrt, grads);
      }
      List<Tensor> out = new ArrayList<>(wrt.size());
      for (Tensor w : wrt) {
        joinSlices(w, grads, sliceGradients);
        addProducts(w, productFactors, grads, ownedSums, accumulator);
        Tensor g = grads.get(w);
        out.add(g != null ? g : Tensors.zeros(w.backend(), w.dtype(), w.shape()));
      }
      return out;
    }
  }

  /**
   * Adds the collected gradients {@code L^T R} of {@code t} (all of its consumers are done) into its
   * sum with one {@link InPlaceAccumulator#addTransposedProductsInPlace}; when {@code t} has no sum
   * of its own yet, the first product starts one.
   */
  private static void addProducts(Tensor t, Map<Tensor, List<Tensor[]>> productFactors, Map<Tensor, Tensor> grads,
      Map<Tensor, Tensor> ownedSums, InPlaceAccumulator accumulator) {
    List<Tensor[]> factors = productFactors.remove(t);
    if (factors == null) {
      return;
    }
    if (t.rank() == 3) {
      addBatchedProducts(t, factors, grads, ownedSums, accumulator);
      return;
    }
    Tensor sum = grads.get(t);
    int from = 0;
    if (sum == null || ownedSums.get(t) != sum) {
      Tensor first = factors.get(0)[0].matmul(factors.get(0)[1], true, false); // a fresh tensor: ours to add into
      if (sum != null) {
        accumulator.addInPlace(first.raw(), sum.raw());
      }
      sum = first;
      grads.put(t, sum);
      ownedSums.put(t, sum);
      from = 1;
    }
    if (from < factors.size()) {
      List<RawTensor> lefts = new ArrayList<>(factors.size() - from);
      List<RawTensor> rights = new ArrayList<>(factors.size() - from);
      for (Tensor[] lr : factors.subList(from, factors.size())) {
        lefts.add(lr[0].raw());
        rights.add(lr[1].raw());
      }
      accumulator.addTransposedProductsInPlace(sum.raw(), lefts, rights);
    }
  }

  /**
   * Adds the collected batched gradients {@code L_i^T R_i} ({@code [B, k_i, M]} and {@code [B, k_i, N]})
   * of {@code t} as one batched product of their concatenations along the middle axis, {@code
   * [L_1, L_2, ...]^T [R_1, R_2, ...]}: an attention's values read at each of T decoder steps get
   * one product of depth T per batch element instead of T outer products of {@code t}'s whole size
   * and T additions into its sum.
   */
  private static void addBatchedProducts(Tensor t, List<Tensor[]> factors, Map<Tensor, Tensor> grads, Map<Tensor, Tensor> ownedSums,
      InPlaceAccumulator accumulator) {
    Tensor product;
    if (factors.size() == 1) {
      product = factors.get(0)[0].matmul(factors.get(0)[1], true, false);
    } else {
      List<Tensor> lefts = new ArrayList<>(factors.size());
      List<Tensor> rights = new ArrayList<>(factors.size());
      for (Tensor[] lr : factors) {
        lefts.add(lr[0]);
        rights.add(lr[1]);
      }
      product = Tensor.concat(lefts, 1).matmul(Tensor.concat(rights, 1), true, false);
    }
    addContribution(t, product, true, grads, ownedSums, accumulator);
  }

  /**
   * Adds the contribution {@code gi} to the gradient of {@code in}: the first one is kept as it is
   * (and owned when {@code fresh}, a tensor made here that nobody else holds); later ones are added
   * in place into a sum made here, else into a new sum, which is then owned.
   */
  private static void addContribution(Tensor in, Tensor gi, boolean fresh, Map<Tensor, Tensor> grads, Map<Tensor, Tensor> ownedSums,
      InPlaceAccumulator accumulator) {
    Tensor previous = grads.get(in);
    if (previous == null) {
      grads.put(in, gi);
      if (fresh) {
        ownedSums.put(in, gi);
      }
    } else if (accumulator != null && ownedSums.get(in) == previous && previous.dtype() == gi.dtype()
        && previous.shape().equals(gi.shape())) {
      accumulator.addInPlace(previous.raw(), gi.raw()); // a sum made here, read by nobody yet
    } else {
      Tensor sum = previous.add(gi);
      grads.put(in, sum);
      ownedSums.put(in, sum);
    }
  }

  /** The gradient {@code g} of the slice of a tensor that starts at {@code begin}. */
  private record SliceGradient(int[] begin, Tensor g) {}

  /**
   * Adds the kept slice gradients of {@code t} (all of its consumers are done) to its gradient: one
   * concatenation, zeros filling the gaps, when the slices are disjoint along one axis and whole
   * along the others; otherwise each padded to {@code t}'s shape and summed.
   */
  private static void joinSlices(Tensor t, Map<Tensor, Tensor> grads, Map<Tensor, List<SliceGradient>> sliceGradients) {
    List<SliceGradient> slices = sliceGradients.remove(t);
    if (slices == null) {
      return;
    }
    Tensor joined = concatenated(t, slices);
    if (joined == null) {
      for (SliceGradient s : slices) {
        int[] after = new int[t.rank()];
        for (int a = 0; a < after.length; a++) {
          after[a] = t.dim(a) - s.begin()[a] - s.g().dim(a);
        }
        Tensor padded = s.g().pad(s.begin(), after);
        joined = joined == null ? padded : joined.add(padded);
      }
    }
    Tensor previous = grads.get(t);
    grads.put(t, previous == null ? joined : previous.add(joined));
  }

  /** The slices joined along their one axis, or null when they are not disjoint slices along one axis. */
  private static Tensor concatenated(Tensor t, List<SliceGradient> slices) {
    int axis = -1;
    for (SliceGradient s : slices) {
      for (int a = 0; a < t.rank(); a++) {
        if (s.g().dim(a) != t.dim(a)) {
          if (axis != -1 && axis != a) {
            return null;
          }
          axis = a;
        }
      }
    }
    if (axis == -1) {
      return null; // slices of the whole tensor: summed
    }
    int cut = axis;
    List<SliceGradient> ordered = new ArrayList<>(slices);
    ordered.sort((x, y) -> Integer.compare(x.begin()[cut], y.begin()[cut]));
    List<Tensor> parts = new ArrayList<>(2 * ordered.size() + 1);
    int at = 0;
    for (SliceGradient s : ordered) {
      int begin = s.begin()[cut];
      if (begin < at) {
        return null; // overlapping slices
      }
      if (begin > at) {
        parts.add(zeros(t, cut, begin - at));
      }
      parts.add(s.g());
      at = begin + s.g().dim(cut);
    }
    if (at < t.dim(cut)) {
      parts.add(zeros(t, cut, t.dim(cut) - at));
    }
    return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, cut);
  }

  private static Tensor zeros(Tensor like, int axis, int length) {
    int[] dims = like.shape().toArray();
    dims[axis] = length;
    return Tensors.zeros(like.backend(), like.dtype(), Shape.of(dims));
  }

  /**
   * Adds the gradient {@code g} of a slice of {@code in} starting at {@code begin} into the box of
   * {@code in}'s gradient sum, when that sum exists and was made here; false if it does not apply.
   */
  private static boolean addSliceInPlace(Tensor in, Tensor g, int[] begin, Map<Tensor, Tensor> grads,
      Map<Tensor, Tensor> ownedSums, InPlaceAccumulator accumulator) {
    if (!in.requiresGrad()) {
      return true; // nothing flows to the input
    }
    Tensor previous = grads.get(in);
    if (previous == null || ownedSums.get(in) != previous || previous.dtype() != g.dtype()) {
      return false;
    }
    accumulator.addToBoxInPlace(previous.raw(), g.raw(), begin);
    return true;
  }

  /**
   * Scatters the gradient {@code g} of {@code table.gather(indices, axis)} into the sum of
   * {@code table}'s gradient in place, if that sum is one made here ({@code false} otherwise, and the
   * caller takes the general path): an embedding read at every time step gets one dense gradient,
   * not one per step (each a zero-filled table) added into it.
   */
  private static boolean scatterAddInPlace(Tensor table, Tensor indices, Tensor g, int axis, Map<Tensor, Tensor> grads,
      Map<Tensor, Tensor> ownedSums, InPlaceAccumulator accumulator) {
    if (!table.requiresGrad()) {
      return true; // nothing flows to the table
    }
    Tensor previous = grads.get(table);
    if (previous == null || ownedSums.get(table) != previous || previous.dtype() != g.dtype()) {
      return false;
    }
    accumulator.scatterAddInPlace(previous.raw(), indices.raw(), g.raw(), axis);
    return true;
  }

  /** Frees the gradient of {@code t} once propagated, unless {@code t} is a leaf or requested. */
  private static void forgetIntermediate(Tensor t, Collection<Tensor> wrt, Map<Tensor, Tensor> grads) {
    if (!t.isLeaf() && !isRequested(t, wrt)) {
      grads.remove(t);
    }
  }

  private static boolean isRequested(Tensor t, Collection<Tensor> wrt) {
    for (Tensor w : wrt) {
      if (w == t) {
        return true;
      }
    }
    return false;
  }

  /** Tensors reachable from {@code root} through grad-requiring inputs, each after all of its consumers. */
  private static List<Tensor> reverseTopologicalOrder(Tensor root) {
    List<Tensor> postOrder = new ArrayList<>();
    Map<Tensor, Boolean> visited = new IdentityHashMap<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    visited.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Tensor t = (Tensor) frame[0];
      int next = (Integer) frame[1];
      Tensor[] inputs = t.node == null ? new Tensor[0] : t.node.inputs;
      if (next < inputs.length) {
        frame[1] = next + 1;
        Tensor in = inputs[next];
        if (in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        postOrder.add(t);
      }
    }
    List<Tensor> reversed = new ArrayList<>(postOrder.size());
    for (int i = postOrder.size() - 1; i >= 0; i--) {
      reversed.add(postOrder.get(i));
    }
    return reversed;
  }
}
