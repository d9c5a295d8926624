package io.hookguard.spring;

import io.hookguard.EventTypeFilter;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.inbox.InboxHandler;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.util.ClassUtils;

/**
 * The {@link InboxListener} methods of the application's beans, found once at startup, and the
 * {@link InboxHandler} of each endpoint in inbox mode that calls them. The payload is read by the
 * application's own readers, the same that bind {@code @RequestBody}: Spring MVC's message
 * converters, or Spring WebFlux's codecs.
 */
final class InboxListenerMethods {
  private final Set<String> inboxEndpoints;
  private final Map<String, List<Listener>> byEndpoint = new ConcurrentHashMap<>();
  private volatile @Nullable PayloadReader converters;
  private volatile boolean found;

  InboxListenerMethods(Set<String> inboxEndpoints) {
    this.inboxEndpoints = Set.copyOf(inboxEndpoints);
  }

  /**
   * The handler the inbox runs for an endpoint: every matching method, in the order found.
   *
   * @param endpoint the endpoint's name
   * @return the handler
   */
  InboxHandler handler(String endpoint) {
    return delivery -> {
      if (!found) {
        // The workers start with the context, after the methods were found: this is a bug.
        throw new IllegalStateException("the @InboxListener methods are not known yet");
      }
      for (Listener listener : byEndpoint.getOrDefault(endpoint, List.of())) {
        if (listener.accepts(delivery)) {
          listener.invoke(delivery, converters);
        }
      }
    };
  }

  /**
   * Finds every method of every bean, then checks that each endpoint in inbox mode has one and
   * each names such an endpoint.
   *
   * @param beanFactory the application's beans
   * @param converters what payloads are read with ({@link #messageConverters}, {@link #codecs})
   */
  void find(ConfigurableListableBeanFactory beanFactory, PayloadReader converters) {
    this.converters = converters;
    for (String name : beanFactory.getBeanNamesForType(Object.class, false, false)) {
      if (name.startsWith("scopedTarget.")) {
        continue;
      }
      Class<?> type = beanFactory.getType(name, false);
      if (type == null) {
        continue;
      }
      Class<?> user = ClassUtils.getUserClass(type);
      Map<Method, InboxListener> methods = MethodIntrospector.selectMethods(user,
          (MethodIntrospector.MetadataLookup<InboxListener>) method ->
              AnnotatedElementUtils.findMergedAnnotation(method, InboxListener.class));
      methods.forEach((method, annotation) -> add(name, beanFactory, type, method, annotation));
    }
    for (String endpoint : inboxEndpoints) {
      if (!byEndpoint.containsKey(endpoint)) {
        throw new HookguardConfigurationException("hookguard.endpoints." + endpoint + ".inbox",
            "no @InboxListener(\"" + endpoint + "\") method handles this endpoint's deliveries",
            "Add a method annotated @InboxListener(\"" + endpoint + "\") to a bean, or turn inbox mode off.");
      }
    }
    found = true;
  }

  private void add(String beanName, ConfigurableListableBeanFactory beanFactory, Class<?> beanType, Method method,
      InboxListener annotation) {
    String endpoint = annotation.value();
    String where = "@InboxListener(\"" + endpoint + "\") on " + method;
    if (!inboxEndpoints.contains(endpoint)) {
      throw new HookguardConfigurationException("hookguard.endpoints." + endpoint + ".inbox",
          where + " names an endpoint that is not in inbox mode",
          "Set hookguard.endpoints." + endpoint + ".inbox=true (and its path), or fix the name.");
    }
    EventTypeFilter types = null;
    if (annotation.eventTypes().length > 0) {
      try {
        types = EventTypeFilter.of(annotation.eventTypes());
      } catch (IllegalArgumentException e) {
        throw new HookguardConfigurationException("hookguard.endpoints." + endpoint + ".inbox",
            where + ": " + e.getMessage(), "Use exact types such as order.created or prefixes such as order.*");
      }
    }
    Method invocable = AopUtils.selectInvocableMethod(method, beanType);
    invocable.setAccessible(true);
    Argument[] arguments = new Argument[invocable.getParameterCount()];
    boolean payload = false;
    for (int i = 0; i < arguments.length; i++) {
      MethodParameter parameter = new MethodParameter(invocable, i);
      Class<?> type = parameter.getParameterType();
      if (type == InboxDelivery.class) {
        arguments[i] = (delivery, converters) -> delivery;
        continue;
      }
      if (payload) {
        throw new HookguardConfigurationException("hookguard.endpoints." + endpoint + ".inbox",
            where + " has more than one payload parameter",
            "Take one payload (byte[], String or a type the message converters or codecs read) and an InboxDelivery.");
      }
      payload = true;
      if (type == byte[].class) {
        arguments[i] = (delivery, converters) -> delivery.body();
      } else if (type == String.class) {
        arguments[i] = (delivery, converters) -> new String(delivery.body(), charset(delivery));
      } else {
        ResolvableType resolvable = ResolvableType.forMethodParameter(parameter);
        arguments[i] = (delivery, converters) -> read(resolvable, beanType, delivery, converters);
      }
    }
    byEndpoint.computeIfAbsent(endpoint, name -> new ArrayList<>())
        .add(new Listener(() -> beanFactory.getBean(beanName), invocable, types, arguments));
  }

