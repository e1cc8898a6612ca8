package dev.archipelago.api.contract;

import java.util.Locale;

/** What a pod of a run does; one trainer image plays every role. */
public enum Role {
  /** Encodes the image shards into latent shards with the run's VAE encoder (latent runs). */
  ENCODE,
  /** Clusters the dataset and writes each cluster's shards, the centroids and cluster sizes. */
  PARTITION,
  /** Trains one expert on its cluster. */
  EXPERT,
  /** Trains the router on every cluster's shards, labelled by cluster. */
  ROUTER,
  /** Distils the trained ensemble into one student (runs with spec.distillation enabled). */
  DISTILL,
  /** Serves the ensemble (colocated) or one member of it (distributed). */
  SERVE;

  /** The form used in labels, env vars and Job names: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
