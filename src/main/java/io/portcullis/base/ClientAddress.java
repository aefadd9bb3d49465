package io.portcullis.base;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/** The unit that limits count a client by: its IPv4 address, or the /64 of its IPv6 address. */
public final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * IPv6 clients are counted per /64: one host usually owns a whole /64, so counting single addresses would
     * give it 2^64 fresh starts.
     */
    public static String key(InetAddress client) {
        if (client instanceof Inet6Address) {
            return HexFormat.of().formatHex(Arrays.copyOf(client.getAddress(), 8)) + "::/64";
        }
        return client.getHostAddress();
    }
}
