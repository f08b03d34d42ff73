/**
 * The data pipeline: {@link dev.seq2seq.models.data.Tokenizer tokenizers}, a
 * {@link dev.seq2seq.models.data.Vocabulary vocabulary} with fixed special ids, reading
 * {@link dev.seq2seq.models.data.ParallelCorpus parallel corpora} (Tatoeba/Anki tab-separated files
 * or two aligned files), and a {@link dev.seq2seq.models.data.Batcher batcher} that shuffles from
 * an explicit seed, buckets by length, pads and produces {@link dev.seq2seq.api.nn.Seq2SeqBatch}es.
 *
 * <pre>{@code
 * List<SentencePair> pairs = ParallelCorpus.readTsv(Path.of("fra.txt"));
 * Tokenizer tok = new WhitespaceTokenizer();
 * Vocabulary src = Vocabulary.builder().optMinFrequency(2).addAll(pairs, p -> tok.tokenize(p.source())).build();
 * Vocabulary tgt = Vocabulary.builder().optMinFrequency(2).addAll(pairs, p -> tok.tokenize(p.target())).build();
 * Batcher batcher = Batcher.builder()
 *     .setPairs(new PairEncoder(tok, src, tok, tgt).encodeAll(pairs))
 *     .setBatchSize(64).setBackend(backend).optSeed(42).optBucketing(100).build();
 * trainer.setEpochs(batcher::epoch);
 * }</pre>
 */
package dev.seq2seq.models.data;
