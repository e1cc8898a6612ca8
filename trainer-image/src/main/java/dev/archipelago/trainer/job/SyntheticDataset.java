package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.LatentSpec;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.gmm.GaussianMixture;
import dev.archipelago.trainer.gmm.GmmDatasetGenerator;
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
 * A {@code synthetic://} data set URI: {@code shapes?samples=4096&seed=0&shardSize=1000} (images)
 * or {@code gmm?components=4&separation=2.5&samples=4096&seed=0&shardSize=1000} (latent tensors of
 * a Gaussian mixture whose optimum is known, {@link GaussianMixture#random}). Shared options:
 * {@code samples} (default 4096), {@code seed} (default 0), {@code shardSize} (default 1000). The
 * shapes generator always draws its 5 shape kinds, so {@code classes} is accepted but cannot change
 * that.
 *
 * @param generator {@code shapes} or {@code gmm}
 * @param components the mixture's components (gmm only)
 * @param separation the distance of each component's mean from the origin (gmm only)
 */
public record SyntheticDataset(
    String generator, long samples, long seed, int shardSize, int components, double separation) {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticDataset.class);
  public static final String SCHEME = "synthetic://";
  public static final String SHAPES = "shapes";
  public static final String GMM = "gmm";

  /** The standard deviation scale of the mixture's components, fixed so the URI names the truth. */
  private static final double GMM_SPREAD = 1.0;

  public static boolean isSynthetic(String uri) {
    return uri != null && uri.startsWith(SCHEME);
  }

  public static SyntheticDataset parse(String uri) {
    URI parsed = URI.create(uri);
    String generator = parsed.getHost();
    if (!SHAPES.equals(generator) && !GMM.equals(generator)) {
      throw new IllegalArgumentException(
          "unknown synthetic data set in " + uri + "; know: shapes, gmm");
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
    int components = Integer.parseInt(options.getOrDefault("components", "4"));
    double separation = Double.parseDouble(options.getOrDefault("separation", "2.5"));
    options.keySet().removeAll(Set.of("samples", "seed", "shardSize"));
    if (GMM.equals(generator)) {
      options.keySet().removeAll(Set.of("components", "separation"));
    }
    if (!options.isEmpty()) {
      LOG.warn("ignoring options {} of {}", options.keySet(), uri);
    }
    if (samples < 1 || shardSize < 1 || components < 1 || !(separation >= 0)) {
      throw new IllegalArgumentException(
          "samples, shardSize and components must be >= 1 and separation >= 0 in " + uri);
    }
    return new SyntheticDataset(generator, samples, seed, shardSize, components, separation);
  }

  /**
   * The mixture a {@code synthetic://gmm} run trains on, rebuilt from its URI and its latents'
   * shape: what evaluation measures the trained models against.
   */
  public static GaussianMixture mixtureOf(RunConfig config) {
    SyntheticDataset synthetic = parse(config.dataset().getUri());
    LatentSpec latents = config.dataset().getLatents();
    if (!GMM.equals(synthetic.generator()) || latents == null) {
      throw new IllegalArgumentException(
          "run " + config.runName() + " does not train on a synthetic://gmm latent data set");
    }
    int dimension = latents.getChannels() * latents.getSize() * latents.getSize();
    return GaussianMixture.random(
        synthetic.components(), dimension, synthetic.separation(), GMM_SPREAD, synthetic.seed());
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
    if (GMM.equals(synthetic.generator())) {
      LatentSpec latents = config.dataset().getLatents();
      new GmmDatasetGenerator(mixtureOf(config), latents.getChannels(), latents.getSize())
          .generate(
              synthetic.samples(), synthetic.seed(), synthetic.shardSize(), latents.getKey(), sink);
      return;
    }
    new ShapesDatasetGenerator(synthetic.seed())
        .generate(
            synthetic.samples(), config.dataset().getImageSize(), synthetic.shardSize(), sink);
  }
}
