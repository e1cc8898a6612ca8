package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/** Cuts a batch into contiguous shards, one per replica, as evenly as possible. */
final class BatchSplit {
  private BatchSplit() {}

  /** Shard sizes: the first {@code batch % parts} shards get one sample more; some may be 0. */
  static int[] sizes(int batch, int parts) {
    if (parts < 1) {
      throw new IllegalArgumentException("at least one part expected: " + parts);
    }
    int[] sizes = new int[parts];
    for (int i = 0; i < parts; i++) {
      sizes[i] = batch / parts + (i < batch % parts ? 1 : 0);
    }
    return sizes;
  }

  /** Samples [from, to) of every array (all batch-major). */
  static NDList slice(NDList arrays, long from, long to) {
    NDList out = new NDList(arrays.size());
    for (NDArray array : arrays) {
      out.add(array.get(new NDIndex("{}:{}", from, to)));
    }
    return out;
  }
}
