package dev.archipelago.operator.run;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short content hashes for names and for recording what a child was rendered from. */
public final class Digests {
  private Digests() {}

  public static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * 16 hex characters of SHA-256 over the object's JSON (fabric8 writes fields in a fixed order).
   */
  public static String ofJson(Object value) {
    return sha256(Serialization.asJson(value)).substring(0, 16);
  }
}
