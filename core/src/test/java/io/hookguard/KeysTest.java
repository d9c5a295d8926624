package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The pooled HMAC key: what it feeds the Mac must be exactly the signed bytes, from any thread. */
class KeysTest {
  private static final byte[] SECRET = "pooled-mac-secret".getBytes(UTF_8);

  /** Writes pieces of every shape the sink treats differently: short, long, ASCII, not ASCII. */
  private static SignedContent pieces(List<Object> parts) {
    return sink -> {
      for (Object part : parts) {
        if (part instanceof String text) {
          sink.update(text);
        } else {
          byte[] bytes = (byte[]) part;
          sink.update(bytes, 1, bytes.length - 2); // an inner range, not the whole array
        }
      }
    };
  }

  private static byte[] expected(List<Object> parts) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        all.writeBytes(text.getBytes(UTF_8));
      } else {
        byte[] bytes = (byte[]) part;
        all.write(bytes, 1, bytes.length - 2);
      }
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    return mac.doFinal(all.toByteArray());
  }

  private static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7);
    }
    return bytes;
  }

  @Test
  void macsExactlyTheBytesWrittenWhateverTheirShape() throws Exception {
    Keys.HmacKey key = new Keys.HmacKey("v1", HmacAlgorithm.SHA256, SECRET);
    List<List<Object>> cases = List.of(
        List.of("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", ".", "1700000000", ".", bytes(258, 1)),
        List.of("1700000000", bytes(3, 2), "", "ünïcødé ✓ 😀", "."),
        List.of("x".repeat(127), "y".repeat(128), "z".repeat(129), "é".repeat(100)),
        List.of(bytes(130, 3), bytes(129, 4), bytes(2, 5), bytes(200_000, 6)),
        List.of("ascii then ü in the middle of a short piece", "tail"));
    for (List<Object> parts : cases) {
      byte[] want = expected(parts);
      assertThat(key.sign(pieces(parts))).containsExactly(want);
      assertThat(key.verify(pieces(parts), List.of(want))).isTrue();
      byte[] flipped = want.clone();
      flipped[0] ^= 1;
      assertThat(key.verify(pieces(parts), List.of(flipped))).isFalse();
      // Many short pieces in a row: more than the gathering buffer holds.
      List<Object> many = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        many.add(i % 2 == 0 ? "piece-" + i : bytes(i % 50 + 2, i));
      }
      assertThat(key.sign(pieces(many))).containsExactly(expected(many));
    }
  }

  @Test
  void pooledMacsAreNeverSharedBetweenThreads() throws Exception {
    Keys.HmacKey key = new Keys.HmacKey("v1", HmacAlgorithm.SHA256, SECRET);
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int seed = t;
        tasks.add(() -> {
          for (int i = 0; i < 2_000; i++) {
            List<Object> parts = List.of("id-" + seed + "-" + i, ".", bytes(40 + i % 300, seed + i));
            byte[] want = expected(parts);
            if (!key.verify(pieces(parts), List.of(want)) || !java.util.Arrays.equals(key.sign(pieces(parts)), want)) {
              return false;
            }
          }
          return true;
        });
      }
      for (Future<Boolean> result : threads.invokeAll(tasks)) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void slotCountIsAPowerOfTwoBetween4And64() {
    assertThat(Keys.HmacKey.slotCount(1)).isEqualTo(4);
    assertThat(Keys.HmacKey.slotCount(2)).isEqualTo(4);
    assertThat(Keys.HmacKey.slotCount(3)).isEqualTo(8);
    assertThat(Keys.HmacKey.slotCount(16)).isEqualTo(32);
    assertThat(Keys.HmacKey.slotCount(1_000)).isEqualTo(64);
  }

  @Test
  void oneThreadReusesOneMacForEverySignatureAndCheck() {
    Keys.HmacKey key = new Keys.HmacKey("v1", HmacAlgorithm.SHA256, SECRET);
    SignedContent content = sink -> sink.update("content");
    byte[] signature = key.sign(content);
    for (int i = 0; i < 50; i++) {
      assertThat(key.verify(content, List.of(signature))).isTrue();
      assertThat(key.sign(content)).containsExactly(signature);
    }

    // The key made one Mac when built, in slot 0; this thread's slot gets its own unless it is 0.
    int slots = Keys.HmacKey.slotCount(Runtime.getRuntime().availableProcessors());
    int slot = (int) Thread.currentThread().getId() & (slots - 1);
    assertThat(key.macsCreated()).isEqualTo(slot == 0 ? 1 : 2);
  }

  @Test
  void charactersFromU0080AreUtf8EncodedNotTruncated() throws Exception {
    Keys.HmacKey key = new Keys.HmacKey("v1", HmacAlgorithm.SHA256, SECRET);
    for (String text : List.of("\u0080", "a\u0080b", "\u007f", "\u00ff", "x\u07ff")) {
      assertThat(key.sign(sink -> sink.update(text))).as(text).containsExactly(expected(List.of(text)));
    }
  }

  @Test
  void anEmptyHmacSecretIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new Keys.HmacKey("v1", HmacAlgorithm.SHA256, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("secret must not be empty");
  }

  @Test
  void keysNeverShowTheirMaterial() {
    assertThat(new Keys.HmacKey("v1", HmacAlgorithm.SHA256, SECRET)).hasToString("HmacKey[v1, ****]");
  }

  @Test
  void ed25519PrivateKeysAreASeedOrTheSixtyFourByteLibsodiumForm() {
    byte[] seed = bytes(32, 9);
    byte[] libsodium = java.util.Arrays.copyOf(seed, 64);
    SignedContent content = sink -> sink.update("content");

    assertThat(Keys.ed25519PrivateKey("v1a", libsodium).sign(content))
        .containsExactly(Keys.ed25519PrivateKey("v1a", seed).sign(content));
    for (int length : new int[] {0, 31, 33, 63, 65}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Keys.ed25519PrivateKey("v1a", new byte[length]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this one has " + length);
    }
    assertThat(Keys.ed25519PrivateKey("v1a", seed)).hasToString("PrivateSignatureKey[Ed25519, ****]");
    assertThat(Keys.ed25519RawOrSpkiPublicKey("v1a", Fixtures.ED25519.publicKey())).hasToString("PublicSignatureKey[v1a, ****]");
  }

  @Test
  void anEmptyTokenIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Keys.TokenKey(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("token must not be empty");
  }

  @Test
  void theMacMadeWhenTheKeyIsBuiltServesTheThreadOfSlotZero() throws Exception {
    Keys.HmacKey key = new Keys.HmacKey("v1", HmacAlgorithm.SHA256, SECRET);
    int slots = Keys.HmacKey.slotCount(Runtime.getRuntime().availableProcessors());
    Thread slotZero = null;
    for (int i = 0; i < slots && slotZero == null; i++) { // thread ids are consecutive
      Thread candidate = new Thread(() -> key.sign(sink -> sink.update("content")));
      if ((candidate.getId() & (slots - 1)) == 0) {
        slotZero = candidate;
      }
    }
    assertThat(slotZero).isNotNull();
    slotZero.start();
    slotZero.join();

    assertThat(key.macsCreated()).isEqualTo(1);
  }

  /** A Mac that records the length of every update it is handed, and computes nothing. */
  private static final class RecordingMac extends Mac {
    final List<Integer> updates;

    RecordingMac(List<Integer> updates) {
      super(new javax.crypto.MacSpi() {
        @Override
        protected int engineGetMacLength() {
          return 4;
        }

        @Override
        protected void engineInit(java.security.Key key, java.security.spec.AlgorithmParameterSpec params) {}

        @Override
        protected void engineUpdate(byte input) {
          updates.add(1);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
          updates.add(length);
        }

        @Override
        protected byte[] engineDoFinal() {
          return new byte[4];
        }

        @Override
        protected void engineReset() {}
      }, null, "Recording");
      this.updates = updates;
    }
  }

  private static List<Integer> macUpdates(java.util.function.Consumer<ByteSink> writes) throws Exception {
    List<Integer> updates = new ArrayList<>();
    RecordingMac mac = new RecordingMac(updates);
    mac.init(new SecretKeySpec(SECRET, "Recording"));
    Keys.PooledMac pooled = new Keys.PooledMac(mac);
    writes.accept(pooled);
    pooled.finish();
    return updates;
  }

  @Test
  void piecesUpTo128BytesAreGatheredIntoOneMacUpdateOf256AtMost() throws Exception {
    assertThat(macUpdates(sink -> {
      sink.update(bytes(128, 1), 0, 128);
      sink.update(bytes(128, 2), 0, 128);
    })).as("two short pieces fill the buffer exactly").containsExactly(256);
    assertThat(macUpdates(sink -> {
      sink.update(bytes(128, 1), 0, 128);
      sink.update(bytes(128, 2), 0, 128);
      sink.update(bytes(1, 3), 0, 1);
    })).containsExactly(256, 1);
    assertThat(macUpdates(sink -> {
      sink.update(bytes(10, 1), 0, 10);
      sink.update(bytes(129, 2), 0, 129);
    })).as("a long piece flushes what is gathered, then goes straight").containsExactly(10, 129);
    assertThat(macUpdates(sink -> sink.update(bytes(129, 2), 0, 129)))
        .as("nothing gathered, nothing flushed").containsExactly(129);
    assertThat(macUpdates(sink -> { })).as("no empty update").isEmpty();
  }

  @Test
  void shortAsciiTextIsGatheredLikeBytes() throws Exception {
    assertThat(macUpdates(sink -> {
      sink.update("a".repeat(128));
      sink.update("b".repeat(128));
    })).containsExactly(256);
    assertThat(macUpdates(sink -> {
      sink.update("a".repeat(128));
      sink.update("b".repeat(128));
      sink.update("c");
    })).containsExactly(256, 1);
    assertThat(macUpdates(sink -> {
      sink.update("a".repeat(10));
      sink.update("b".repeat(129));
    })).as("long text is encoded and handed over whole").containsExactly(10, 129);
    assertThat(macUpdates(sink -> sink.update("caf\u00e9"))).as("non-ASCII text is encoded first").containsExactly(5);
  }
}
