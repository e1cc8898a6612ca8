package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.storage.ObjectStoreShards;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code synthetic://shapes?samples=4096&seed=0&shardSize=1000} data set URI. Options: {@code
 * samples} (default 4096), {@code seed} (default 0), {@code shardSize} (default 1000). The shapes
 * generator always draws its 5 shape kinds, so {@code classes} is accepted but cannot change that.
 */
public record SyntheticDataset(long samples, long seed, int shardSize) {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticDataset.class);
  public static final String SCHEME = "synthetic://";

  public static boolean isSynthetic(String uri) {
    return uri != null && uri.startsWith(SCHEME);
  }

  public static SyntheticDataset parse(String uri) {
    URI parsed = URI.create(uri);
    if (!"shapes".equals(parsed.getHost())) {
      throw new IllegalArgumentException("unknown synthetic data set in " + uri + "; know: shapes");
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (parsed.getQuery() != null) {
      for (String pair : parsed.getQuery().split("&")) {
        int eq = pair.indexOf('=');
        options.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    long samples = Long.parseLong(options.getOrDefault("samples", "4096"));
    long seed = Long.parseLong(options.getOrDefault("seed", "0"));
    int shardSize = Integer.parseInt(options.getOrDefault("shardSize", "1000"));
    options.keySet().removeAll(Set.of("samples", "seed", "shardSize"));
    if (!options.isEmpty()) {
      LOG.warn("ignoring options {} of {}: shapes always has 5 classes", options.keySet(), uri);
    }
    if (samples < 1 || shardSize < 1) {
      throw new IllegalArgumentException("samples and shardSize must be >= 1 in " + uri);
    }
    return new SyntheticDataset(samples, seed, shardSize);
  }

  /**
   * Writes a {@code synthetic://} data set into the run's storage ({@link
   * DatasetLocation#generatedPrefix}); deterministic, so a retry rewrites the same bytes. Does
   * nothing for a data set of another scheme.
   */
  public static void generateIfSynthetic(RunConfig config, ObjectStore store) throws IOException {
    String uri = config.dataset().getUri();
    if (!isSynthetic(uri)) {
      return;
    }
    SyntheticDataset synthetic = parse(uri);
    ObjectStoreShards sink = new ObjectStoreShards(store, DatasetLocation.generatedPrefix(config));
    LOG.info("generating {} into {}", uri, sink.describe());
    new ShapesDatasetGenerator(synthetic.seed())
        .generate(
            synthetic.samples(), config.dataset().getImageSize(), synthetic.shardSize(), sink);
  }
}
