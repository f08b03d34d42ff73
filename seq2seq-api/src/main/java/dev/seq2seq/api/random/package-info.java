/**
 * Seeded, backend-independent random numbers: {@link dev.seq2seq.api.random.Rng} defines the
 * stream, so initial weights and dropout masks are identical on every backend for one seed.
 */
package dev.seq2seq.api.random;
