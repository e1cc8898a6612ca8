package dev.archipelago.trainer.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server inside the {@code local run} process: S3Proxy on loopback, a free port, over
 * jclouds' file system blob store in the work dir, so data and checkpoints outlive the process and
 * a rerun resumes. The tasks reach it like any S3 endpoint, with fixed credentials.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "archipelago-local";
  public static final String SECRET_KEY = "archipelago-local-secret";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private EmbeddedS3Server(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
  }

  /** Starts a server whose buckets are the directories under {@code directory}. */
  public static EmbeddedS3Server start(Path directory) throws IOException {
    Files.createDirectories(directory);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    try {
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(context.getBlobStore())
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
              .build();
      proxy.start();
      awaitStarted(proxy);
      return new EmbeddedS3Server(context, proxy);
    } catch (Exception e) {
      context.close();
      throw new IOException("cannot start the embedded S3 server: " + e, e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Creates the bucket (a directory) unless it exists. */
  public void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }
}
