package org.exkb.engine.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CataloguesTest {
    private final Knowledge k = TestKnowledge.small();

    @ParameterizedTest
    @ValueSource(strings = {"0x80072F0D", "80072f0d", "hr=0x80072f0d", "HR = 0x80072F0D", "Exception with this url. hr=0x80072f0d.",
        "error 0x80072f0d while syncing", "Bad Certificate", "BAD   certificate"})
    void recognisesTheVariantsOfACode(String text) {
        assertEquals(List.of("CERT_ERROR"), k.symptoms().recognise(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"80072f0dd", "x80072f0d", "0x80072f0c", "certificate"})
    void doesNotRecogniseNearMisses(String text) {
        assertEquals(List.of(), k.symptoms().recognise(text));
    }

    @Test
    void normalisesTypography() {
        assertEquals("outlook says \"ssl [no]\" - fine", SymptomCatalog.normalise("Outlook  says \u201cSSL [No]\u201d \u2013 fine"));
    }

    @Test
    void findsDevicesByNameOrAliasIgnoringCaseAndPunctuation() {
        assertEquals("nosni", k.devices().find("no-sni phone").orElseThrow().id());
        assertEquals("nosni", k.devices().find("NSP").orElseThrow().id());
        assertEquals(Optional.empty(), k.devices().find("Nokia"));
    }

    @Test
    void suggestsCloseNames() {
        assertEquals("No SNI Phone", k.devices().suggest("No SNI Phon").get(0));
        assertEquals(List.of(), k.devices().suggest("Blackberry Bold"));
    }

    @Test
    void normalisesAnswers() {
        QuestionDef yesNo = k.question("server_rejects").orElseThrow();
        assertEquals(Optional.of("yes"), yesNo.normalise(" Y "));
        assertEquals(Optional.of("unknown"), yesNo.normalise("don't know"));
        assertEquals(Optional.empty(), yesNo.normalise("perhaps"));
        QuestionDef choice = k.question("flavour").orElseThrow();
        assertEquals(Optional.of("sweet"), choice.normalise("Sweet"));
        assertEquals(Optional.empty(), choice.normalise("bitter"));
        QuestionDef number = k.question("minutes").orElseThrow();
        assertEquals(Optional.of("12.5"), number.normalise("12,5"));
        assertEquals(Optional.empty(), number.normalise("-3"));
    }

    @Test
    void refusesBrokenDefinitions() {
        assertThrows(IllegalArgumentException.class, () -> new QuestionDef("q", "text", "choice", List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> new QuestionDef("q", "text", "colour", null, ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SymptomDef("S", "t", List.of("(unclosed"), List.of()));
        assertTrue(e.getMessage().contains("symptom S: bad pattern"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EntryDoc("X", "t", "harmless", "", "", null, null));
    }
}
