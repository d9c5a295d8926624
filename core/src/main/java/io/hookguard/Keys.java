package io.hookguard;

import io.hookguard.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/** Key material in the forms webhook senders hand out, and what each form can check or sign. */
final class Keys {
  private Keys() {}

  /** A key that can check signatures of one signature version. */
  abstract static class VerificationKey {
    /** The signature version this key checks, e.g. {@code v1}, or {@code ""} for unversioned schemes. */
    final String version;

    VerificationKey(String version) {
      this.version = version;
    }

    /** Whether any of the decoded signatures is a valid signature of the content under this key. */
    abstract boolean verify(SignedContent content, List<byte[]> signatures);

    @Override
    public final String toString() {
      return getClass().getSimpleName() + "[" + version + ", ****]";
    }
  }

  /** A key that can produce signatures. */
  interface SigningKey {
    /** The signature version this key produces. */
    String version();

    byte[] sign(SignedContent content);
  }

  /**
   * An HMAC key with a pool of initialised {@link Mac} instances: initialising a Mac costs about
   * as much as MACing a small body, so it is done once per concurrent user, not per request.
   *
   * <p>The pool is a small array of slots indexed by thread, not a queue: taking and returning a
   * Mac is one atomic swap and one store, and allocates nothing. Two threads that share a slot
   * just make an extra Mac now and then; one of the two is dropped when both return theirs.
   */
  static final class HmacKey extends VerificationKey implements SigningKey {
    private static final int SLOTS = slotCount(Runtime.getRuntime().availableProcessors());

    private final SecretKeySpec key;
    private final AtomicReferenceArray<PooledMac> pool = new AtomicReferenceArray<>(SLOTS);
    private final java.util.concurrent.atomic.AtomicInteger macsCreated = new java.util.concurrent.atomic.AtomicInteger();

    HmacKey(String version, HmacAlgorithm algorithm, byte[] secret) {
      super(version);
      if (secret.length == 0) {
        throw new IllegalArgumentException("secret must not be empty");
      }
      this.key = new SecretKeySpec(secret, algorithm.jcaName());
      pool.set(0, new PooledMac(newMac())); // fails here, not on the first delivery, if the JDK lacks it
    }

    @Override
    public String version() {
      return version;
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      int slot = slot();
      PooledMac pooled = take(slot);
      content.writeTo(pooled);
      byte[] expected = pooled.finish();
      boolean match = false;
      for (byte[] signature : signatures) {
        // No early exit: how many candidates were tried must not depend on which one matched.
        match |= MessageDigest.isEqual(expected, signature);
      }
      pool.lazySet(slot, pooled); // after the comparisons: the result buffer is reused
      return match;
    }

    @Override
    public byte[] sign(SignedContent content) {
      int slot = slot();
      PooledMac pooled = take(slot);
      content.writeTo(pooled);
      byte[] signature = pooled.finish().clone();
      pool.lazySet(slot, pooled);
      return signature;
    }

    /** A Mac that threw half-way is not returned, so a taken Mac is always freshly reset. */
    private PooledMac take(int slot) {
      PooledMac pooled = pool.getAndSet(slot, null);
      return pooled != null ? pooled : new PooledMac(newMac());
    }

    private static int slot() {
      return (int) Thread.currentThread().getId() & (SLOTS - 1);
    }

    /** Twice the processors, rounded up to a power of two, between 4 and 64. */
    static int slotCount(int processors) {
      int wanted = Math.max(4, Math.min(64, 2 * processors));
      return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** How many Macs this key has initialised: one per concurrent user, not one per request. */
    int macsCreated() {
      return macsCreated.get();
    }

    private Mac newMac() {
      macsCreated.incrementAndGet();
      try {
        Mac mac = Mac.getInstance(key.getAlgorithm());
        mac.init(key);
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("the JDK cannot compute " + key.getAlgorithm(), e);
      }
    }
  }

  /**
   * An initialised Mac, the sink that feeds it and the buffer its result goes to; one user at a
   * time. Short pieces (an id, a timestamp, the separators between them) are gathered and handed
   * to the Mac as one: every {@code Mac.update} call costs a trip through four layers of the JCA
   * whatever its length, and a signed prefix is often four pieces before the body.
   */
  static final class PooledMac implements ByteSink {
    private static final int SHORT = 128;

