package dev.archipelago.trainer.serve;

import java.io.IOException;

/** One path of a server: it turns a call into an answer, or throws what the server maps. */
@FunctionalInterface
interface Endpoint {
  HttpAnswer answer(HttpCall call) throws IOException;
}
