package io.hookguard.test;

import io.hookguard.inbox.InMemoryInboxStore;
import io.hookguard.inbox.InboxStore;
import org.junit.jupiter.api.BeforeEach;

/** The in-memory inbox store against the published contract. */
class InMemoryInboxStoreContractTest extends InboxStoreContract {
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
