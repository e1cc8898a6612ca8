package dev.archipelago.trainer.eval;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trained {@link ShapesClassifier} on disk: a directory holding its weights and a JSON record of
 * how it was trained and how well it reads each factor. Written into a sibling directory and
 * renamed into place, so an interrupted write never leaves a half classifier where one is looked
 * for.
 */
public final class ClassifierFile {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String WEIGHTS = "classifier.params";
  private static final String FACTS = "classifier.json";
  private static final int FORMAT = 1;

  private ClassifierFile() {}

  /** What {@code classifier.json} holds. */
  record Facts(
      int format,
      ClassifierTraining.Settings settings,
      List<String> factors,
      List<Double> accuracies,
      FeatureNormalisation normalisation) {}

  public static boolean exists(Path directory) {
    return Files.isRegularFile(directory.resolve(FACTS));
  }

  public static void write(ClassifierTraining.Trained trained, Path directory) throws IOException {
    Path parent = directory.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, directory.getFileName() + ".partial-");
    try {
      try (OutputStream out = Files.newOutputStream(staging.resolve(WEIGHTS));
          DataOutputStream data = new DataOutputStream(out)) {
        trained.classifier().saveParameters(data);
      }
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(
              staging.resolve(FACTS).toFile(),
              new Facts(
                  FORMAT,
                  trained.settings(),
                  ShapeFactors.NAMES,
                  trained.accuracies(),
                  trained.normalisation()));
      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(staging);
    }
  }

  public static ClassifierTraining.Trained read(Path directory, NDManager manager)
      throws IOException {
    Facts facts = JSON.readValue(directory.resolve(FACTS).toFile(), Facts.class);
    if (facts.format() != FORMAT || !ShapeFactors.NAMES.equals(facts.factors())) {
      throw new IOException(
          directory
              + " holds a classifier of another format or factor set; train a new one with"
              + " archipelago train-classifier");
    }
    ShapesClassifier classifier = new ShapesClassifier(facts.settings().imageSize());
    classifier.initializeParameters(manager);
    try (InputStream in = Files.newInputStream(directory.resolve(WEIGHTS));
        DataInputStream data = new DataInputStream(in)) {
      classifier.loadParameters(manager, data);
    } catch (MalformedModelException e) {
      throw new IOException("cannot read the classifier's weights in " + directory, e);
    }
    return new ClassifierTraining.Trained(
        classifier, facts.settings(), facts.accuracies(), facts.normalisation());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
