package dev.archipelago.api.spec;

/** Schema patterns shared by several fields, written once so that they cannot drift apart. */
public final class NamePatterns {
  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** An S3 bucket name (lower case, 3 to 63 characters, no leading or trailing dot or dash). */
  public static final String S3_BUCKET = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

  private NamePatterns() {}
}