  private static Charset charset(InboxDelivery delivery) {
    if (delivery.contentType() != null) {
      try {
        Charset declared = MediaType.parseMediaType(delivery.contentType()).getCharset();
        if (declared != null) {
          return declared;
        }
      } catch (RuntimeException e) {
        // an unparseable content type: UTF-8, as for JSON
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static @Nullable Object read(ResolvableType type, Class<?> context, InboxDelivery delivery,
      @Nullable PayloadReader reader) throws PayloadNotReadableException {
    MediaType mediaType = MediaType.APPLICATION_JSON;
    if (delivery.contentType() != null) {
      try {
        mediaType = MediaType.parseMediaType(delivery.contentType());
      } catch (RuntimeException e) {
        throw new PayloadNotReadableException("the delivery's content type cannot be parsed");
      }
    }
    Object value;
    try {
      value = reader == null ? PayloadReader.NONE : reader.read(type, context, mediaType, delivery.body());
    } catch (Exception e) {
      // Never the converter's message: parsers quote the payload in theirs.
      throw new PayloadNotReadableException("the payload could not be read as " + type + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (value == PayloadReader.NONE) {
      throw new PayloadNotReadableException("no message converter reads " + mediaType + " as " + type);
    }
    return value;
  }

  /** Reads a payload as a parameter's type, as the web stack binds {@code @RequestBody}. */
  @FunctionalInterface
  interface PayloadReader {
    /** What {@link #read} returns when nothing reads the media type as the type. */
    Object NONE = new Object();

    @Nullable Object read(ResolvableType type, Class<?> context, MediaType mediaType, byte[] body) throws Exception;
  }

  /**
   * Payloads read by Spring MVC's message converters.
   *
   * @param converters the converters, looked up at first use
   * @return the reader
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static PayloadReader messageConverters(Supplier<List<HttpMessageConverter<?>>> converters) {
    return (type, context, mediaType, body) -> {
      HttpHeaders headers = new HttpHeaders();
      headers.setContentType(mediaType);
      HttpInputMessage message = new HttpInputMessage() {
        @Override
        public InputStream getBody() {
          return new ByteArrayInputStream(body);
        }

        @Override
        public HttpHeaders getHeaders() {
          return headers;
        }
      };
      Type generic = type.getType();
      Class<?> raw = type.toClass();
      for (HttpMessageConverter<?> converter : converters.get()) {
        if (converter instanceof SmartHttpMessageConverter<?> smart) {
          if (smart.canRead(type, mediaType)) {
            return smart.read(type, message, null);
          }
        } else if (converter instanceof GenericHttpMessageConverter<?> genericConverter) {
          if (genericConverter.canRead(generic, context, mediaType)) {
            return genericConverter.read(generic, context, message);
          }
        } else if (converter.canRead(raw, mediaType)) {
          return ((HttpMessageConverter) converter).read(raw, message);
        }
      }
      return PayloadReader.NONE;
    };
  }

  /**
   * Payloads read by Spring WebFlux's codecs: the first reader whose decoder decodes the type
   * from the media type, synchronously (the inbox's workers are not event-loop threads).
   *
   * @param readers the codecs' readers, looked up at first use
   * @return the reader
   */
  static PayloadReader codecs(Supplier<List<HttpMessageReader<?>>> readers) {
    return (type, context, mediaType, body) -> {
      for (HttpMessageReader<?> reader : readers.get()) {
        if (reader instanceof DecoderHttpMessageReader<?> decoding && decoding.getDecoder().canDecode(type, mediaType)) {
          return decoding.getDecoder().decode(DefaultDataBufferFactory.sharedInstance.wrap(body), type, mediaType,
              Map.of());
        }
      }
      return PayloadReader.NONE;
    };
  }

  /** A delivery's payload could not be bound to the method's parameter; says so without the payload. */
  static final class PayloadNotReadableException extends Exception {
    private static final long serialVersionUID = 1L;

    PayloadNotReadableException(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  private interface Argument {
    @Nullable Object resolve(InboxDelivery delivery, @Nullable PayloadReader converters) throws Exception;
  }

  private record Listener(Supplier<Object> bean, Method method, @Nullable EventTypeFilter types,
      Argument[] arguments) {
    boolean accepts(InboxDelivery delivery) {
      return types == null || (delivery.eventType() != null && types.matches(delivery.eventType()));
    }

    void invoke(InboxDelivery delivery, @Nullable PayloadReader converters) throws Exception {
      @Nullable Object[] values = new Object[arguments.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = arguments[i].resolve(delivery, converters);
      }
      try {
        method.invoke(bean.get(), values);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
          throw exception;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
  }
}
