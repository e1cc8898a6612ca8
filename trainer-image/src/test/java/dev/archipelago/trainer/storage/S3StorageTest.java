package dev.archipelago.trainer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archipelago.trainer.cli.Archipelago;
import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3StorageTest {
  private static EmbeddedS3 s3;
  private static S3ObjectStore store;

  @BeforeAll
  static void start() throws Exception {
    s3 = new EmbeddedS3();
    s3.createBucket("data");
    store = new S3ObjectStore(s3.settings(), "data");
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    s3.close();
  }

  @Test
  void putReadListDeleteRoundTripThroughARealS3Server(@TempDir Path dir) throws Exception {
    store.put("a/one.json", "{}".getBytes(StandardCharsets.UTF_8));
    Path file = Files.write(dir.resolve("big.bin"), new byte[3 << 20]);
    store.upload("a/b/big.bin", file);

    assertThat(store.read("a/one.json")).hasValueSatisfying(b -> assertThat(b).hasSize(2));
    assertThat(store.read("a/missing")).isEmpty();
    assertThatThrownBy(() -> store.open("a/missing")).isInstanceOf(NoSuchObjectException.class);
    assertThat(store.list("a/"))
        .containsExactly(
            new StoredObject("a/b/big.bin", 3 << 20), new StoredObject("a/one.json", 2));

    store.delete("a/one.json");
    store.delete("a/never-there");
    assertThat(store.list("a/")).extracting(StoredObject::key).containsExactly("a/b/big.bin");
  }

  @Test
  void generateDatasetWritesShardsToS3AndTheStreamReadsThemBack() throws Exception {
    Map<String, String> env = new HashMap<>(s3.credentials());
    env.put(S3Settings.ENDPOINT_ENV, s3.endpoint());
    int code =
        Archipelago.commandLine(env)
            .execute(
                "generate-dataset",
                "shapes",
                "--output",
                "s3://data/shapes/v1",
                "--count",
                "50",
                "--shard-size",
                "20",
                "--image-size",
                "16");
    assertThat(code).isZero();

    ObjectStoreShards shards = new ObjectStoreShards(store, "shapes/v1/");
    assertThat(shards.listShards())
        .containsExactly("shapes-000000.tar", "shapes-000001.tar", "shapes-000002.tar");
    ShuffledSampleStream stream =
        new ShuffledSampleStream(shards, ImageFormat.rgb(16), 1, true, DataCursor.START);
    List<Sample> samples = stream.nextBatch(50);
    assertThat(samples).extracting(Sample::key).doesNotHaveDuplicates();
    assertThat(stream.skipped().total()).isZero();
    try (InputStream in = shards.open("shapes-000002.tar")) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      in.transferTo(copy);
      assertThat(copy.size()).isPositive();
    }
  }

  @Test
  void anS3UriNamesBucketAndPrefix() {
    assertThat(S3Uri.parse("s3://bucket/some/prefix"))
        .isEqualTo(new S3Uri("bucket", "some/prefix/"));
    assertThat(S3Uri.parse("s3://bucket")).isEqualTo(new S3Uri("bucket", ""));
    assertThat(S3Uri.parseObject("s3://models/enc/dino.pt"))
        .isEqualTo(new S3Uri("models", "enc/dino.pt"));
    assertThatThrownBy(() -> S3Uri.parseObject("s3://models/enc/"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
