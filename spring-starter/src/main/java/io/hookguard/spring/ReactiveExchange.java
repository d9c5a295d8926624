package io.hookguard.spring;

import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookHeaders;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.IncomingRequest;
import io.hookguard.delivery.RunningDelivery;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.codec.multipart.Part;
import org.springframework.util.ClassUtils;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** The WebFlux side of the delivery lifecycle: a reactive request in, an answer out. */
final class ReactiveExchange {
  /** The exchange attribute holding a verified delivery's {@link VerifiedWebhook} (the servlet side's name too). */
  static final String VERIFIED_WEBHOOK_ATTRIBUTE = VerifiedWebhook.class.getName();

  private ReactiveExchange() {}

  /** Whether Reactor Netty is the server's API here, so that what Netty saw can be read. */
  private static final boolean NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServerRequest",
      ReactiveExchange.class.getClassLoader());

  /**
   * The neutral view of a reactive request: what the server saw. On Reactor Netty that is the
   * connection's peer, the headers and the request target as Netty received them, not what an
   * application's ForwardedHeaderTransformer (server.forward-headers-strategy=framework, which
   * trusts every client) made of them: only the TrustedProxies model decides the client address
   * and the signed URL. Netty's own forwarded handling (strategy native) is the server's, and counts.
   *
   * @param request the request as the server handed it to the web filters
   * @param body where its body will have been collected
   */
  static IncomingRequest incoming(ServerHttpRequest request, BodySource body) {
    if (NETTY) {
      IncomingRequest seen = NettyView.incoming(request, body);
      if (seen != null) {
        return seen;
      }
    }
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    request.getHeaders().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
    URI uri = request.getURI();
    String host = request.getHeaders().getFirst(HttpHeaders.HOST);
    String authority = host != null ? host : uri.getRawAuthority() != null ? uri.getRawAuthority() : "";
    return new IncomingRequest(request.getMethod().name(), uri.getScheme() == null ? "http" : uri.getScheme(),
        authority, uri.getRawPath() == null ? "/" : uri.getRawPath(), uri.getRawQuery(), headers.build(),
        peer(request.getRemoteAddress()), body);
  }

  private static String peer(@Nullable SocketAddress remote) {
    return remote instanceof InetSocketAddress address && address.getAddress() != null
        ? address.getAddress().getHostAddress() : "";
  }

  /**
   * Continues on the event loop of the request's connection, where a response's writes belong:
   * Reactor Netty 1.3 can stop reading a kept-alive connection when an exchange's last frame is
   * written from another thread and the sender's next request arrives before that exchange has
   * terminated (reactor-netty issues 2992, 4188, 4361). Written from the loop, the last frame and
   * the exchange's end are one task of the loop, with no read between them. Completes at once on
   * the loop itself (decided when subscribed), and on servers other than Reactor Netty.
   *
   * @param exchange the exchange
   * @return completes on the loop
   */
  static Mono<Void> onEventLoop(ServerWebExchange exchange) {
    return NETTY ? NettyView.onEventLoop(exchange.getRequest()) : Mono.empty();
  }

  /**
   * A handler's result, and its failure, delivered on the connection's event loop
   * ({@link #onEventLoop}), where the answer made of it is then written.
   *
   * @param exchange the exchange
   * @param <T> the result's type
   * @return the transformation, for {@link Mono#transform}
   */
  static <T> java.util.function.Function<Mono<T>, Mono<T>> resultOnEventLoop(ServerWebExchange exchange) {
    return result -> result.flatMap(value -> onEventLoop(exchange).thenReturn(value))
        .onErrorResume(error -> failOnEventLoop(error, exchange));
  }

  /**
   * A failure signalled on the connection's event loop ({@link #onEventLoop}), where whatever
   * renders it (an advice, the web filter, Boot's error handler) then writes.
   *
   * @param error the failure
   * @param exchange the exchange
   * @param <T> the type of what failed
   * @return fails with {@code error} on the loop
   */
  static <T> Mono<T> failOnEventLoop(Throwable error, ServerWebExchange exchange) {
    return onEventLoop(exchange).then(Mono.error(error));
  }

  /** Reactor Netty's own view; loaded only where Reactor Netty is present. */
  private static final class NettyView {
    static Mono<Void> onEventLoop(ServerHttpRequest request) {
      Object server;
      try {
        server = ServerHttpRequestDecorator.getNativeRequest(request);
      } catch (IllegalArgumentException | IllegalStateException e) {
        return Mono.empty(); // a mock server: no connection, no loop
      }
      if (!(server instanceof reactor.netty.Connection connection)) {
        return Mono.empty();
      }
      io.netty.channel.EventLoop loop = connection.channel().eventLoop();
      // Where it is subscribed, not where it was made: a commit hook is made on one thread and
      // run on another.
      return Mono.create(sink -> {
        if (loop.inEventLoop()) {
          sink.success();
          return;
        }
        try {
          loop.execute(sink::success);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          sink.success(); // the loop is shutting down: the write fails there as it would anyway
        }
      });
    }

    static @Nullable IncomingRequest incoming(ServerHttpRequest request, BodySource body) {
      Object server;
      try {
        server = ServerHttpRequestDecorator.getNativeRequest(request);
      } catch (IllegalArgumentException | IllegalStateException e) {
        // No native request: a decorator hid it, or a mock server (@WebFluxTest, WebTestClient
        // bound to a context) has none. The request as handed over is then all there is.
        return null;
      }
      if (!(server instanceof HttpServerRequest netty)) {
        return null;
      }
      WebhookHeaders.Builder headers = WebhookHeaders.builder();
      for (Map.Entry<String, String> header : netty.requestHeaders()) {
        headers.add(header.getKey(), header.getValue());
      }
      String target = netty.uri();
      if (!target.startsWith("/")) {
        // The absolute form (http://host/path): the path and query are what counts.
        URI absolute = URI.create(target);
        target = (absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath())
            + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
      }
      int question = target.indexOf('?');
      String host = netty.requestHeaders().get(HttpHeaders.HOST);
      String authority = host != null ? host : netty.hostName() + ":" + netty.hostPort();
      return new IncomingRequest(netty.method().name(), netty.scheme(), authority,
          question < 0 ? target : target.substring(0, question), question < 0 ? null : target.substring(question + 1),
          headers.build(), peer(netty.remoteAddress()), body);
    }
  }

  /**
   * Writes an answer as it is: status, headers, body, from the connection's event loop
   * ({@link #onEventLoop}). A committed response is left alone.
   *
   * @param answer the answer
   * @param exchange the exchange
   * @return completes when written
   */
  static Mono<Void> write(Answer answer, ServerWebExchange exchange) {
    return onEventLoop(exchange).then(Mono.defer(() -> writeHere(answer, exchange)));
  }

  private static Mono<Void> writeHere(Answer answer, ServerWebExchange exchange) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
    HttpHeaders headers = response.getHeaders();
    answer.headers().forEach(headers::set);
    HttpHeaders request = exchange.getRequest().getHeaders();
    // getFirst, not containsHeader: the latter is Spring 7 only, and on Spring 6.2 (Boot 3.5) its
    // NoSuchMethodError, fatal to Reactor, left the client without an answer.
    if (answer.leftBodyUnread() && (request.getContentLength() > 0 || request.getFirst(HttpHeaders.TRANSFER_ENCODING) != null)) {
      // The body was not read (or not to its end): the connection cannot carry another request.
      headers.set(HttpHeaders.CONNECTION, "close");
    }
    byte[] body = answer.body();
    headers.setContentLength(body.length);
    return body.length == 0 ? response.setComplete()
        : response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
  }

  /**
   * The exchange a verified delivery's handler sees: its body is the verified bytes (read again as
   * often as asked), its query parameters and form data are the parameters decoded from signed
   * bytes only, and it carries the {@link VerifiedWebhook}.
   *
   * @param exchange the exchange as received
   * @param delivery the verified delivery
   * @return the exchange to hand on
   */
  static ServerWebExchange verified(ServerWebExchange exchange, RunningDelivery delivery) {
    exchange.getAttributes().put(VERIFIED_WEBHOOK_ATTRIBUTE, delivery.webhook());
    return new VerifiedExchange(exchange, delivery);
  }

  private static final class VerifiedExchange extends ServerWebExchangeDecorator {
    private final ServerHttpRequest request;
    private final Mono<MultiValueMap<String, String>> formData;

    VerifiedExchange(ServerWebExchange exchange, RunningDelivery delivery) {
      super(exchange);
      LinkedMultiValueMap<String, String> signed = new LinkedMultiValueMap<>();
      delivery.parameters().forEach(signed::put);
      MultiValueMap<String, String> parameters = CollectionUtils.unmodifiableMultiValueMap(signed);
      byte[] body = delivery.body();
      ServerHttpRequest received = exchange.getRequest();
      this.request = new ServerHttpRequestDecorator(received) {
        @Override
        public Flux<DataBuffer> getBody() {
          // A fresh buffer per subscription: a body read twice (a codec, then the handler) reads it whole.
          return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
        }

        // WebFlux's @RequestParam reads query parameters only. Here they are the signed ones: the
        // form body's fields (and the query string's only where the scheme signs the URL), so
        // @RequestParam reads a signed form post as on Spring MVC and never unsigned query text.
        @Override
        public MultiValueMap<String, String> getQueryParams() {
          return parameters;
        }
      };
      this.formData = Mono.just(isForm(received.getHeaders()) ? parameters
          : CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>()));
    }

    private static boolean isForm(HttpHeaders headers) {
      try {
        MediaType type = headers.getContentType();
        return type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type);
      } catch (InvalidMediaTypeException e) {
        return false;
      }
    }

    @Override
    public ServerHttpRequest getRequest() {
      return request;
    }

    @Override
    public Mono<MultiValueMap<String, String>> getFormData() {
      return formData;
    }

    @Override
    public Mono<MultiValueMap<String, Part>> getMultipartData() {
      // Multipart bodies are not parsed from the verified bytes; the original stream is consumed.
      return Mono.just(CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>()));
    }
  }
}
