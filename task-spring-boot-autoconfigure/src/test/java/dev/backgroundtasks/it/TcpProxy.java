package dev.backgroundtasks.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy inside the test JVM, for network faults without Docker: connections to {@link #port()} are
 * forwarded to the target. {@link #cut()} stops every byte in both directions without closing anything,
 * as a pulled cable or a dropped route does (the peers see silence, not a reset); {@link #heal()} lets
 * the held bytes through again, as TCP retransmission does after a short cut; {@link #reset()} closes every
 * connection, as happens to connections that a long cut outlived. {@link #down()} closes every connection and
 * refuses new ones (each is reset as soon as it is accepted), as a database server that restarts does, until
 * {@link #up()}.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object gate = new Object();

	private volatile boolean cut;

	private volatile boolean down;

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * Starts a proxy on a free local port.
	 * @param targetHost the host to forward to
	 * @param targetPort the port to forward to
	 * @throws IOException when no port can be opened
	 */
	public TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * @return the local port that forwards to the target
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Stops forwarding, silently: nothing is closed, bytes are held.
	 */
	public void cut() {
		this.cut = true;
	}

	/**
	 * Forwards again, held bytes first.
	 */
	public void heal() {
		synchronized (this.gate) {
			this.cut = false;
			this.gate.notifyAll();
		}
	}

	/**
	 * Closes every open connection (both sides see a reset); new connections are accepted.
	 */
	public void reset() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	/**
	 * Closes every open connection and refuses new ones until {@link #up()}: a server that went away.
	 */
	public void down() {
		this.down = true;
		reset();
	}

	/**
	 * Accepts and forwards new connections again after {@link #down()}.
	 */
	public void up() {
		this.down = false;
	}

	/**
	 * @return how many connections were accepted and forwarded (or held, while cut) so far
	 */
	public int acceptedConnections() {
		return this.accepted.get();
	}

	/**
	 * @return how many connections were refused while {@link #down()}
	 */
	public int refusedConnections() {
		return this.refused.get();
	}

	/**
	 * @return how many sockets (client and target side) are open
	 */
	public int openSockets() {
		return this.sockets.size();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (this.down) {
					this.refused.incrementAndGet();
					refuse(client);
					continue;
				}
				this.accepted.incrementAndGet();
				this.sockets.add(client);
				Thread connector = new Thread(() -> connect(client), "tcp-proxy-connect");
				connector.setDaemon(true);
				connector.start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					continue;
				}
			}
		}
	}

	private void connect(Socket client) {
		try {
			awaitOpen();
			Socket target = new Socket();
			target.connect(new InetSocketAddress(this.targetHost, this.targetPort), 5000);
			this.sockets.add(target);
			if (this.down) {
				// Went down while this one connected: reset() may have missed it.
				closeQuietly(target);
				closeQuietly(client);
				this.sockets.remove(target);
				this.sockets.remove(client);
				return;
			}
			pump(client, target, "up");
			pump(target, client, "down");
		}
		catch (IOException | InterruptedException ex) {
			closeQuietly(client);
		}
	}

	private void pump(Socket from, Socket to, String direction) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				for (int read; (read = in.read(buffer)) >= 0;) {
					awaitOpen();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// Closed by reset() or by a peer.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-" + direction);
		thread.setDaemon(true);
		thread.start();
	}

	private void awaitOpen() throws InterruptedException {
		synchronized (this.gate) {
			while (this.cut && !this.closed) {
				this.gate.wait(100);
			}
		}
	}

	/**
	 * Closes with a reset (RST) rather than an orderly close, as a port nobody listens on answers.
	 */
	private static void refuse(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// Closed below anyway.
		}
		closeQuietly(socket);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	@Override
	public void close() {
		this.closed = true;
		heal();
		closeQuietly(this.server);
		reset();
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

}
