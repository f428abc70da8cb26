package dev.valine.orchestrator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The last check, on a socket's connect, against a listening socket on loopback. */
class CheckingSocketFactoryTest {

  @Test
  void refusesToConnectToAForbiddenAddress() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = new CheckingSocketFactory(new AddressPolicy(false)).createSocket()) {
      InetSocketAddress target = new InetSocketAddress(listening.getInetAddress(), listening.getLocalPort());

      RefusedAddressException error = assertThrows(RefusedAddressException.class, () -> socket.connect(target, 1_000));

      assertEquals("The address " + listening.getInetAddress().getHostAddress() + " is a loopback address: "
          + "the bot only fetches public hosts.", error.getMessage());
      assertFalse(socket.isConnected());
    }
  }

  @Test
  void refusesThroughEveryFactoryMethod() throws Exception {
    CheckingSocketFactory factory = new CheckingSocketFactory(new AddressPolicy(false));
    // Loopback, refused without private targets: were the check broken, nothing would leave this machine.
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetAddress address = listening.getInetAddress();
      int port = listening.getLocalPort();

      assertThrows(RefusedAddressException.class, () -> factory.createSocket(address, port));
      assertThrows(RefusedAddressException.class, () -> factory.createSocket(address, port, address, 0));
      assertThrows(RefusedAddressException.class, () -> factory.createSocket(address.getHostAddress(), port));
    }
  }

  @Test
  void refusesAnUnresolvedAddress() throws Exception {
    try (Socket socket = new CheckingSocketFactory(new AddressPolicy(true)).createSocket()) {
      assertThrows(RefusedAddressException.class, () -> socket.connect(InetSocketAddress.createUnresolved("loopback.test", 80)));
    }
  }

  @Test
  void connectsToAnAllowedAddress() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = new CheckingSocketFactory(new AddressPolicy(true)).createSocket(listening.getInetAddress(),
            listening.getLocalPort())) {
      assertTrue(socket.isConnected());
    }
  }
}
