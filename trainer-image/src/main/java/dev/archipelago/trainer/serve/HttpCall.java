package dev.archipelago.trainer.serve;

/**
 * A request as an endpoint sees it: the whole body (already bounded by the route's limit) and the
 * client's {@link Cancellation}, set when the client disconnects before its answer.
 */
record HttpCall(String method, byte[] body, Cancellation cancellation) {}
