package dev.archipelago.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.trainer.eval.ClassifierFile;
import dev.archipelago.trainer.eval.ClassifierTraining;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code archipelago train-classifier}: the domain network {@code evaluate} measures with. */
@Command(
    name = "train-classifier",
    mixinStandardHelpOptions = true,
    description = {
      "Train the shapes classifier whose features archipelago evaluate computes Fréchet and"
          + " kernel distances in (the stand-in for Inception, which cannot be downloaded here) and"
          + " whose heads read each image's shape, colour, size and background. Trained on freshly"
          + " drawn shapes, deterministically from --seed; writes a directory with its weights and"
          + " its held-out accuracy per factor."
    })
final class TrainClassifierCommand extends EnvironmentCommand {
  private static final Logger LOG = LoggerFactory.getLogger(TrainClassifierCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "Directory to write; must not exist.")
  Path out;

  @Option(
      names = "--image-size",
      defaultValue = "32",
      description = "Image side it is trained on; that of the runs it will judge.")
  int imageSize;

  @Option(
      names = "--steps",
      defaultValue = "" + ClassifierTraining.DEFAULT_STEPS,
      description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch-size",
      defaultValue = "" + ClassifierTraining.DEFAULT_BATCH_SIZE,
      description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--learning-rate",
      defaultValue = ClassifierTraining.DEFAULT_LEARNING_RATE,
      description = "AdamW's step size (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--seed",
      defaultValue = "" + ClassifierTraining.DEFAULT_SEED,
      description = "Seed of its images and weights; keep it apart from the runs' data seeds.")
  long seed;

  @Option(
      names = "--held-out",
      defaultValue = "" + ClassifierTraining.DEFAULT_HELD_OUT,
      description = "Images it is tested on (default: ${DEFAULT-VALUE}).")
  int heldOut;

  @Override
  public Integer call() throws Exception {
    ClassifierTraining.Settings settings;
    try {
      if (ClassifierFile.exists(out)) {
        throw new IllegalArgumentException("--out " + out + " already holds a classifier");
      }
      settings =
          new ClassifierTraining.Settings(imageSize, steps, batchSize, learningRate, seed, heldOut);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    ClassifierTraining.Trained trained = train(settings, out);
    spec.commandLine()
        .getOut()
        .printf("classifier in %s, held-out accuracy %s%n", out, trained.accuracies());
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Trains a classifier and writes it to {@code directory}, logging its progress. */
  static ClassifierTraining.Trained train(ClassifierTraining.Settings settings, Path directory)
      throws java.io.IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      long every = Math.max(1, settings.steps() / 10);
      ClassifierTraining.Trained trained =
          ClassifierTraining.train(
              settings,
              manager,
              step -> {
                if (step % every == 0) {
                  LOG.info("classifier step {} of {}", step, settings.steps());
                }
              });
      ClassifierFile.write(trained, directory);
      LOG.info("classifier held-out accuracy per factor: {}", trained.accuracies());
      return trained;
    }
  }
}
