package io.hookguard.inbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/** A store that is down while a flag is set: the one stand-in the inbox tests use. */
public final class FlakyInboxStore {
  private FlakyInboxStore() {}

  /**
   * Wraps a real store.
   *
   * @param real the store
   * @param down while true, every call throws {@link InboxStoreException}
   * @return the wrapped store
   */
  public static InboxStore wrap(InboxStore real, AtomicBoolean down) {
    return (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(), new Class<?>[] {InboxStore.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(real, args);
          }
          if (method.isDefault() && real.getClass().getMethod(method.getName(), method.getParameterTypes())
              .getDeclaringClass() == InboxStore.class) {
            // Not overridden: the default runs here, its calls through this proxy (and its flag).
            return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
          }
          if (down.get()) {
            throw new InboxStoreException("down");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
