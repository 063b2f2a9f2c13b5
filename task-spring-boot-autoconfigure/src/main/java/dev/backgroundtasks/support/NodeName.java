package dev.backgroundtasks.support;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import org.springframework.util.Assert;

/**
 * The name of this node: it claims executions, holds leases and heartbeats under it, and the other
 * nodes see it in {@code bgt_node}. Unique per running process.
 *
 * @param value the name
 */
public record NodeName(String value) {

	public NodeName {
		Assert.hasText(value, "A node name must not be empty");
	}

	/**
	 * @return a name unique to this process: host, process id and a random suffix
	 */
	public static NodeName generate() {
		return new NodeName(hostName() + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
				+ UUID.randomUUID().toString().substring(0, 8));
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

	@Override
	public String toString() {
		return this.value;
	}

}
