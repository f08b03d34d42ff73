/**
 * Portable checkpoints: weights in <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * (readable by PyTorch and friends), everything else in JSON, written atomically and validated on
 * load. No Java serialization anywhere.
 *
 * <h2>Directory layout</h2>
 *
 * <pre>
 *   T/
 *     model.safetensors      weights, keyed by {@link dev.seq2seq.api.module.Module#namedParameters()}
 *                            (PyTorch-style dotted names), sorted by name; __metadata__ has "format": "pt"
 *     config.json            model configuration (optional; any Gson-serializable object or JSON)
 *     vocab.NAME.json        one per vocabulary, e.g. vocab.source.json (optional; JSON)
 *     optimizer.safetensors  optimizer state as named tensors (optional)
 *     training_state.json    {"step", "epoch", "rng": {name: long}, "extra": {...}} (optional)
 *     manifest.json          {"format": "seq2seq-checkpoint", "version": 1,
 *                             "files": {name: {"bytes": n, "sha256": hex}}} -- written last
 * </pre>
 *
 * <p>The format of the safetensors files and the checks made on reading them are in {@link
 * dev.seq2seq.models.checkpoint.SafeTensors}. The manifest lists every other file with its size and
 * SHA-256; {@link dev.seq2seq.models.checkpoint.Checkpoint#load} verifies them before parsing. Files
 * in the directory that the manifest does not list are ignored.
 *
 * <h2>Atomic replacement and the recovery rule</h2>
 *
 * <p>{@link dev.seq2seq.models.checkpoint.CheckpointWriter#save} replaces a checkpoint directory
 * {@code T} so that a crash (or kill, or power loss) at <em>any</em> point leaves a complete old or
 * a complete new checkpoint:
 *
 * <ol>
 *   <li>Repair an earlier interrupted save: if {@code T} is missing and {@code T.old} exists, rename
 *       {@code T.old} to {@code T}; if both exist, delete {@code T.old} (manifest last); delete any
 *       stale {@code .T.tmp-*} sibling.
 *   <li>Write every file into a new sibling {@code .T.tmp-<uuid>} (same filesystem), forcing each
 *       to the device with {@code FileChannel.force}; the manifest last; then force the directory.
 *   <li>If {@code T} exists, rename it to {@code T.old}; force the parent directory.
 *   <li>Rename {@code .T.tmp-<uuid>} to {@code T}; force the parent directory.
 *   <li>Delete {@code T.old}; force the parent directory.
 * </ol>
 *
 * <p>Each rename is an atomic move of a directory onto a name that does not exist, so {@code T},
 * whenever it exists, is complete. <b>Recovery rule on load:</b> read {@code T} if it exists,
 * otherwise read {@code T.old} (the previous checkpoint, left by a crash between steps 3 and 4).
 * Temporary directories are never read. One writer per target at a time. A non-empty {@code T}
 * without a manifest is not a checkpoint and is never replaced.
 *
 * <h2>Portability</h2>
 *
 * <p>A checkpoint holds no backend-specific data: {@link
 * dev.seq2seq.models.checkpoint.Checkpoint#loadInto} creates each tensor on the backend of the
 * parameter it replaces, so weights saved on {@code ejml} load bit for bit on {@code tensorflow}
 * and back. Dtypes must match unless float32/float64 conversion is asked for explicitly.
 */
package dev.seq2seq.models.checkpoint;
