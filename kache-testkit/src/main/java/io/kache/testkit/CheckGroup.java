package io.kache.testkit;

import java.util.function.Supplier;

/**
 * Base of the contract's check groups. The fixture is fetched per test because JUnit builds a
 * nested test instance before the enclosing class's {@code @BeforeEach} opens the store.
 */
abstract class CheckGroup {

    private final Supplier<ContractFixture> fixture;

    CheckGroup(Supplier<ContractFixture> fixture) {
        this.fixture = fixture;
    }

    final ContractFixture fixture() {
        return fixture.get();
    }
}
