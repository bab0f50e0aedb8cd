package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void writesOnlyWhenEnabled() {
    StringWriter on = new StringWriter();
    Progress p = new Progress(new PrintWriter(on), true);
    p.step("rows 0-127 of 300");
    p.done();
    assertTrue(on.toString().contains("rows 0-127 of 300"), on.toString());
    StringWriter off = new StringWriter();
    Progress q = new Progress(new PrintWriter(off), false);
    q.step("rows 0-127 of 300");
    q.done();
    assertEquals("", off.toString());
  }
}
