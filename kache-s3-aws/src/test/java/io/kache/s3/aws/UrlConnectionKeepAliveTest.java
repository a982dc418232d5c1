package io.kache.s3.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.remote.s3.backend.S3Connections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UrlConnectionKeepAliveTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(UrlConnectionKeepAlive.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(UrlConnectionKeepAlive.PROPERTY);
        } else {
            System.setProperty(UrlConnectionKeepAlive.PROPERTY, before);
        }
    }

    @Test
    void unsetBoundBecomesRoomForEveryConnectionKacheUses() {
        System.clearProperty(UrlConnectionKeepAlive.PROPERTY);
        UrlConnectionKeepAlive.reserve();
        assertEquals(Integer.toString(S3Connections.MAX_PARALLEL), System.getProperty(UrlConnectionKeepAlive.PROPERTY));
    }

    @Test
    void boundSomeoneChoseIsKept() {
        System.setProperty(UrlConnectionKeepAlive.PROPERTY, "7");
        UrlConnectionKeepAlive.reserve();
        assertEquals("7", System.getProperty(UrlConnectionKeepAlive.PROPERTY));
    }
}
