package dev.archipelago.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.trainer.train.AdamW;
import dev.archipelago.trainer.train.ExponentialMovingAverage;
import dev.archipelago.trainer.train.TensorSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The checkpoint of one trainer (expert or router): {@code weights.bin} (the model), {@code
 * ema.bin} (the averaged weights), {@code optimizer.bin} (AdamW's moments as {@code m/<name>} and
 * {@code v/<name>}) and {@code state.json} ({@link TrainingPosition}). Tensors are written and read
 * one at a time.
 */
public final class TrainingCheckpoint implements CheckpointContent {
  public static final String WEIGHTS = "weights.bin";
  public static final String EMA = "ema.bin";
  public static final String OPTIMIZER = "optimizer.bin";
  public static final String STATE = "state.json";

  private static final String FIRST_MOMENT = "m/";
  private static final String SECOND_MOMENT = "v/";

  private final PairList<String, Parameter> parameters;
  private final AdamW optimizer;
  private final ExponentialMovingAverage ema;
  private final Supplier<TrainingPosition> position;
  private TrainingPosition restored;

  /**
   * @param position what to save as the training position when writing
   */
  public TrainingCheckpoint(
      PairList<String, Parameter> parameters,
      AdamW optimizer,
      ExponentialMovingAverage ema,
      Supplier<TrainingPosition> position) {
    this.parameters = parameters;
    this.optimizer = optimizer;
    this.ema = ema;
    this.position = position;
  }

  /** The position read by the last {@link #readFrom}. */
  public TrainingPosition restored() {
    if (restored == null) {
      throw new IllegalStateException("nothing restored yet");
    }
    return restored;
  }

  @Override
  public void writeTo(Path directory) throws IOException {
    TrainingPosition now = position.get();
    if (now.optimizerSteps() != optimizer.steps()) {
      throw new IllegalStateException("position and optimizer disagree on the step count");
    }
    try (TensorFile.Writer out =
        new TensorFile.Writer(directory.resolve(WEIGHTS), parameters.size())) {
      for (Pair<String, Parameter> named : parameters) {
        write(out, named.getKey(), named.getValue().getArray());
      }
    }
    try (TensorFile.Writer out =
        new TensorFile.Writer(directory.resolve(EMA), ema.names().size())) {
      for (String name : ema.names()) {
        write(out, name, ema.get(name));
      }
    }
    Set<String> moments = optimizer.momentNames();
    try (TensorFile.Writer out =
        new TensorFile.Writer(directory.resolve(OPTIMIZER), 2 * moments.size())) {
      for (String name : moments) {
        write(out, FIRST_MOMENT + name, optimizer.firstMoment(name));
        write(out, SECOND_MOMENT + name, optimizer.secondMoment(name));
      }
    }
    Files.write(directory.resolve(STATE), ContractJson.writeBytes(now));
  }

  @Override
  public void readFrom(Path directory) throws IOException {
    TrainingPosition position =
        ContractJson.read(Files.readAllBytes(directory.resolve(STATE)), TrainingPosition.class);
    Set<String> seen = new HashSet<>();
    TensorFile.read(
        directory.resolve(WEIGHTS),
        (name, tensor) -> {
          Parameter parameter = parameters.get(name);
          if (parameter == null) {
            throw new IOException("checkpoint has a parameter the model lacks: " + name);
          }
          NDArray array = parameter.getArray();
          requireShape(name, array.getShape(), tensor);
          array.set(tensor.values());
          seen.add(name);
        });
    if (seen.size() != parameters.size()) {
      throw new IOException("checkpoint lacks some of the model's parameters");
    }
    TensorFile.read(directory.resolve(EMA), ema::restore);
    optimizer.resetState(position.optimizerSteps());
    TensorFile.read(
        directory.resolve(OPTIMIZER),
        (name, tensor) -> {
          if (name.startsWith(FIRST_MOMENT)) {
            optimizer.restoreFirstMoment(name.substring(FIRST_MOMENT.length()), tensor);
          } else if (name.startsWith(SECOND_MOMENT)) {
            optimizer.restoreSecondMoment(name.substring(SECOND_MOMENT.length()), tensor);
          } else {
            throw new IOException("unknown optimizer tensor " + name);
          }
        });
    restored = position;
  }

  private static void write(TensorFile.Writer out, String name, NDArray array) throws IOException {
    out.write(name, array.getShape().getShape(), array.toFloatArray());
  }

  private static void requireShape(String name, Shape shape, TensorSnapshot tensor)
      throws IOException {
    if (!shape.equals(new Shape(tensor.shape()))) {
      throw new IOException(
          "parameter " + name + " is " + shape + " in the model but " + new Shape(tensor.shape()));
    }
  }
}
