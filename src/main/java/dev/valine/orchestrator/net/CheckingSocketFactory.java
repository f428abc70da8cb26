package dev.valine.orchestrator.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * Plain sockets that check the address they connect to, just before connecting. The last of three checks
 * (after {@link UrlPolicy} and {@link CheckingDns}): OkHttp connects to a host written as an IP address
 * without asking its {@link okhttp3.Dns}, and this catches any such address that reached a connection
 * without passing {@link UrlPolicy}. TLS is layered on these sockets, so https is covered too.
 */
final class CheckingSocketFactory extends SocketFactory {
  private final AddressPolicy policy;

  CheckingSocketFactory(AddressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Socket createSocket() {
    return new CheckedSocket(policy);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress... local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local.length > 0) {
        socket.bind(local[0]);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A socket that refuses to connect to a forbidden address. */
  private static final class CheckedSocket extends Socket {
    private final AddressPolicy policy;

    CheckedSocket(AddressPolicy policy) {
      this.policy = policy;
    }

    // Socket.connect(SocketAddress) delegates here, so every connect passes the check.
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress target) || target.isUnresolved()) {
        throw new RefusedAddressException("refused to connect to an unresolved address");
      }
      Optional<String> refusal = policy.refusal(target.getAddress());
      if (refusal.isPresent()) {
        throw new RefusedAddressException("The address " + target.getAddress().getHostAddress() + " is " + refusal.get()
            + ": the bot only fetches public hosts.");
      }
      super.connect(endpoint, timeout);
    }
  }
}
