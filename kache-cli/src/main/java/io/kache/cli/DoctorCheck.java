package io.kache.cli;

import java.util.Objects;

/**
 * One check of {@code kache doctor}.
 *
 * @param name what was checked, e.g. {@code remote put}
 * @param verdict ok, failed or skipped
 * @param detail what was seen, one sentence; for a failure, what went wrong
 * @param fix for a failure, the likely fix in one sentence; else empty
 */
record DoctorCheck(String name, Verdict verdict, String detail, String fix) {

    enum Verdict { OK, FAIL, SKIP }

    DoctorCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    static DoctorCheck ok(String name, String detail) {
        return new DoctorCheck(name, Verdict.OK, detail, "");
    }

    static DoctorCheck skip(String name, String why) {
        return new DoctorCheck(name, Verdict.SKIP, why, "");
    }

    static DoctorCheck fail(String name, String problem, String fix) {
        return new DoctorCheck(name, Verdict.FAIL, problem, fix);
    }
}
