package io.hookguard.dedup;

import java.time.Duration;

/**
 * Where claims on event keys live. Implementations make {@link #claim} one atomic operation and
 * check the claim token atomically in {@link #complete}, {@link #release} and {@link #extend}, so
 * that a holder whose lease ran out can never overwrite or delete the next holder's record. Lease
 * and retention are the store's own expiry, never a client clock.
 *
 * <p>A store that cannot answer throws {@link DedupStoreException}; it never guesses.
 */
public interface DedupStore {

  /**
   * A fresh claim token for a store implementation to hand out: unique within this process (a
   * counter) and across processes (a random 64-bit prefix drawn once per process), without
   * colons. Far cheaper than a random UUID per claim, which takes a lock on a shared
   * {@code SecureRandom}; tokens tell holders apart and are never shown to senders, so they need
   * not be unguessable.
   *
   * @return the token
   */
  static String newClaimToken() {
    return ClaimTokens.next();
  }

  /**
   * Claims a key for the caller if it is absent (or its lease or retention ran out).
   *
   * @param key the event key, unique per endpoint, provider and event id
   * @param fingerprint what identifies the body, e.g. its SHA-256 in hex
   * @param lease how long the claim holds if neither completed nor released
   * @return acquired with a fresh token, or what is there instead
   * @throws DedupStoreException when the store cannot answer
   */
  ClaimResult claim(String key, String fingerprint, Duration lease);

  /**
   * Marks a claimed key as processed, keeping it for {@code retention}. A store may queue the
   * write and answer before it lands (the key then reads as in progress until it does), as long
   * as it never drops a completion silently and accounts for those it cannot write.
   *
   * @param key the key
   * @param token the token {@link #claim} returned
   * @param retention how long duplicates are recognised
   * @return {@code false} when the claim is no longer the caller's (lease ran out)
   * @throws DedupStoreException when the store cannot answer
   */
  boolean complete(String key, String token, Duration retention);

  /**
   * Gives a claim up so that the sender's retry runs.
   *
   * @param key the key
   * @param token the token {@link #claim} returned
   * @return {@code false} when the claim is no longer the caller's
   * @throws DedupStoreException when the store cannot answer
   */
  boolean release(String key, String token);

  /**
   * Extends a held claim's lease, for handlers that run long.
   *
   * @param key the key
   * @param token the token {@link #claim} returned
   * @param lease the new lease, counted from now
   * @return {@code false} when the claim is no longer the caller's
   * @throws DedupStoreException when the store cannot answer
   */
  boolean extend(String key, String token, Duration lease);
}
