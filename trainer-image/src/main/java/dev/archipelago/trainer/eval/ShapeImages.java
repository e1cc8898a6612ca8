package dev.archipelago.trainer.eval;

import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.ImageTensors;
import dev.archipelago.trainer.data.shapes.ShapeRenderer;
import dev.archipelago.trainer.data.shapes.ShapeSpec;
import dev.archipelago.trainer.data.shapes.ShapeSpecSampler;

/**
 * Real shapes images with their factors: samples {@code first … first+count−1} of a shapes data
 * set's seed, drawn exactly as the data set writes them, as CHW in [−1, 1] (what the loader feeds a
 * model).
 *
 * @param images one CHW array per image
 * @param factors each image's {@link ShapeFactors}
 */
public record ShapeImages(float[][] images, int[][] factors) {

  public static ShapeImages render(long seed, long first, int count, int imageSize) {
    ShapeSpecSampler sampler = new ShapeSpecSampler(seed);
    ShapeRenderer renderer = new ShapeRenderer();
    ImageFormat format = ImageFormat.rgb(imageSize);
    float[][] images = new float[count][];
    int[][] factors = new int[count][];
    for (int i = 0; i < count; i++) {
      ShapeSpec spec = sampler.sample(first + i);
      images[i] = ImageTensors.toChw(renderer.render(spec, imageSize), format);
      factors[i] = ShapeFactors.of(spec);
    }
    return new ShapeImages(images, factors);
  }

  public int count() {
    return images.length;
  }
}
