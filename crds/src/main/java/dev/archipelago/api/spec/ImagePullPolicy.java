package dev.archipelago.api.spec;

/** The Kubernetes image pull policy, spelled as in a PodSpec. */
public enum ImagePullPolicy {
  Always,
  IfNotPresent,
  Never
}
