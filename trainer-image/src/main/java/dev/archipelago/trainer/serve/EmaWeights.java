package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.archipelago.trainer.checkpoint.CheckpointContent;
import dev.archipelago.trainer.checkpoint.TensorFile;
import dev.archipelago.trainer.checkpoint.TrainingCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads only the EMA weights of a training checkpoint into a model (what the paper samples from);
 * the raw weights and optimizer state are neither downloaded nor verified.
 */
final class EmaWeights implements CheckpointContent {
  private static final NDIndex ALL = new NDIndex("...");

  private final Block model;

  EmaWeights(Block model) {
    this.model = model;
  }

  @Override
  public boolean reads(String name) {
    return name.equals(TrainingCheckpoint.EMA);
  }

  @Override
  public void writeTo(Path directory) {
    throw new UnsupportedOperationException("serving never writes checkpoints");
  }

  @Override
  public void readFrom(Path directory) throws IOException {
    PairList<String, Parameter> parameters = model.getParameters();
    Set<String> seen = new HashSet<>();
    TensorFile.read(
        directory.resolve(TrainingCheckpoint.EMA),
        (name, tensor) -> {
          Parameter parameter = parameters.get(name);
          if (parameter == null) {
            throw new IOException("the EMA weights hold " + name + ", which the model lacks");
          }
          if (!parameter.getArray().getShape().equals(new Shape(tensor.shape()))) {
            throw new IOException("the EMA weights of " + name + " have another shape");
          }
          NDArray array = parameter.getArray();
          // One converting copy: the model may hold its weights in fp16.
          try (NDArray stored = array.getManager().create(tensor.values(), array.getShape())) {
            array.set(ALL, stored);
          }
          seen.add(name);
        });
    if (seen.size() != parameters.size()) {
      throw new IOException(
          "the EMA weights cover "
              + seen.size()
              + " of the model's "
              + parameters.size()
              + " parameters");
    }
  }
}
