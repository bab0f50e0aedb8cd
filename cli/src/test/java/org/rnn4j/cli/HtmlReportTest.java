package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code rnn4j compare --report FILE.html}: a self-contained page, parsed here, with the first
 * step out of tolerance marked; rendered once in headless Chromium when it is installed.
 */
class HtmlReportTest {
  @TempDir Path dir;
  Path page;

  @BeforeEach
  void report() throws Exception {
    Tensor y = Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_y.npy"));
    float[] v = y.toArray();
    v[(0 * 3 + 2) * 8 + 1] += 1e-3f; // time step 2
    Path bad = dir.resolve("keras.npz");
    Npz.writeList(bad, List.of(Tensor.of(y.shape(), v)));
    page = dir.resolve("report.html");
    CliRunner.Outcome o = CliRunner.run("compare", "--model", GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras").toString(),
        "--input", GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_x.npy").toString(), "--expected", bad.toString(),
        "--report", page.toString());
    assertEquals(1, o.exitCode(), o.out() + o.err());
  }

  @Test
  void isOneSelfContainedPageWithTablesAndPlots() throws Exception {
    String html = Files.readString(page);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(page.toFile());
    for (String external : List.of("script", "link", "img", "iframe", "object")) {
      assertEquals(0, doc.getElementsByTagNameNS("*", external).getLength(), "no " + external + " elements");
    }
    assertTrue(!html.contains("src=") && !html.contains("href=") && !html.contains("url(") && !html.contains("@import"), "nothing external");
    assertEquals("fail", ((Element) doc.getElementsByTagNameNS("*", "p").item(0)).getAttribute("class"));
    assertTrue(html.contains("<th>files.expected.path</th>") && html.contains("<th>backends[1].version</th>"), "provenance");
    NodeList rows = doc.getElementsByTagNameNS("*", "tr");
    int comparisons = 0;
    for (int i = 0; i < rows.getLength(); i++) {
      comparisons += ((Element) rows.item(i)).getAttribute("class").equals("comparison") ? 1 : 0;
    }
    assertEquals(2, comparisons, "one row per backend");
    NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
    assertEquals(2, lines.getLength(), "one line per backend");
    assertEquals(3, ((Element) lines.item(0)).getAttribute("points").split(" ").length, "one point per time step");
    NodeList marks = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
    int marked = 0;
    for (int i = 0; i < marks.getLength(); i++) {
      Element e = (Element) marks.item(i);
      if (e.getAttribute("class").equals("first-failure")) {
        assertEquals("2", e.getAttribute("data-step"));
        marked++;
      }
    }
    assertEquals(2, marked, "the first step out of tolerance marked for each backend");
  }

  /**
   * Renders the page in Debian's headless Chromium ({@code apt-get install chromium}) and checks the
   * screenshot shows the plot: the lines' colours and the red first-failure marker. Skipped, with
   * the reason, where Chromium is not installed.
   */
  @Test
  void rendersInHeadlessChromium() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium), "Chromium is not installed (apt-get install chromium): not rendered");
    Path png = dir.resolve("report.png");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--screenshot=" + png, "--window-size=1000,1800", page.toUri().toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("chromium.log").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1000, image.getWidth());
    int red = 0;
    int blue = 0;
    for (int yy = 0; yy < image.getHeight(); yy++) {
      for (int xx = 0; xx < image.getWidth(); xx++) {
        int rgb = image.getRGB(xx, yy) & 0xffffff;
        red += near(rgb, 0xb00020) ? 1 : 0;
        blue += near(rgb, 0x1f77b4) ? 1 : 0;
      }
    }
    assertTrue(red > 100, "the first-failure marker and FAIL labels are drawn: " + red + " red pixels");
    assertTrue(blue > 50, "the first backend's line is drawn: " + blue + " blue pixels");
  }

  private static boolean near(int rgb, int target) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > 24) {
        return false;
      }
    }
    return true;
  }
}
