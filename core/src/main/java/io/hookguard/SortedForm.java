package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.hookguard.internal.FormEncoding;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The signed content of senders that sign the URL followed by their form parameters sorted by
 * name, each as {@code name + value} with no separator (Twilio's form posts, Mandrill): decoded
 * from the body, so that re-encoded or reordered parameters are the same delivery.
 */
final class SortedForm {
  private SortedForm() {}

  static boolean isForm(WebhookRequest request) {
    return FormEncoding.isForm(request.headers().first("Content-Type"));
  }

  /** Form parameters sorted by name, then value; empty for bodies that are not form-encoded. */
  static List<String[]> parameters(WebhookRequest request) {
    if (!isForm(request) || request.body().length == 0) {
      return List.of();
    }
    List<String[]> parameters = new ArrayList<>();
    try {
      for (Map.Entry<String, String> pair : FormEncoding.decode(new String(request.body(), UTF_8), UTF_8)) {
        parameters.add(new String[] {pair.getKey(), pair.getValue()});
      }
    } catch (FormEncoding.TooManyPairsException e) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "the form body has " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "the form body has a malformed %-escape");
    }
    parameters.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    return parameters;
  }

  /**
   * Checks a base64 signature over {@code url + sorted parameters}, trying the URL as given and
   * with its default port added or removed (proxies change it; the senders' SDKs do the same).
   *
   * @throws Reject the mismatch of the last variant tried, when none matches
   */
  static void checkAnyUrlVariant(String signature, String header, List<Keys.VerificationKey> keys,
      String url, List<String[]> sortedParameters) {
    List<SignatureFormat.Candidate> candidates = List.of(new SignatureFormat.Candidate("", signature));
    Reject noMatch = null;
    for (String variant : TwilioScheme.urlVariants(url)) {
      try {
        DeclarativeScheme.checkSignatures(candidates, SignatureEncoding.BASE64, keys,
            content(variant, sortedParameters), header);
        return;
      } catch (Reject reject) {
        noMatch = reject;
      }
    }
    throw requireNonNull(noMatch);
  }

  /**
   * The body as the one field {@code name} of a form, for signers of senders that post their
   * JSON that way (Mandrill's {@code mandrill_events}, Travis CI's {@code payload}), when a test
   * hands them the JSON alone. A form body is returned as it is.
   */
  static WebhookRequest asFormField(WebhookRequest request, String name) {
    if (isForm(request)) {
      return request;
    }
    StringBuilder out = new StringBuilder(name.length() + 1 + request.body().length * 2).append(name).append('=');
    for (byte b : request.body()) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '*') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return request.toBuilder().setHeader("Content-Type", FormEncoding.MEDIA_TYPE)
        .body(out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build();
  }

  /** The URL, then each parameter's name and value. */
  static SignedContent content(String url, List<String[]> sortedParameters) {
    return sink -> {
      sink.update(url);
      for (String[] parameter : sortedParameters) {
        sink.update(parameter[0]);
        sink.update(parameter[1]);
      }
    };
  }

  /**
   * What a verified form delivery signed, for telling a replay from a new delivery: each decoded
   * name and value followed by a NUL, in sorted order; the body itself when it does not decode.
   */
  static byte[] replayContent(WebhookRequest request) {
    List<String[]> parameters;
    try {
      parameters = parameters(request);
    } catch (Reject reject) {
      return request.body();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(request.body().length + 16);
    for (String[] parameter : parameters) {
      out.writeBytes(parameter[0].getBytes(UTF_8));
      out.write(0);
      out.writeBytes(parameter[1].getBytes(UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }
}
