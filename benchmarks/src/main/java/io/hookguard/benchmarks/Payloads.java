package io.hookguard.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** JSON bodies of a given size and pre-initialised MACs, shared by the benchmarks. */
final class Payloads {
  private Payloads() {}

  /** A JSON event of exactly {@code size} bytes (ASCII, so also {@code size} chars). */
  static String json(int size, String id) {
    String head = "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":\"";
    String tail = "\"}";
    StringBuilder json = new StringBuilder(size).append(head);
    while (json.length() < size - tail.length()) {
      json.append((char) ('a' + json.length() % 26));
    }
    return json.append(tail).toString();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One initialised HMAC-SHA256 per thread, as a careful hand-written verifier keeps it. */
  static ThreadLocal<Mac> hmacSha256(byte[] key) {
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
