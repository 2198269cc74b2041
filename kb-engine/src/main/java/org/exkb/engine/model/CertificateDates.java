package org.exkb.engine.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether every certificate on a chain's path is within its validity dates at the time that matters (the capture's, or now). */
public enum CertificateDates {
    IN_DATE,
    /** At least one is past its notAfter date. */
    EXPIRED,
    /** At least one is before its notBefore date (and none expired). */
    NOT_YET_VALID;

    /** The contract's word: {@code in_date}, {@code expired}, {@code not_yet_valid}. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
