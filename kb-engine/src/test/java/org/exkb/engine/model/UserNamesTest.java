package org.exkb.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserNamesTest {
    @Test
    void namesAgreeAcrossTheWaysLogsWriteThem() {
        assertEquals("admbob", UserNames.key("CONTOSO\\Adm.Bob"));
        assertEquals("admbob", UserNames.key(" adm.bob@contoso.com "));
        assertEquals("admbob", UserNames.key("adm.bob"));
        assertEquals(List.of("contoso\\adm.bob", "Adm.Carol"),
                UserNames.common(List.of("contoso\\adm.bob", "Adm.Carol", "user7"), List.of("adm.carol", "adm.bob@contoso.com")));
    }

    @Test
    void aDisplayNameIsNotTakenForALogonName() {
        assertEquals(List.of(), UserNames.common(List.of("jdoe"), List.of("John Doe")));
        assertEquals(List.of(), UserNames.common(List.of("adm.bob"), List.of("adm.bobby")), "a prefix is not the same user");
        assertEquals(List.of(), UserNames.common(List.of("-", ""), List.of("", "--")), "names without letters or digits match nothing");
    }
}
