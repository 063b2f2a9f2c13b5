package dev.backgroundtasks.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The partition an execution of a task with {@code partitionBy} counts in, as stored in
 * {@code bgt_execution.partition_key}: the JSON text of its parameter's value ({@code "acme"} with its quotes,
 * {@code 42}), {@code null} for a null or missing value (a partition of its own), and for a text longer
 * than {@value #LONGEST} characters {@code sha256:} and the hex SHA-256 of it, so the column stays bounded.
 * No JSON text starts with {@code s}: a hash never equals a short value. The empty key is the whole task.
 */
public final class PartitionKeys {

	/** The longest value stored as it is. */
	public static final int LONGEST = 128;

	/** The partition of a task without {@code partitionBy}. */
	public static final String WHOLE_TASK = "";

	private PartitionKeys() {
	}

	/**
	 * @param json the JSON text of the parameter's value, or {@code null} when the parameter is missing
	 * @return the partition key
	 */
	public static String of(@Nullable String json) {
		if (json == null || json.isEmpty()) {
			return "null";
		}
		if (json.length() <= LONGEST) {
			return json;
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
			return "sha256:" + HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
