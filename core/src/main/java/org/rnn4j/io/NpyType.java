package org.rnn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NumPy element types rnn4j reads, each converted to float32 as Keras converts model inputs
 * ({@code float64} and integers rounded to the nearest float32, {@code float16} widened exactly,
 * bool as 0 or 1).
 */
enum NpyType {
  FLOAT16("f2", 2),
  FLOAT32("f4", 4),
  FLOAT64("f8", 8),
  INT8("i1", 1),
  INT16("i2", 2),
  INT32("i4", 4),
  INT64("i8", 8),
  UINT8("u1", 1),
  UINT16("u2", 2),
  UINT32("u4", 4),
  UINT64("u8", 8),
  BOOL("b1", 1);

  private final String code;
  private final int size;

  NpyType(String code, int size) {
    this.code = code;
    this.size = size;
  }

  int size() {
    return size;
  }

  String descr(ByteOrder order) {
    return (size == 1 ? "|" : order == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + code;
  }

  static NpyType fromCode(String code) {
    for (NpyType t : values()) {
      if (t.code.equals(code)) {
        return t;
      }
    }
    return null;
  }

  /** Reads one element at the buffer's position and converts it to float32. */
  float read(ByteBuffer b) {
    return switch (this) {
      case FLOAT16 -> halfToFloat(b.getShort());
      case FLOAT32 -> b.getFloat();
      case FLOAT64 -> (float) b.getDouble();
      case INT8 -> b.get();
      case INT16 -> b.getShort();
      case INT32 -> (float) b.getInt();
      case INT64 -> (float) b.getLong();
      case UINT8 -> b.get() & 0xff;
      case UINT16 -> b.getShort() & 0xffff;
      case UINT32 -> (float) (b.getInt() & 0xffffffffL);
      case UINT64 -> unsignedLongToFloat(b.getLong());
      case BOOL -> b.get() != 0 ? 1f : 0f;
    };
  }

  private static float unsignedLongToFloat(long v) {
    if (v >= 0) {
      return (float) v;
    }
    // Halve with the low bit folded in so that rounding to float stays correct.
    return 2f * (float) ((v >>> 1) | (v & 1));
  }

  /** IEEE 754 binary16 to binary32; exact for every half value. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
