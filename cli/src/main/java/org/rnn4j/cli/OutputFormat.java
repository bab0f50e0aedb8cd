package org.rnn4j.cli;

/** {@code --format}: text for people, json for programs. Parsed case-insensitively. */
enum OutputFormat {
  TEXT,
  JSON
}
