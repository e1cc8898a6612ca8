package dev.archipelago.trainer.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a use-after-free visible: frees collectable direct buffers, then fills fresh ones with
 * 1e30. A tensor that still points into freed Java memory then reads 1e30 (or NaN downstream)
 * instead of its value. Call between a forward pass and its backward pass.
 */
public final class FreedMemory {
  private static final int BUFFERS = 20_000;

  private FreedMemory() {}

  /** Returns the filler buffers: hold them until backward has run. */
  public static List<ByteBuffer> reuseWithGarbage() {
    System.gc();
    List<ByteBuffer> filler = new ArrayList<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      b.putFloat(0, 1e30f);
      filler.add(b);
    }
    return filler;
  }
}
