package dev.archipelago.operator.run.dependent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Spec hashes of rendered Jobs, by everything a rendering reads: the run's uid and generation, the
 * trainer image, the Job's name (task and attempt) and its island's generation. Bounded, least
 * recently used first out; shared by the reconciles of all runs.
 */
public final class RenderedSpecs {
  static final int CAPACITY = 8192;

  /** What a Job's spec is rendered from; any change to one of them is a new key. */
  record Key(
      String runUid,
      Long runGeneration,
      String image,
      String job,
      String island,
      Long islandGen,
      String inputs) {}

  private final Map<Key, String> hashes =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The known hash, or {@code compute}'s, which runs outside the lock (it renders a Job). */
  String hash(Key key, Supplier<String> compute) {
    synchronized (this) {
      String known = hashes.get(key);
      if (known != null) {
        return known;
      }
    }
    String computed = compute.get();
    synchronized (this) {
      hashes.put(key, computed);
    }
    return computed;
  }

  synchronized int size() {
    return hashes.size();
  }
}
