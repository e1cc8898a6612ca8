package dev.archipelago.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The .npy reader and writer; files written by numpy itself are read in PythonWebDatasetShardsIT.
 */
class NpyArrayTest {

  @Test
  void whatItWritesItReadsBackAndTheDataStartsAligned() throws Exception {
    NpyArray array =
        new NpyArray(new int[] {2, 3, 1}, new float[] {1.5f, -2f, 0f, 3.25f, 7f, -0.125f});

    byte[] bytes = array.toBytes();
    NpyArray back = NpyArray.parse(bytes);

    assertThat(back.shape()).containsExactly(2, 3, 1);
    assertThat(back.values()).containsExactly(array.values());
    assertThat((bytes.length - 6 * 4) % 64).as("numpy aligns the data to 64 bytes").isZero();
  }

  @Test
  void halfPrecisionValuesAreWidenedExactly() throws Exception {
    // 1.0, -2.0, 65504 (the largest half), 2^-24 (the smallest subnormal), -0.0
    short[] halves = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, (short) 0x8000};
    byte[] bytes = npy("<f2", "(5,)", halves.length * 2);
    for (int i = 0; i < halves.length; i++) {
      bytes[bytes.length - 10 + 2 * i] = (byte) halves[i];
      bytes[bytes.length - 10 + 2 * i + 1] = (byte) (halves[i] >> 8);
    }

    assertThat(NpyArray.parse(bytes).values()).containsExactly(1f, -2f, 65504f, 0x1p-24f, -0f);
  }

  @Test
  void refusesWhatItCannotReadSayingWhy() {
    assertThatThrownBy(() -> NpyArray.parse("not numpy".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> NpyArray.parse(npy("<i4", "(2,)", 8)))
        .hasMessageContaining("only float16 and float32");
    assertThatThrownBy(() -> NpyArray.parse(npy("<f4", "(3,)", 8)))
        .hasMessageContaining("needs 12 bytes of data, has 8");
  }

  /**
   * A version 1.0 .npy header for {@code descr} and {@code shape}, then {@code dataBytes} zeros.
   */
  private static byte[] npy(String descr, String shape, int dataBytes) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    byte[] out = new byte[10 + header.length() + dataBytes];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    System.arraycopy(magic, 0, out, 0, magic.length);
    out[8] = (byte) header.length();
    out[9] = (byte) (header.length() >> 8);
    byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, out, 10, text.length);
    return out;
  }
}
