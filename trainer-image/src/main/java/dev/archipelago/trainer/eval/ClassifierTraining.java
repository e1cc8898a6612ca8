package dev.archipelago.trainer.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.archipelago.trainer.train.AdamW;
import dev.archipelago.trainer.train.AdamWConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Trains the {@link ShapesClassifier} on freshly drawn shapes: every step renders a new batch, so
 * it never sees an image twice, and the images and initial weights come from the seed alone, so the
 * same settings give the same network on the same machine. Loss: the sum of each factor head's
 * cross-entropy.
 */
public final class ClassifierTraining {
  /** Where the held-out images are drawn from: far past any index a step reaches. */
  private static final long HELD_OUT_FIRST = 1L << 40;

  public static final int DEFAULT_STEPS = 1500;
  public static final int DEFAULT_BATCH_SIZE = 64;
  public static final String DEFAULT_LEARNING_RATE = "1e-3";

  /** Apart from the seeds runs draw their data with (0 … a few), so it judges unseen images. */
  public static final long DEFAULT_SEED = 7919;

  public static final int DEFAULT_HELD_OUT = 2000;

  private ClassifierTraining() {}

  /** The settings {@code train-classifier} uses by default. */
  public static Settings defaults(int imageSize) {
    return new Settings(
        imageSize,
        DEFAULT_STEPS,
        DEFAULT_BATCH_SIZE,
        Double.parseDouble(DEFAULT_LEARNING_RATE),
        DEFAULT_SEED,
        DEFAULT_HELD_OUT);
  }

  /**
   * @param imageSize the side of the images it is trained on and will judge
   * @param steps optimizer steps
   * @param batchSize images per step
   * @param learningRate AdamW's step size
   * @param seed the draws of images and the initial weights
   * @param heldOut images it is tested on after training
   */
  public record Settings(
      int imageSize, int steps, int batchSize, double learningRate, long seed, int heldOut) {
    public Settings {
      if (steps < 1 || batchSize < 1 || heldOut < 1 || !(learningRate > 0)) {
        throw new IllegalArgumentException(
            "the classifier needs steps, batch size and held-out images >= 1 and a positive"
                + " learning rate");
      }
    }
  }

  /**
   * @param accuracies held-out accuracy per factor, in {@link ShapeFactors#NAMES} order
   * @param normalisation the map of its features measured on the held-out images
   */
  public record Trained(
      ShapesClassifier classifier,
      Settings settings,
      List<Double> accuracies,
      FeatureNormalisation normalisation) {

    /** Its features, normalised, and predicted factors. */
    public ClassifierFeatures features(NDManager manager) {
      return new ClassifierFeatures(classifier, normalisation, manager);
    }
  }

  /**
   * @param progress called with each completed step
   */
  public static Trained train(Settings settings, NDManager manager, LongConsumer progress) {
    Engine.getInstance().setRandomSeed((int) settings.seed());
    ShapesClassifier classifier = new ShapesClassifier(settings.imageSize());
    classifier.initializeParameters(manager);
    try (AdamW optimizer =
        new AdamW(AdamWConfig.defaults().withLearningRate(settings.learningRate()), manager)) {
      for (int step = 0; step < settings.steps(); step++) {
        ShapeImages batch =
            ShapeImages.render(
                settings.seed(),
                (long) step * settings.batchSize(),
                settings.batchSize(),
                settings.imageSize());
        try (NDManager scope = manager.newSubManager()) {
          int size = settings.imageSize();
          NDArray images =
              ImageRows.tensor(batch.images(), 0, batch.count(), new Shape(3, size, size), scope);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList out =
                classifier.forward(new ParameterStore(scope, false), new NDList(images), true);
            collector.backward(loss(out.get(1), batch.factors(), scope));
          }
        }
        optimizer.step(classifier.getParameters());
        progress.accept(step + 1);
      }
    }
    ShapeImages test =
        ShapeImages.render(
            settings.seed(), HELD_OUT_FIRST, settings.heldOut(), settings.imageSize());
    ClassifierFeatures.Embedding raw =
        new ClassifierFeatures(classifier, null, manager).embed(test.images());
    return new Trained(
        classifier,
        settings,
        accuracies(raw.factors(), test.factors()),
        FeatureNormalisation.of(raw.features()));
  }

  /** Σ over heads of the mean cross-entropy of its slice of the logits. */
  private static NDArray loss(NDArray logits, int[][] factors, NDManager scope) {
    NDArray total = null;
    int offset = 0;
    for (int f = 0; f < ShapeFactors.count(); f++) {
      int cardinality = ShapeFactors.CARDINALITIES[f];
      int[] labels = new int[factors.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = factors[i][f];
      }
      NDArray head = logits.get(":, " + offset + ":" + (offset + cardinality));
      NDArray oneHot = scope.create(labels).oneHot(cardinality);
      NDArray ce = head.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
      total = total == null ? ce : total.add(ce);
      offset += cardinality;
    }
    return total;
  }

  static List<Double> accuracies(int[][] predicted, int[][] truth) {
    List<Double> out = new ArrayList<>();
    for (int f = 0; f < ShapeFactors.count(); f++) {
      int right = 0;
      for (int i = 0; i < truth.length; i++) {
        right += predicted[i][f] == truth[i][f] ? 1 : 0;
      }
      out.add(right / (double) truth.length);
    }
    return out;
  }
}
