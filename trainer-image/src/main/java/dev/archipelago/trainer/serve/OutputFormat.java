package dev.archipelago.trainer.serve;

/** How {@code /v1/generate} returns its images. */
public enum OutputFormat {
  /** One PNG: the images in a grid. */
  PNG,
  /** JSON with one base64 PNG per image, the seed and (on request) the routing trace. */
  JSON
}
