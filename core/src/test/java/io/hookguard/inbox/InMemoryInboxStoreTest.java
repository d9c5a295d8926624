package io.hookguard.inbox;

import org.junit.jupiter.api.BeforeEach;

class InMemoryInboxStoreTest extends InboxStoreContract {
  private InMemoryInboxStore store;

  @BeforeEach
  void createStore() {
    store = InMemoryInboxStore.create(clock);
  }

  @Override
  protected InboxStore store() {
    return store;
  }
}
