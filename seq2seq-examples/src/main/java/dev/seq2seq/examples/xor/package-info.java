/** The XOR example: the smallest end-to-end training run, through the public tensor API only. */
package dev.seq2seq.examples.xor;
