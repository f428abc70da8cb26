package dev.valine.orchestrator.net;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A throwaway self-signed certificate for one host name, made by the JDK's keytool at run time (the JDK
 * has no public API to make a certificate, and no key is kept in the repository), with a server context
 * for MockWebServer and a trust manager for the client.
 */
final class TestTls {
  final SSLContext server;
  final SSLContext client;
  final X509TrustManager trust;

  private TestTls(SSLContext server, SSLContext client, X509TrustManager trust) {
    this.server = server;
    this.client = client;
    this.trust = trust;
  }

  static TestTls forHost(String host, Path directory) throws Exception {
    Path keystore = directory.resolve("test-tls.p12");
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    char[] password = ("fake-" + HexFormat.of().formatHex(random)).toCharArray();
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
        "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", new String(password), "-keypass", new String(password))
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, password);
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(keyManagers.getKeyManagers(), null, null);

    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("server", keys.getCertificate("server"));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    X509TrustManager trust = (X509TrustManager) trustManagers.getTrustManagers()[0];
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
    return new TestTls(server, client, trust);
  }
}
