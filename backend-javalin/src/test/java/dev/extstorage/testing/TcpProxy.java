package dev.extstorage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder to a real service that a test can take down (closing the port and every open
 * connection, as a crashed server would) and bring back on the same port: it shows that a store recovers
 * without sharing a service other tests use.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = portOutsideEphemeralRange();
    }

    /**
     * A free loopback port below Linux's ephemeral range (32768-60999 by default). While the proxy is down its port
     * is unbound, and a port from the ephemeral range may meanwhile become the local port of any outgoing
     * connection on the machine (a CI run saw {@code up()} fail with "Address already in use"); ports below it are
     * only ever taken by an explicit bind.
     */
    private static int portOutsideEphemeralRange() throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + random.nextInt(12_000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port in 20000-31999");
    }

    public int port() {
        return port;
    }

    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public synchronized void down() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        down();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket target = new Socket(targetHost, targetPort);
                if (!register(s, client, target)) {
                    return;
                }
                pump(client, target);
                pump(target, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Records a connection pair unless {@code down()} closed {@code listener} meanwhile: a pair accepted while
     * going down must not outlive it.
     */
    private synchronized boolean register(ServerSocket listener, Socket client, Socket target) {
        if (server != listener) {
            closeQuietly(client);
            closeQuietly(target);
            return false;
        }
        sockets.add(client);
        sockets.add(target);
        return true;
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side or down() closed it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
