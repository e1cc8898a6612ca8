package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplesWriterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void asksForEachExpertAloneAndTheEnsembleAndComposesOneCaptionedSheet() throws Exception {
    try (FakeServeServer server = new FakeServeServer(2)) {
      ServeClient client = new ServeClient(server.uri(), TIMEOUT);
      assertThat(client.ready()).isTrue();
      Path png = dir.resolve("samples.png");

      new SamplesWriter(client, 4, 7).write(topk(2), png);

      List<JsonNode> bodies = server.generateBodies();
      assertThat(bodies).hasSize(3);
      for (int k = 0; k < 2; k++) {
        assertThat(bodies.get(k).get("expert").asInt()).isEqualTo(k);
      }
      assertThat(bodies.get(2).has("expert")).as("the ensemble goes through the router").isFalse();
      // Unset fields are left out: the server applies the manifest's inference defaults.
      assertThat(bodies)
          .allSatisfy(
              b -> {
                assertThat(b.get("count").asInt()).isEqualTo(4);
                assertThat(b.get("seed").asLong()).isEqualTo(7);
                assertThat(b.get("format").asText()).isEqualTo("png");
                assertThat(b.has("strategy")).isFalse();
                assertThat(b.has("steps")).isFalse();
              });

      BufferedImage sheet = ImageIO.read(png.toFile());
      int grid = 2 * FakeServeServer.SAMPLE_SIZE + 2;
      List<SampleSheet.Block> layout = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        layout.add(new SampleSheet.Block("", SolidImages.of(Color.BLACK, grid, grid)));
      }
      SampleSheet expected = new SampleSheet(layout);
      Color[] colours = {
        FakeServeServer.EXPERT_COLOURS[0],
        FakeServeServer.EXPERT_COLOURS[1],
        FakeServeServer.ENSEMBLE_COLOUR
      };
      assertThat(sheet.getWidth()).isEqualTo(expected.draw().getWidth());
      for (int i = 0; i < 3; i++) {
        Point origin = expected.imageOrigin(i);
        assertThat(new Color(sheet.getRGB(origin.x + 1, origin.y + 1))).isEqualTo(colours[i]);
      }
    }
  }

  @Test
  void theEnsembleCaptionNamesTheStrategy() {
    assertThat(SamplesWriter.ensembleCaption(topk(2))).isEqualTo("ensemble (topk, k=2)");
    InferenceSpec full = new InferenceSpec();
    full.setStrategy(InferenceStrategy.FULL);
    assertThat(SamplesWriter.ensembleCaption(full)).isEqualTo("ensemble (full)");
  }

  @Test
  void anErrorAnswerBecomesAMessageWithTheServersErrorAndField() throws Exception {
    try (FakeServeServer server = new FakeServeServer(2)) {
      server.failGenerate("count must be at most 64");
      SamplesWriter writer = new SamplesWriter(new ServeClient(server.uri(), TIMEOUT), 100, 0);

      assertThatThrownBy(() -> writer.write(topk(2), dir.resolve("samples.png")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("count must be at most 64 (field count)");
    }
  }

  @Test
  void aServerThatIsNotListeningIsNotReady() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThat(new ServeClient(URI.create("http://127.0.0.1:" + port), TIMEOUT).ready()).isFalse();
  }

  private static InferenceSpec topk(int k) {
    InferenceSpec inference = new InferenceSpec();
    inference.setStrategy(InferenceStrategy.TOPK);
    inference.setTopK(k);
    return inference;
  }
}
