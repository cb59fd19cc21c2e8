package io.eventfold.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Asks the operating system for a free port. The port is released before Kafka binds it, so
 * another process may take it in between; {@link EmbeddedKafka#start()} then tries other ports.
 */
final class FreePort {

    private FreePort() {
    }

    static int on(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
