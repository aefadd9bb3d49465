package io.portcullis.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aBlockContainsExactlyItsAddresses() throws Exception {
        Cidr c = Cidr.parse("10.1.0.0/17");
        assertTrue(c.contains(ip("10.1.127.255")));
        assertFalse(c.contains(ip("10.1.128.0")));
        assertFalse(c.contains(ip("11.1.0.1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
    }

    @Test
    void aSingleAddressIsAFullLengthBlock() throws Exception {
        Cidr c = Cidr.parse("192.0.2.7");
        assertEquals("192.0.2.7/32", c.toString());
        assertTrue(c.contains(ip("192.0.2.7")));
        assertFalse(c.contains(ip("192.0.2.8")));
    }

    @Test
    void ipv6BlocksAndIpv4MappedPeers() throws Exception {
        assertTrue(Cidr.parse("fd00::/8").contains(ip("fd12::1")));
        assertFalse(Cidr.parse("fd00::/8").contains(ip("fe80::1")));
        assertFalse(Cidr.parse("fd00::/8").contains(ip("10.0.0.1")));
        assertTrue(Cidr.parse("10.0.0.0/8").contains(ip("::ffff:10.2.3.4")), "a dual-stack socket's view of an IPv4 peer");
    }

    @Test
    void namesAndBadPrefixesAreRefusedWithWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("lb.example"));
        assertTrue(e.getMessage().contains("10.0.0.0/8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd00::/129"));
    }
}
