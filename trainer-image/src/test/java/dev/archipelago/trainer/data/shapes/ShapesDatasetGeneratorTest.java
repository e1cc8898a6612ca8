package dev.archipelago.trainer.data.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.RawSample;
import dev.archipelago.trainer.data.SkippedSamples;
import dev.archipelago.trainer.data.TarSampleReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesDatasetGeneratorTest {
  @TempDir Path dir;

  @Test
  void writesShardsOfPngClassAndMetadataPerSample() throws IOException {
    ShapesDatasetGenerator.Summary summary =
        new ShapesDatasetGenerator(1).generate(25, 24, 10, new LocalShardDirectory(dir));

    LocalShardDirectory shards = new LocalShardDirectory(dir);
    assertThat(shards.listShards())
        .containsExactly("shapes-000000.tar", "shapes-000001.tar", "shapes-000002.tar");
    assertThat(summary.shards()).isEqualTo(3);
    assertThat(Arrays.stream(summary.samplesPerClass()).sum()).isEqualTo(25);

    List<RawSample> samples = new ArrayList<>();
    for (String name : shards.listShards()) {
      try (InputStream in = shards.open(name);
          TarSampleReader reader = new TarSampleReader(in, name, new SkippedSamples())) {
        for (RawSample s = reader.next(); s != null; s = reader.next()) {
          samples.add(s);
        }
      }
    }
    assertThat(samples).hasSize(25);
    RawSample first = samples.get(0);
    assertThat(first.key()).isEqualTo("00000000");
    assertThat(first.parts()).containsOnlyKeys("png", "cls", "json");
    assertThat(ImageIO.read(new ByteArrayInputStream(first.parts().get("png"))).getWidth())
        .isEqualTo(24);
    Map<?, ?> meta = new ObjectMapper().readValue(first.parts().get("json"), Map.class);
    assertThat(new String(first.parts().get("cls"), StandardCharsets.US_ASCII))
        .isEqualTo(meta.get("label").toString());
    assertThat(ShapeKind.valueOf(meta.get("shape").toString().toUpperCase()).label())
        .isEqualTo(meta.get("label"));
  }

  @Test
  void theSameSeedWritesIdenticalBytesAndAnotherSeedDifferentImages() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    new ShapesDatasetGenerator(9).generate(12, 16, 5, new LocalShardDirectory(a));
    new ShapesDatasetGenerator(9).generate(12, 16, 5, new LocalShardDirectory(b));
    new ShapesDatasetGenerator(10).generate(12, 16, 5, new LocalShardDirectory(c));

    for (String shard : List.of("shapes-000000.tar", "shapes-000001.tar", "shapes-000002.tar")) {
      assertThat(Files.readAllBytes(b.resolve(shard)))
          .isEqualTo(Files.readAllBytes(a.resolve(shard)));
      assertThat(Files.readAllBytes(c.resolve(shard)))
          .isNotEqualTo(Files.readAllBytes(a.resolve(shard)));
    }
  }

  @Test
  void everyGeneratingFactorTakesSeveralValues() {
    ShapeSpecSampler sampler = new ShapeSpecSampler(3);
    List<ShapeSpec> specs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      specs.add(sampler.sample(i));
    }
    assertThat(specs).extracting(ShapeSpec::kind).containsAll(List.of(ShapeKind.values()));
    assertThat(specs).extracting(ShapeSpec::color).containsAll(List.of(ShapeColor.values()));
    assertThat(specs).extracting(ShapeSpec::size).containsAll(List.of(ShapeSize.values()));
    assertThat(specs).extracting(ShapeSpec::background).containsAll(List.of(Background.values()));
  }
}
