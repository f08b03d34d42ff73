package dev.seq2seq.models.training;

/**
 * What one training step reports.
 *
 * @param step the 1-based step number
 * @param loss the mean per-token loss of the batch
 * @param gradientNorm the global L2 norm of the gradients before clipping
 * @param targetTokens the number of real (unpadded) target tokens
 * @param learningRate the rate used
 */
public record StepResult(long step, double loss, double gradientNorm, long targetTokens, double learningRate) {}
