package dev.archipelago.testfixtures;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.net.URI;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server (S3Proxy, in-memory blob store) with credentials on: on loopback, or on another
 * address of this host that pods reach (the real node's pod bridge).
 */
public final class EmbeddedS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "archipelago-test";
  public static final String SECRET_KEY = "archipelago-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String host;

  public EmbeddedS3() throws Exception {
    this("127.0.0.1");
  }

  /** Listens on {@code host} (an address of this machine) at a free port. */
  public EmbeddedS3(String host) throws Exception {
    this.host = host;
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://" + host + ":0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
  }

  public String endpoint() {
    return "http://" + host + ":" + proxy.getPort();
  }

  public MinioClient client() {
    return MinioClient.builder().endpoint(endpoint()).credentials(ACCESS_KEY, SECRET_KEY).build();
  }

  /** A Secret named {@code name} holding this server's credentials, as a run's storage names it. */
  public static Secret credentialsSecret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .addToStringData("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .build();
  }

  public void createBucket(String bucket) throws Exception {
    MinioClient c = client();
    if (!c.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      c.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
  }

  /** How many objects lie under {@code prefix} in {@code bucket}. */
  public long countObjects(String bucket, String prefix) throws Exception {
    long n = 0;
    for (var r :
        client()
            .listObjects(
                io.minio.ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
      r.get();
      n++;
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
