package dev.archipelago.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** Runs the {@link ShapesClassifier} over images: their feature vectors and predicted factors. */
public final class ClassifierFeatures {
  private static final int BATCH = 256;

  private final ShapesClassifier classifier;
  private final FeatureNormalisation normalisation;
  private final NDManager manager;

  /**
   * @param normalisation applied to every feature vector, or null for the raw features
   */
  ClassifierFeatures(
      ShapesClassifier classifier, FeatureNormalisation normalisation, NDManager manager) {
    this.classifier = classifier;
    this.normalisation = normalisation;
    this.manager = manager;
  }

  /**
   * @param features one vector per image
   * @param factors the factor values the heads predict, per image
   */
  public record Embedding(double[][] features, int[][] factors) {}

  /**
   * @param images CHW RGB in [−1, 1] at the classifier's image size
   */
  public Embedding embed(float[][] images) {
    int size = classifier.imageSize();
    int width = ShapesClassifier.featureSize();
    double[][] features = new double[images.length][width];
    int[][] factors = new int[images.length][];
    for (int first = 0; first < images.length; first += BATCH) {
      int end = Math.min(images.length, first + BATCH);
      try (NDManager scope = manager.newSubManager()) {
        NDArray batch = ImageRows.tensor(images, first, end, new Shape(3, size, size), scope);
        NDList out = classifier.forward(new ParameterStore(scope, false), new NDList(batch), false);
        float[] f = out.get(0).toFloatArray();
        int[][] predicted = predictions(out.get(1));
        for (int i = first; i < end; i++) {
          for (int j = 0; j < width; j++) {
            features[i][j] = f[(i - first) * width + j];
          }
          factors[i] = predicted[i - first];
        }
      }
    }
    if (normalisation != null) {
      normalisation.apply(features);
    }
    return new Embedding(features, factors);
  }

  /** Each head's argmax, per row of logits [B, Σ cardinalities]. */
  static int[][] predictions(NDArray logits) {
    int rows = (int) logits.getShape().get(0);
    int columns = ShapeFactors.logits();
    float[] values = logits.toFloatArray();
    int[][] out = new int[rows][ShapeFactors.count()];
    for (int r = 0; r < rows; r++) {
      int offset = r * columns;
      for (int f = 0; f < ShapeFactors.count(); f++) {
        int best = 0;
        for (int v = 1; v < ShapeFactors.CARDINALITIES[f]; v++) {
          if (values[offset + v] > values[offset + best]) {
            best = v;
          }
        }
        out[r][f] = best;
        offset += ShapeFactors.CARDINALITIES[f];
      }
    }
    return out;
  }
}
