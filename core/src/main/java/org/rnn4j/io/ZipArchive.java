package org.rnn4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;
import org.rnn4j.ResourceLimitException;

/**
 * A zip archive ({@code .npz}, {@code .keras}) read under {@link Limits}: at most {@code
 * zipEntries} entries, names that stay inside the archive (no {@code ..} segment, no absolute
 * path), and entries read into memory only as far as the budget allows, counting the bytes that
 * actually inflate (an entry's declared size may lie) and refusing compression ratios above
 * {@code zipRatio}. Every problem is a {@link FileFormatException} or {@link
 * ResourceLimitException} naming the file and the entry.
 */
public final class ZipArchive implements AutoCloseable {
  private final Path file;
  private final ZipFile zip;
  private final Map<String, ZipEntry> entries;
  private final Limits.Budget budget;

  private ZipArchive(Path file, ZipFile zip, Map<String, ZipEntry> entries, Limits.Budget budget) {
    this.file = file;
    this.zip = zip;
    this.entries = entries;
    this.budget = budget;
  }

  /**
   * Opens an archive and checks its directory.
   *
   * @param kind what the archive should be, for messages ({@code .npz}, {@code .keras})
   */
  public static ZipArchive open(Path file, String kind, Limits.Budget budget) {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (NoSuchFileException e) {
      throw new FileFormatException(file + ": no such file");
    } catch (ZipException e) {
      throw new FileFormatException(file + ": not a valid " + kind + " (zip) archive: " + e.getMessage(), e);
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new FileFormatException(file + ": no such file");
      }
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    try {
      Map<String, ZipEntry> entries = new LinkedHashMap<>();
      Enumeration<? extends ZipEntry> e = zip.entries();
      int max = budget.limits().zipEntries();
      while (e.hasMoreElements()) {
        ZipEntry z = e.nextElement();
        if (entries.size() >= max) {
          throw new ResourceLimitException(file + ": more than " + max + " zip entries (limit rnn4j.limits.zipEntries)");
        }
        checkName(file, z.getName());
        if (entries.put(z.getName(), z) != null) {
          throw new FileFormatException(file + ": entry '" + z.getName() + "' appears twice");
        }
      }
      return new ZipArchive(file, zip, entries, budget);
    } catch (RuntimeException ex) {
      closeQuietly(zip);
      if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
        // ZipFile reports some malformed directories this way (bad name encoding, say)
        throw new FileFormatException(file + ": not a valid " + kind + " (zip) archive: " + ex.getMessage(), ex);
      }
      throw ex;
    }
  }

  private static void checkName(Path file, String name) {
    String n = name.replace('\\', '/');
    boolean absolute = n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':');
    boolean escapes = false;
    for (String segment : n.split("/")) {
      escapes |= segment.equals("..");
    }
    if (absolute || escapes || n.indexOf('\0') >= 0) {
      throw new FileFormatException(file + ": entry name '" + name + "' points outside the archive; refused");
    }
  }

  /** Entry names in archive order, directories included. */
  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
  }

  public boolean has(String name) {
    return entries.containsKey(name);
  }

  public boolean isDirectory(String name) {
    return entries.get(name).isDirectory();
  }

  /** The source name of an entry in messages: {@code file[entry]}. */
  public String source(String name) {
    return file + "[" + name + "]";
  }

  /**
   * Refuses an entry whose declared uncompressed size is above {@code max}, before reading it.
   *
   * @throws ResourceLimitException naming the entry and {@code what} the limit is for
   */
  public void checkDeclaredSize(String name, long max, String what) {
    long declared = entries.get(name).getSize();
    if (declared > max) {
      throw new ResourceLimitException(source(name) + ": " + Limits.formatBytes(declared) + ", more than the "
          + Limits.formatBytes(max) + " allowed for a " + what);
    }
  }

  /**
   * The uncompressed bytes of an entry, reserved from the budget before they are read.
   *
   * @throws FileFormatException if the entry is missing or corrupt
   * @throws ResourceLimitException if it would exceed the memory limit or the compression ratio
   */
  public byte[] read(String name) {
    ZipEntry z = entries.get(name);
    if (z == null) {
      throw new FileFormatException(file + ": archive has no '" + name + "' (entries: " + entries.keySet() + ")");
    }
    long declared = z.getSize();
    long compressed = z.getCompressedSize();
    // reserve what the entry declares and read exactly that; an undeclared size is reserved as read
    if (declared > Integer.MAX_VALUE - 8) {
      throw new ResourceLimitException(source(name) + ": " + declared + " bytes uncompressed, more than one array can hold");
    }
    if (declared >= 0) {
      checkRatio(name, declared, compressed);
      budget.reserve(declared, "entry '" + name + "'");
    }
    try (InputStream in = zip.getInputStream(z)) {
      if (declared < 0) {
        return readUndeclared(in, name, compressed);
      }
      byte[] out = new byte[(int) declared];
      if (in.readNBytes(out, 0, out.length) != declared || in.read() >= 0) {
        throw new FileFormatException(source(name) + ": inflates to a size other than the " + declared + " bytes its header declares");
      }
      return out;
    } catch (ZipException ex) {
      throw new FileFormatException(source(name) + ": corrupt zip entry: " + ex.getMessage(), ex);
    } catch (IOException ex) {
      throw new FileFormatException(source(name) + ": cannot read: " + ex.getMessage(), ex);
    }
  }

  private byte[] readUndeclared(InputStream in, String name, long compressed) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; total += n) {
      if (total + n > Integer.MAX_VALUE - 8) {
        throw new ResourceLimitException(source(name) + ": inflates beyond what one array can hold");
      }
      budget.reserve(n, "entry '" + name + "'");
      checkRatio(name, total + n, compressed);
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private void checkRatio(String name, long uncompressed, long compressed) {
    double max = budget.limits().zipRatio();
    if (uncompressed > Limits.RATIO_EXEMPT_BYTES && compressed >= 0 && uncompressed > max * Math.max(1, compressed)) {
      throw new ResourceLimitException(String.format(java.util.Locale.ROOT,
          "%s: compression ratio %.0f:1 (%d bytes from %d) is above the limit of %.0f:1 (rnn4j.limits.zipRatio); refused as a possible zip bomb",
          source(name), (double) uncompressed / Math.max(1, compressed), uncompressed, compressed, max));
    }
  }

  @Override
  public void close() {
    closeQuietly(zip);
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException ignored) {
      // nothing was written; a failed close leaks nothing we can recover
    }
  }
}