    private final Mac mac;
    private final byte[] result;
    private final byte[] pending = new byte[2 * SHORT];
    private int pendingLength;

    PooledMac(Mac mac) {
      this.mac = mac;
      this.result = new byte[mac.getMacLength()];
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
      if (length <= SHORT) {
        if (pendingLength + length > pending.length) {
          flush();
        }
        System.arraycopy(bytes, offset, pending, pendingLength, length);
        pendingLength += length;
      } else {
        flush();
        mac.update(bytes, offset, length);
      }
    }

    /** ASCII text is copied char by char; anything else goes through UTF-8 encoding. */
    @Override
    public void update(String value) {
      int length = value.length();
      if (length > SHORT) {
        ByteSink.super.update(value);
        return;
      }
      if (pendingLength + length > pending.length) {
        flush();
      }
      for (int i = 0; i < length; i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          ByteSink.super.update(value); // whatever was copied so far is overwritten
          return;
        }
        pending[pendingLength + i] = (byte) c;
      }
      pendingLength += length;
    }

    private void flush() {
      if (pendingLength > 0) {
        mac.update(pending, 0, pendingLength);
        pendingLength = 0;
      }
    }

    /** Writes the MAC into the reused buffer; the Mac is reset for its next user. */
    byte[] finish() {
      flush();
      try {
        mac.doFinal(result, 0);
      } catch (ShortBufferException e) {
        throw new IllegalStateException("the result buffer has the Mac's length", e);
      }
      return result;
    }
  }

  /**
   * A shared token compared as a whole (GitLab). Both sides are hashed first so that the
   * comparison takes the same time whatever the received token's length.
   */
  static final class TokenKey extends VerificationKey {
    private final byte[] tokenDigest;

    TokenKey(String token) {
      super("");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token must not be empty");
      }
      this.tokenDigest = Sha256.digest(token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      boolean match = false;
      for (byte[] received : signatures) {
        match |= MessageDigest.isEqual(tokenDigest, Sha256.digest(received));
      }
      return match;
    }
  }

  /** A public key checked through {@link Signature}: Ed25519 or ECDSA. */
  static final class PublicSignatureKey extends VerificationKey {
    private final String algorithm;
    private final PublicKey key;

    PublicSignatureKey(String version, String algorithm, PublicKey key) {
      super(version);
      this.algorithm = algorithm;
      this.key = key;
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      for (byte[] received : signatures) {
        try {
          Signature verifier = Signature.getInstance(algorithm);
          verifier.initVerify(key);
          content.writeTo(signatureSink(verifier));
          if (verifier.verify(received)) {
            return true;
          }
        } catch (SignatureException | UncheckedSignatureException e) {
          // A malformed signature (bad DER, wrong length) is a signature that does not match.
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("the JDK cannot verify " + algorithm, e);
        }
      }
      return false;
    }
  }

  /** A private key that signs through {@link Signature}: Ed25519 or ECDSA. */
  static final class PrivateSignatureKey implements SigningKey {
    private final String version;
    private final String algorithm;
    private final PrivateKey key;

    PrivateSignatureKey(String version, String algorithm, PrivateKey key) {
      this.version = version;
      this.algorithm = algorithm;
      this.key = key;
    }

    @Override
    public String version() {
      return version;
    }

    @Override
    public byte[] sign(SignedContent content) {
      try {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        content.writeTo(signatureSink(signer));
        return signer.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK cannot sign with " + algorithm, e);
      }
    }

    @Override
    public String toString() {
      return "PrivateSignatureKey[" + algorithm + ", ****]";
    }
  }

