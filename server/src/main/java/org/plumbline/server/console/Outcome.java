package org.plumbline.server.console;

/** What a console handler answers: a page, a redirect after a form (303), or a file. */
sealed interface Outcome {
  record Html(int status, String html) implements Outcome {}

  record Redirect(String location) implements Outcome {}

  record File(String contentType, byte[] body, String filename) implements Outcome {}
}
