package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of {@link ArtifactStore} reaches the delegate unchanged and brings back its answer.
 * The methods are found by reflection, so one added to the SPI is checked here without anyone
 * remembering to: a default method the base does not forward would answer for the delegate.
 */
class ForwardingArtifactStoreTest {

    private static final ArtifactKey KEY = new ArtifactKey("serde", "ab".repeat(32));

    /** An argument for each parameter type the SPI uses; a new type fails the test until added here. */
    private static final Map<Class<?>, Object> ARGUMENTS = Map.of(
            ArtifactKey.class, KEY,
            EntryReader.class, (EntryReader) (in, size) -> { },
            ArtifactSource.class, ArtifactSource.ofBytes(new byte[] {1}),
            String.class, "slot-or-crate",
            int.class, 4096,
            byte[].class, new byte[] {2});

    /** One call the delegate received. */
    private record Call(String method, List<Object> args) {
    }

    /** A delegate that records each call and answers with {@code answer}, or throws {@code failure}. */
    private static final class Recorder {
        final List<Call> calls = new ArrayList<>();
        Object answer;
        Throwable failure;

        ArtifactStore store() {
            return (ArtifactStore) Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(),
                    new Class<?>[] {ArtifactStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("toString") && method.getParameterCount() == 0) {
                            return "the delegate";
                        }
                        calls.add(new Call(method.getName(), args == null ? List.of() : Arrays.asList(args)));
                        if (failure != null) {
                            throw failure;
                        }
                        return answer;
                    });
        }
    }

    static Stream<Method> spiMethods() {
        return Arrays.stream(ArtifactStore.class.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spiMethods")
    void eachMethodReachesTheDelegateWithItsArgumentsAndReturnsItsResult(Method method) throws Exception {
        Recorder delegate = new Recorder();
        delegate.answer = answerFor(method.getReturnType());
        Object[] args = argumentsFor(method);

        Object result = method.invoke(new ForwardingArtifactStore(delegate.store()) { }, args);

        assertEquals(List.of(new Call(method.getName(), Arrays.asList(args))), delegate.calls);
        if (method.getReturnType().isPrimitive()) {
            // invoke() boxes a primitive afresh: the value is what can be the same.
            assertEquals(delegate.answer, result);
        } else {
            assertSame(delegate.answer, result);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spiMethods")
    void eachMethodThrowsTheDelegatesException(Method method) throws Exception {
        Recorder delegate = new Recorder();
        // A checked StoreException where the method may throw one; close() may only throw unchecked.
        boolean checked = Arrays.stream(method.getExceptionTypes()).anyMatch(t -> t.isAssignableFrom(StoreException.class));
        delegate.failure = checked ? new StoreUnavailableException("down") : new IllegalStateException("down");

        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> method.invoke(new ForwardingArtifactStore(delegate.store()) { }, argumentsFor(method)));

        assertSame(delegate.failure, e.getCause());
        assertEquals(1, delegate.calls.size());
    }

    @Test
    void everyMethodOfTheSpiIsForwardedNotInherited() {
        for (Method m : ArtifactStore.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method forwarded = ForwardingArtifactStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertFalse(Modifier.isAbstract(forwarded.getModifiers()), forwarded.toString());
            } catch (NoSuchMethodException e) {
                fail("ForwardingArtifactStore does not forward " + m);
            }
        }
    }

    @Test
    void describesItselfAsTheDelegate() {
        assertEquals("the delegate", new ForwardingArtifactStore(new Recorder().store()) { }.toString());
    }

    @Test
    void refusesANullDelegate() {
        assertThrows(NullPointerException.class, () -> new ForwardingArtifactStore(null) { });
    }

    private static Object[] argumentsFor(Method method) {
        return Arrays.stream(method.getParameterTypes()).map(type -> {
            if (!ARGUMENTS.containsKey(type)) {
                fail("no test argument of type " + type.getName() + " for " + method);
            }
            return ARGUMENTS.get(type);
        }).toArray();
    }

    /** A result the base could not make up: true (a miss is false), a particular stream or record. */
    private static Object answerFor(Class<?> type) {
        if (type == void.class) {
            return null;
        } else if (type == boolean.class) {
            return Boolean.TRUE;
        } else if (type == Stream.class) {
            return Stream.of(KEY);
        } else if (type == Optional.class) {
            return Optional.of(new byte[] {3});
        }
        return fail("no test result of type " + type.getName());
    }
}
