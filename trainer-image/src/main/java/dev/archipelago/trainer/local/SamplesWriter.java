package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Asks the server for samples of every expert alone and of the ensemble, all from the same seed (so
 * the blocks start from the same noise), and writes them as one captioned sheet.
 */
final class SamplesWriter {
  private final ServeClient client;
  private final int count;
  private final long seed;

  SamplesWriter(ServeClient client, int count, long seed) {
    this.client = client;
    this.count = count;
    this.seed = seed;
  }

  /** Writes the sheet to {@code png}; {@code inference} captions the ensemble's block. */
  void write(InferenceSpec inference, Path png) throws IOException, InterruptedException {
    ServedModels models = client.models();
    List<SampleSheet.Block> blocks = new ArrayList<>();
    for (ServedModels.Expert expert : models.experts()) {
      String caption =
          "expert="
              + expert.index()
              + (expert.step() == null ? "" : " (step " + expert.step() + ")");
      blocks.add(
          new SampleSheet.Block(
              caption, client.generate(SampleRequest.ofExpert(expert.index(), count, seed))));
    }
    blocks.add(
        new SampleSheet.Block(
            ensembleCaption(inference), client.generate(SampleRequest.ofEnsemble(count, seed))));
    BufferedImage sheet = SampleSheet.compose(blocks);
    if (!ImageIO.write(sheet, "png", png.toFile())) {
      throw new IOException("no PNG writer for " + png);
    }
  }

  static String ensembleCaption(InferenceSpec inference) {
    if (inference == null || inference.getStrategy() == null) {
      return "ensemble";
    }
    // The manifest's spelling (topk), not the Java constant's (TOPK).
    String strategy = ContractJson.mapper().convertValue(inference.getStrategy(), String.class);
    return inference.getStrategy() == InferenceStrategy.TOPK && inference.getTopK() != null
        ? "ensemble (" + strategy + ", k=" + inference.getTopK() + ")"
        : "ensemble (" + strategy + ")";
  }
}
