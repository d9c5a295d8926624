package io.hookguard.test;

import io.hookguard.WebhookRequest;
import java.net.URI;

/** The path a client sends to, with what signing added to the query (Twilio's bodySHA256). */
final class Paths {
  private Paths() {}

  static String sent(String path, WebhookRequest signed) {
    String signedQuery = URI.create(signed.url()).getRawQuery();
    if (signedQuery == null || path.contains("?" + signedQuery) || !signed.url().endsWith(signedQuery)) {
      return path;
    }
    int question = path.indexOf('?');
    return (question < 0 ? path : path.substring(0, question)) + "?" + signedQuery;
  }
}
