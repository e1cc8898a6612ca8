package dev.archipelago.trainer.serve;

/**
 * Where and how a path is answered.
 *
 * @param method the one method allowed (405 otherwise), or null for any
 * @param maxBody the largest body accepted, in bytes (400 naming {@code body} beyond)
 * @param blocking true for endpoints that wait on models or the network: they run on the handler
 *     threads; false for cheap ones (probes, metrics) answered on the event loop at once
 */
record Route(String method, int maxBody, boolean blocking, Endpoint endpoint) {
  static Route cheap(String method, Endpoint endpoint) {
    return new Route(method, 0, false, endpoint);
  }

  static Route blocking(String method, int maxBody, Endpoint endpoint) {
    return new Route(method, maxBody, true, endpoint);
  }
}
