/**
 * HTTPS for a node: {@link io.tessera.server.tls.TlsConfig} names the PEM files,
 * {@link io.tessera.server.tls.ServerTls} checks them once at start-up (with messages that say what to fix)
 * and makes each connection's first handler, which hands TLS to Netty's {@code SslHandler} and answers a
 * plain-HTTP request on the TLS port with a 400 instead of serving it.
 */
package io.tessera.server.tls;
