package dev.extstorage.crypto;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encryption at rest of one value (SPEC section 10): AES-256-GCM from the JDK, with a key derived per extension,
 * scope and user from a master key of the {@link KeyRing} by HKDF-SHA256 (RFC 5869), a fresh random 96-bit nonce
 * per value, and the key id, extension, scope, owner and entry key as associated data. The envelope is
 * {@code v1.<key id>.<base64url of nonce, ciphertext and tag>}: ASCII without quotes or backslashes, so it sits
 * in a JSON string as it is. Thread-safe.
 */
public final class ValueCipher {
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] SALT = "extension-storage/v1/hkdf-salt".getBytes(StandardCharsets.US_ASCII);

    private final KeyRing ring;
    private final SecureRandom random = new SecureRandom();

    public ValueCipher(KeyRing ring) {
        this.ring = ring;
    }

    /** {@code plaintext} encrypted with the current key for {@code owner}. */
    public String seal(String plaintext, Owner owner) {
        String keyId = ring.currentId();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyId, owner, nonce);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
    }

    /**
     * The plaintext of an envelope {@link #seal} made for {@code owner}.
     *
     * @throws StorageException {@code FORBIDDEN} if it does not decrypt for this owner (moved from another
     *                          owner, extension or key, or altered), {@code STORE_UNAVAILABLE} if its key is not in
     *                          the ring (an operator removed a key still in use)
     */
    public String open(String envelope, Owner owner) {
        String[] parts = envelope.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw notThisOwners();
        }
        if (ring.key(parts[1]) == null) {
            throw new StorageException(ErrorCode.STORE_UNAVAILABLE, "A stored value is encrypted with key '" + parts[1]
                    + "', which EXT_STORAGE_ENCRYPTION_KEYS no longer holds");
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw notThisOwners();
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw notThisOwners();
        }
        try {
            byte[] nonce = Arrays.copyOf(in, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, parts[1], owner, nonce);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw notThisOwners();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
    }

    /**
     * {@code envelope} opened and sealed again with the current key, for the same owner ({@code reencrypt}).
     *
     * @throws StorageException as {@link #open}
     */
    public String reseal(String envelope, Owner owner) {
        return seal(open(envelope, owner), owner);
    }

    /** The id of the key that sealed {@code envelope}, or {@code null} if it is no envelope of this cipher. */
    public static String keyIdOf(String envelope) {
        String[] parts = envelope.split("\\.", -1);
        return parts.length == 3 && VERSION.equals(parts[0]) ? parts[1] : null;
    }

    /** The id of the key that seals new values. */
    public String currentKeyId() {
        return ring.currentId();
    }

    /** Whether an envelope was made with the current key ({@code reencrypt} leaves such values alone). */
    public boolean isCurrent(String envelope) {
        return envelope.startsWith(VERSION + "." + ring.currentId() + ".");
    }

    private Cipher cipher(int mode, String keyId, Owner owner, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(derive(ring.key(keyId), owner), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(owner.associatedData(keyId));
        return cipher;
    }

    private static byte[] derive(byte[] master, Owner owner) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(master, SALT, owner.keyInfo()));
        byte[] key = new byte[KeyRing.KEY_BYTES];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    private static StorageException notThisOwners() {
        return new StorageException(ErrorCode.FORBIDDEN,
                "A stored value does not decrypt for its owner: it was moved from another owner or altered");
    }
}