  // X.509 SubjectPublicKeyInfo and PKCS#8 prefixes for raw 32-byte Ed25519 keys (RFC 8410).
  private static final byte[] ED25519_SPKI_PREFIX =
      java.util.HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] ED25519_PKCS8_PREFIX =
      java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");

  /**
   * Accepts the raw 32-byte key or its 44-byte X.509 SubjectPublicKeyInfo (what
   * {@code PublicKey.getEncoded()} and several Standard Webhooks libraries hand out).
   */
  static PublicSignatureKey ed25519RawOrSpkiPublicKey(String version, byte[] bytes) {
    if (bytes.length == 32) {
      return ed25519PublicKey(version, bytes);
    }
    if (bytes.length == ED25519_SPKI_PREFIX.length + 32
        && java.util.Arrays.equals(bytes, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
            ED25519_SPKI_PREFIX.length)) {
      return ed25519PublicKey(version,
          java.util.Arrays.copyOfRange(bytes, ED25519_SPKI_PREFIX.length, bytes.length));
    }
    throw new IllegalArgumentException("an Ed25519 public key is 32 raw bytes or a 44-byte X.509"
        + " SubjectPublicKeyInfo, this one has " + bytes.length + " bytes"
        + (bytes.length == 44 ? " that are not an Ed25519 SubjectPublicKeyInfo" : ""));
  }

  static PublicSignatureKey ed25519PublicKey(String version, byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has 32 bytes, this one has " + raw.length);
    }
    return new PublicSignatureKey(
        version, "Ed25519", publicKey("Ed25519", concat(ED25519_SPKI_PREFIX, raw)));
  }

  /** Accepts a 32-byte seed, or the 64-byte seed-and-public-key form libsodium writes. */
  static PrivateSignatureKey ed25519PrivateKey(String version, byte[] raw) {
    if (raw.length != 32 && raw.length != 64) {
      throw new IllegalArgumentException(
          "an Ed25519 private key has 32 (or 64 with the public key) bytes, this one has "
              + raw.length);
    }
    byte[] seed = raw.length == 32 ? raw : java.util.Arrays.copyOf(raw, 32);
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8_PREFIX, seed)));
      return new PrivateSignatureKey(version, "Ed25519", key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid Ed25519 private key", e);
    }
  }

  static PublicSignatureKey ecdsaP256PublicKey(String version, byte[] spkiDer) {
    return new PublicSignatureKey(version, "SHA256withECDSA", publicKey("EC", spkiDer));
  }

  static PrivateSignatureKey ecdsaP256PrivateKey(String version, byte[] pkcs8Der) {
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8Der));
      return new PrivateSignatureKey(version, "SHA256withECDSA", key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid PKCS#8 EC private key", e);
    }
  }

  /** RSA PKCS#1 v1.5 with SHA-1 (Travis CI); keys under 2048 bits are refused. */
  /** The minimum every RSA key Hookguard verifies with must meet, configured or fetched. */
  static boolean isRsaOf2048BitsOrMore(PublicKey key) {
    // "RSA" only: an RSASSA-PSS key is an RSAPublicKey too, and is not what the senders sign with.
    return "RSA".equals(key.getAlgorithm()) && key instanceof java.security.interfaces.RSAPublicKey rsa
        && rsa.getModulus().bitLength() >= 2048;
  }

  static PublicSignatureKey rsaSha1PublicKey(String version, byte[] spkiDer) {
    PublicKey key = publicKey("RSA", spkiDer);
    if (!isRsaOf2048BitsOrMore(key)) {
      throw new IllegalArgumentException("RSA public key is shorter than 2048 bits");
    }
    return new PublicSignatureKey(version, "SHA1withRSA", key);
  }

  static PrivateSignatureKey rsaSha1PrivateKey(String version, byte[] pkcs8Der) {
    return rsaPrivateKey(version, "SHA1withRSA", pkcs8Der);
  }

  /** An RSA PKCS#1 v1.5 signing key for {@code algorithm}, e.g. {@code SHA256withRSA}. */
  static PrivateSignatureKey rsaPrivateKey(String version, String algorithm, byte[] pkcs8Der) {
    try {
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8Der));
      return new PrivateSignatureKey(version, algorithm, key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid PKCS#8 RSA private key", e);
    }
  }

  private static PublicKey publicKey(String algorithm, byte[] spkiDer) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spkiDer));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid " + algorithm + " public key", e);
    }
  }


  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static ByteSink signatureSink(Signature signature) {
    return (bytes, offset, length) -> {
      try {
        signature.update(bytes, offset, length);
      } catch (SignatureException e) {
        throw new UncheckedSignatureException(e);
      }
    };
  }

  /** Carries a {@link SignatureException} through {@link ByteSink}. */
  static final class UncheckedSignatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedSignatureException(SignatureException cause) {
      super(cause);
    }
  }
}
