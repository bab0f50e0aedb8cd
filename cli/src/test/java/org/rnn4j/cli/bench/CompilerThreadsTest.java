package org.rnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompilerThreadsTest {
  /** A C2 compiler thread's line from Linux's /proc/<pid>/task/<tid>/stat: 116 user and 7 system ticks. */
  private static final String C2_STAT = "7934 (C2 CompilerThre) S 1 7917 1203 0 -1 4194368 5205 0 1 0 116 7 0 0 20 0 20 0 356159"
      + " 9189388288 156168 18446744073709551615 94739952754688 94739952755573 140733920946800 0 0 0 4 2 16800973 1 0 0 -1 1 0 0 0";

  @Test
  void countsTheUserAndSystemTicksOfCompilerThreadsOnly() {
    assertEquals(123, CompilerThreads.compilerTicks("C2 CompilerThre\n", C2_STAT));
    assertEquals(123, CompilerThreads.compilerTicks("C1 CompilerThre\n", C2_STAT.replace("C2", "C1")));
    assertEquals(0, CompilerThreads.compilerTicks("main\n", C2_STAT.replace("C2 CompilerThre", "main")));
  }

  @Test
  void readsTheFieldsAfterTheLastParenthesisOfANameThatHoldsSpacesAndParentheses() {
    String stat = "12 (C2 CompilerThre) (x) 7) S 1 2 3 0 -1 4 5 0 1 0 40 2 0 0 20 0 20 0 9";
    assertEquals(42, CompilerThreads.compilerTicks("C2 CompilerThre\n", stat));
  }

  @Test
  void anEndedThreadCountsNothing() {
    assertEquals(0, CompilerThreads.compilerTicks("", ""));
    assertEquals(0, CompilerThreads.compilerTicks("C2 CompilerThre\n", ""));
    assertEquals(0, CompilerThreads.compilerTicks("C2 CompilerThre\n", "1 (C2 CompilerThre) S 1 2 3 0 -1 4 5 0 1 0 x 2 0"));
  }
}
