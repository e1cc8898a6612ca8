package dev.archipelago.trainer.serve;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request's body up to a limit. A larger one (by its Content-Length, or as it arrives) is
 * reported once as a {@link BadRequestException} naming {@code body}; what follows is read and
 * dropped, so the client gets its answer instead of a reset, up to {@link #SWALLOW_BYTES}, past
 * which the connection is closed.
 */
final class BoundedBody {
  static final long SWALLOW_BYTES = 1L << 20;

  private final HttpServerRequest request;
  private final int limit;
  private final Buffer received = Buffer.buffer();
  private long dropped;
  private boolean refused;

  BoundedBody(HttpServerRequest request, int limit) {
    this.request = request;
    this.limit = limit;
  }

  void read(Handler<byte[]> whole, Handler<BadRequestException> tooLarge) {
    request.handler(
        chunk -> {
          if (refused) {
            drop(chunk.length());
          } else if ((long) received.length() + chunk.length() > limit) {
            refuse(tooLarge);
            drop(chunk.length());
          } else {
            received.appendBuffer(chunk);
          }
        });
    request.endHandler(
        end -> {
          if (!refused) {
            whole.handle(received.getBytes());
          }
        });
    long declared = declaredLength();
    if (declared > limit) {
      refuse(tooLarge);
      if (declared > limit + SWALLOW_BYTES) {
        request.connection().close();
      }
    }
  }

  private long declaredLength() {
    String header = request.getHeader("Content-Length");
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1; // the HTTP codec refuses a malformed length itself
    }
  }

  private void refuse(Handler<BadRequestException> tooLarge) {
    refused = true;
    tooLarge.handle(new BadRequestException("body", "the body is larger than " + limit + " bytes"));
  }

  private void drop(int bytes) {
    dropped += bytes;
    if (dropped > SWALLOW_BYTES) {
      request.connection().close();
    }
  }
}
