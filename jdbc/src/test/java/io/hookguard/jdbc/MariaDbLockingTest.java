package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.InboxLease;
import io.hookguard.inbox.InboxState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * InnoDB at MariaDB's default isolation (REPEATABLE READ) takes gap and next-key locks that
 * PostgreSQL never does, and a young table's statistics can make MariaDB run an {@code UPDATE …
 * WHERE id = ? AND state = 'IN_FLIGHT'} through the {@code (state, updated_at)} index: a range
 * scan that locks rows and gaps there, so that two workers' "done" marks deadlock (this case
 * failed so until the store pinned such updates to the primary key). A take's locking read under
 * REPEATABLE READ also locks the gap receipts insert into (this case ran twice as long so, with
 * receipts queued behind takes). Here receipts (several copies of each delivery, racing) and
 * takers that mark each delivery done run at once, without the inbox's retries around them:
 * every call must succeed, every delivery be stored once and taken once.
 */
class MariaDbLockingTest {
  private DataSource dataSource;
  private JdbcInboxStore store;

  @BeforeEach
  void createStore() {
    dataSource = SharedMariaDb.dataSource();
    SharedPostgres.dropTables(dataSource);
    store = JdbcInboxStore.builder(dataSource).createTables().build();
  }

  @Test
  void receiptsRacingEachOtherAndRacingTakersNeverFailAndEveryDeliveryIsTakenOnce() throws Exception {
    int deliveries = 400;
    int copies = 3;
    int receivers = 6;
    int takers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(receivers + takers);
    AtomicBoolean receiving = new AtomicBoolean(true);
    Map<Long, Integer> taken = new ConcurrentHashMap<>();
    Set<Long> storedIds = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> receipts = new ArrayList<>();
      for (int r = 0; r < receivers; r++) {
        receipts.add(pool.submit(() -> {
          start.await();
          // Each delivery arrives `copies` times, from receivers racing for it.
          for (int n; (n = next.getAndIncrement()) < deliveries * copies;) {
            Acceptance answer = store.store(InboxScenarioDeliveries.of("orders", "msg_lock_" + n / copies));
            if (answer instanceof Acceptance.Stored stored) {
              storedIds.add(stored.id());
            } else {
              assertThat(answer).isInstanceOf(Acceptance.Duplicate.class);
              duplicates.incrementAndGet();
            }
          }
          return null;
        }));
      }
      List<Future<?>> takes = new ArrayList<>();
      for (int t = 0; t < takers; t++) {
        takes.add(pool.submit(() -> {
          start.await();
          while (!Thread.currentThread().isInterrupted()) {
            boolean more = receiving.get();
            List<InboxLease> leases = store.take(List.of("orders"), 5, Duration.ofMinutes(1));
            for (InboxLease lease : leases) {
              taken.merge(lease.id(), 1, Integer::sum);
              assertThat(store.markDone(lease)).isTrue();
            }
            if (leases.isEmpty() && !more) {
              return null;
            }
          }
          return null;
        }));
      }
      long began = System.nanoTime();
      start.countDown();
      for (Future<?> receipt : receipts) {
        receipt.get(120, TimeUnit.SECONDS); // a store failure (deadlock) fails the case here
      }
      receiving.set(false);
      for (Future<?> take : takes) {
        take.get(120, TimeUnit.SECONDS);
      }
      System.out.printf("%d receipts and their takes in %d ms%n", deliveries * copies,
          (System.nanoTime() - began) / 1_000_000);
    } finally {
      pool.shutdownNow();
    }
    assertThat(storedIds).hasSize(deliveries);
    assertThat(duplicates).hasValue(deliveries * (copies - 1));
    assertThat(taken).hasSize(deliveries).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
    assertThat(store.depth().get(InboxState.DONE)).isEqualTo(deliveries);
  }
}
