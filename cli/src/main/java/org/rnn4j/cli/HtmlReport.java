package org.rnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A comparison report as one self-contained HTML page (no network, scripts or fonts): the
 * provenance, a table per tensor, and for every sequence a plot (inline SVG, log scale) of the
 * largest difference per time step for each backend, the tolerance as a dashed line and the first
 * step out of tolerance marked. Rendered from the JSON report, so both say the same; written as
 * well-formed XHTML, so tests can parse it.
 */
final class HtmlReport {
  private HtmlReport() {}

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  private static final int WIDTH = 640;
  private static final int HEIGHT = 240;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 16;
  private static final int BOTTOM = 40;

  static String render(ObjectNode report) {
    StringBuilder h = new StringBuilder();
    boolean agree = report.path("agree").asBoolean();
    h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>rnn4j parity report</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:0.5em 0 1.5em}")
        .append("td,th{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left}td.num{text-align:right;font-family:monospace}")
        .append(".ok{color:#176b2c;font-weight:bold}.fail{color:#b00020;font-weight:bold}")
        .append("svg{background:#fafafa;border:1px solid #ddd}\n</style>\n</head>\n<body>\n");
    h.append("<h1>rnn4j parity report</h1>\n<p id=\"verdict\" class=\"").append(agree ? "ok" : "fail").append("\">")
        .append(agree ? "Every tensor is within tolerance." : "Some tensor is out of tolerance.").append("</p>\n");
    h.append("<h2>Provenance</h2>\n<table id=\"provenance\">\n");
    provenance(report, "", h);
    h.append("</table>\n");
    Map<String, List<JsonNode>> byTensor = new LinkedHashMap<>();
    for (JsonNode c : report.path("comparisons")) {
      byTensor.computeIfAbsent(c.path("tensor").asText(), k -> new ArrayList<>()).add(c);
    }
    double atol = report.path("tolerance").path("atol").asDouble();
    h.append("<h2>Tensors</h2>\n");
    for (Map.Entry<String, List<JsonNode>> t : byTensor.entrySet()) {
      JsonNode first = t.getValue().get(0);
      h.append("<section class=\"tensor\" data-tensor=\"").append(esc(t.getKey())).append("\">\n<h3>")
          .append(esc(first.path("label").asText())).append(" <small>").append(esc(shape(first.path("shape")))).append("</small></h3>\n");
      h.append("<table>\n<tr><th>backend</th><th>vs</th><th>max |diff|</th><th>max ulp</th><th>worst index</th>")
          .append("<th>expected there</th><th>actual there</th><th>first step out of tolerance</th><th>result</th></tr>\n");
      for (JsonNode c : t.getValue()) {
        boolean pass = c.path("pass").asBoolean();
        JsonNode firstFail = c.path("first_failing_step");
        h.append("<tr class=\"comparison\" data-backend=\"").append(esc(c.path("backend").asText())).append("\"><td>")
            .append(esc(c.path("backend").asText())).append("</td><td>").append(esc(c.path("baseline").asText()))
            .append("</td><td class=\"num\">").append(Numbers.sci(c.path("max_abs_diff").asDouble()))
            .append("</td><td class=\"num\">").append(c.path("max_ulp_diff").asText())
            .append("</td><td class=\"num\">").append(esc(c.path("worst_index").toString()))
            .append("</td><td class=\"num\">").append(c.path("expected_at_worst").asText())
            .append("</td><td class=\"num\">").append(c.path("actual_at_worst").asText())
            .append("</td><td class=\"num\">").append(firstFail.isMissingNode() || firstFail.isNull() ? "—" : firstFail.asText())
            .append("</td><td class=\"").append(pass ? "ok\">ok" : "fail\">FAIL").append("</td></tr>\n");
      }
      h.append("</table>\n");
      if (first.path("max_abs_diff_by_step").size() > 1) {
        plot(t.getValue(), atol, h);
      }
      h.append("</section>\n");
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** Every scalar of the report but the comparisons, one row each, named by its path. */
  private static void provenance(JsonNode node, String path, StringBuilder h) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!path.isEmpty() || !e.getKey().equals("comparisons")) {
          provenance(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), h);
        }
      }
    } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
      for (int i = 0; i < node.size(); i++) {
        provenance(node.get(i), path + "[" + i + "]", h);
      }
    } else {
      h.append("<tr><th>").append(esc(path)).append("</th><td>").append(esc(node.isTextual() ? node.asText() : node.toString()))
          .append("</td></tr>\n");
    }
  }

  /** The largest difference per time step, one line per backend, log scale. */
  private static void plot(List<JsonNode> comparisons, double atol, StringBuilder h) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int steps = comparisons.get(0).path("max_abs_diff_by_step").size();
    for (JsonNode c : comparisons) {
      for (JsonNode v : c.path("max_abs_diff_by_step")) {
        double l = log(v.asDouble());
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
    }
    if (atol > 0) {
      lo = Math.min(lo, Math.log10(atol));
      hi = Math.max(hi, Math.log10(atol));
    }
    lo = Math.floor(lo);
    hi = Math.max(Math.ceil(hi), lo + 1);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    final double yLo = lo;
    final double yHi = hi;
    java.util.function.IntFunction<Double> x = s -> LEFT + (steps == 1 ? 0 : plotW * s / (steps - 1));
    java.util.function.DoubleUnaryOperator y = v -> TOP + plotH * (yHi - log(v)) / (yHi - yLo);
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"per-step\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\">\n");
    h.append("<title>max |diff| per time step</title>\n");
    for (int d = (int) lo; d <= (int) hi; d++) {
      double gy = y.applyAsDouble(Math.pow(10, d));
      h.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(f(gy))
          .append("\" y2=\"").append(f(gy)).append("\" stroke=\"#e4e4e4\"/>\n<text x=\"").append(LEFT - 6).append("\" y=\"")
          .append(f(gy + 4)).append("\" font-size=\"11\" text-anchor=\"end\">1e").append(d).append("</text>\n");
    }
    h.append("<text x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(HEIGHT - 8)
        .append("\" font-size=\"12\" text-anchor=\"middle\">time step (0 – ").append(steps - 1).append(")</text>\n");
    if (atol > 0) {
      double ty = y.applyAsDouble(atol);
      h.append("<line class=\"tolerance\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
          .append(f(ty)).append("\" y2=\"").append(f(ty)).append("\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n");
    }
    for (int b = 0; b < comparisons.size(); b++) {
      JsonNode c = comparisons.get(b);
      String colour = COLOURS[b % COLOURS.length];
      StringBuilder points = new StringBuilder();
      JsonNode values = c.path("max_abs_diff_by_step");
      for (int s = 0; s < values.size(); s++) {
        points.append(s == 0 ? "" : " ").append(f(x.apply(s))).append(',').append(f(y.applyAsDouble(values.get(s).asDouble())));
      }
      h.append("<polyline class=\"backend\" data-backend=\"").append(esc(c.path("backend").asText())).append("\" fill=\"none\" stroke=\"")
          .append(colour).append("\" stroke-width=\"2\" points=\"").append(points).append("\"/>\n");
      h.append("<text x=\"").append(WIDTH - RIGHT - 8).append("\" y=\"").append(TOP + 14 + 14 * b)
          .append("\" font-size=\"12\" text-anchor=\"end\" fill=\"")
          .append(colour).append("\">").append(esc(c.path("backend").asText() + " vs " + c.path("baseline").asText())).append("</text>\n");
      JsonNode firstFail = c.path("first_failing_step");
      if (firstFail.isInt()) {
        int s = firstFail.asInt();
        double fx = x.apply(s);
        h.append("<line class=\"first-failure\" data-backend=\"").append(esc(c.path("backend").asText())).append("\" data-step=\"")
            .append(s).append("\" x1=\"").append(f(fx)).append("\" x2=\"").append(f(fx)).append("\" y1=\"").append(TOP)
            .append("\" y2=\"").append(f(TOP + plotH)).append("\" stroke=\"#b00020\" stroke-width=\"2\"/>\n<circle cx=\"")
            .append(f(fx)).append("\" cy=\"").append(f(y.applyAsDouble(values.get(s).asDouble()))).append("\" r=\"5\" fill=\"#b00020\"/>\n")
            .append("<text x=\"").append(f(fx + 6)).append("\" y=\"").append(TOP + plotH - 6)
            .append("\" font-size=\"11\" fill=\"#b00020\">first out of tolerance: step ").append(s).append("</text>\n");
      }
    }
    h.append("</svg>\n");
  }

  private static double log(double v) {
    return Math.log10(Math.max(v, 1e-10));
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String shape(JsonNode shape) {
    List<String> dims = new ArrayList<>();
    shape.forEach(d -> dims.add(d.asText()));
    return "(" + String.join(", ", dims) + ")";
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
