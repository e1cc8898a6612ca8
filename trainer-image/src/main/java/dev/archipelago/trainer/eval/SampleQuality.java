package dev.archipelago.trainer.eval;

import ai.djl.ndarray.NDManager;
import dev.archipelago.trainer.eval.FrechetDistance.Moments;

/**
 * Measures generated shapes images against the data set they were trained on. Real images come from
 * the data set's own generator: the training set is samples {@code 0 … n−1}; the reference set is
 * the next {@code count} samples (same distribution, never trained on), and the noise floor is a
 * further disjoint {@code count} real samples scored exactly as the generated ones are: no model
 * can be told apart from the data by less than that.
 *
 * @param dataSeed the seed of the run's {@code synthetic://shapes} data set
 * @param trainingSamples how many samples the run trained on
 * @param imageSize the data set's image side
 * @param memorisationSamples how many of the training samples the memorisation test searches
 * @param resamples bootstrap resamples of each interval (0: none)
 * @param seed the bootstrap's and kernel's random draws
 */
public record SampleQuality(
    long dataSeed,
    long trainingSamples,
    int imageSize,
    int memorisationSamples,
    int resamples,
    long seed) {

  /** Distances of one image set from the reference set. */
  public record Scores(
      Bootstrap.Estimate frechet,
      Bootstrap.Estimate kernel,
      FactorReport factors,
      Memorisation.Result memorisation) {}

  /**
   * @param generated the model's images
   * @param floor disjoint real images, scored as if generated
   */
  public record Measured(Scores generated, Scores floor) {}

  public Measured measure(
      float[][] generated, ClassifierTraining.Trained classifier, NDManager manager) {
    int count = generated.length;
    ShapeImages reference = ShapeImages.render(dataSeed, trainingSamples, count, imageSize);
    ShapeImages floor = ShapeImages.render(dataSeed, trainingSamples + count, count, imageSize);
    ClassifierFeatures features = classifier.features(manager);
    ClassifierFeatures.Embedding referenceEmbedding = features.embed(reference.images());
    Moments referenceMoments = Moments.of(referenceEmbedding.features(), null);
    int searched = (int) Math.min(trainingSamples, memorisationSamples);
    try (Memorisation memorisation =
        new Memorisation(ShapeImages.render(dataSeed, 0, searched, imageSize).images(), manager)) {
      return new Measured(
          scores(generated, features, referenceEmbedding, referenceMoments, memorisation),
          scores(floor.images(), features, referenceEmbedding, referenceMoments, memorisation));
    }
  }

  private Scores scores(
      float[][] images,
      ClassifierFeatures features,
      ClassifierFeatures.Embedding reference,
      Moments referenceMoments,
      Memorisation memorisation) {
    ClassifierFeatures.Embedding embedding = features.embed(images);
    double[][] vectors = embedding.features();
    KernelDistance kernel = new KernelDistance(vectors, reference.features());
    return new Scores(
        Bootstrap.of(
            images.length,
            resamples,
            seed,
            counts -> FrechetDistance.between(Moments.of(vectors, counts), referenceMoments)),
        Bootstrap.of(images.length, resamples, seed + 1, kernel::estimate),
        FactorReport.of(embedding.factors(), reference.factors()),
        memorisation.of(images));
  }
}
