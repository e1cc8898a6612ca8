package dev.archipelago.trainer.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A user's TorchScript module ({@code torch.jit.save}) run through DJL's PyTorch engine: one
 * float32 tensor in, the first output tensor back as float32 values with its shape. Not thread-safe
 * (one predictor).
 */
public final class TorchScriptModule implements AutoCloseable {
  private static final String MODEL_NAME = "module";

  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  private final String origin;

  /** A module's output: its shape and values in C order. */
  public record Output(long[] shape, float[] values) {}

  /**
   * @param moduleFile the TorchScript file
   * @param origin where it came from (a URI), for messages
   */
  public TorchScriptModule(Path moduleFile, String origin) throws IOException {
    this.origin = origin;
    // DJL loads "<dir>/<name>.pt"; the download may have any name.
    Path directory =
        Files.createTempDirectory(moduleFile.toAbsolutePath().getParent(), "torchscript-");
    Files.copy(
        moduleFile, directory.resolve(MODEL_NAME + ".pt"), StandardCopyOption.REPLACE_EXISTING);
    this.model = Model.newInstance(MODEL_NAME, "PyTorch");
    try {
      model.load(directory, MODEL_NAME);
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IOException("cannot load TorchScript module " + origin + ": " + e.getMessage(), e);
    }
    this.predictor = model.newPredictor(new NoopTranslator());
  }

  public String origin() {
    return origin;
  }

  /** Runs the module on {@code input} of {@code shape}. */
  public Output run(float[] input, Shape shape) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      return run(scope.create(input, shape));
    }
  }

  /** Runs the module on {@code input} (attached to a manager the caller closes). */
  public Output run(NDArray input) {
    NDList output;
    try {
      output = predictor.predict(new NDList(input));
    } catch (TranslateException | RuntimeException e) {
      throw new IllegalStateException(
          "the TorchScript module " + origin + " failed: " + e.getMessage(), e);
    }
    try (NDArray first = output.get(0).toType(DataType.FLOAT32, true)) {
      return new Output(first.getShape().getShape(), first.toFloatArray());
    } finally {
      output.close();
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
