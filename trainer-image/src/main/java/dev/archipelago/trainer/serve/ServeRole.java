package dev.archipelago.trainer.serve;

/** Which part of the ensemble one {@code serve} process holds. */
public enum ServeRole {
  /** Router and every expert in one process (the default). */
  COLOCATED,
  /** The router; experts are other processes, called over HTTP. */
  ROUTER,
  /** One expert, answering {@code /v1/velocity} for a router. */
  EXPERT
}
