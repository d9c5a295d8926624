package io.hookguard.inbox;

/** Where a stored delivery is in its life. */
public enum InboxState {
  /** Waiting for a worker: new, or failed and waiting for its next attempt. */
  READY,
  /** Taken by a worker under a lease that has not run out (or has, and awaits takeover). */
  IN_FLIGHT,
  /** Handled; kept for the dedup retention, so a sender's retry is still a duplicate. */
  DONE,
  /** Failed on every attempt the retry policy allows; kept until replayed or purged. */
  DEAD
}
