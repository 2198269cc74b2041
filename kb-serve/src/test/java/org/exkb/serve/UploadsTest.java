package org.exkb.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive bound on uploads, on archives as Windows writes them. */
class UploadsTest {
    /** A zip with an entry name in code page 437 and no UTF-8 flag (what "Send to compressed folder" writes). */
    static Path cp437Zip(Path dir, int bytes) throws Exception {
        Path zip = dir.resolve("cas-logs.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out, Charset.forName("IBM437"))) {
            z.putNextEntry(new ZipEntry("MÜNCHEN-CAS01/u_ex261120.log"));
            z.write(new byte[bytes]);
            z.closeEntry();
        }
        return zip;
    }

    @Test
    void aZipWithCodePage437NamesIsMeasuredNotRefused(@TempDir Path dir) throws Exception {
        Uploads.checkExpansion(cp437Zip(dir, 1000), "cas-logs.zip", 1 << 20);   // the evidence reader reads it: so may the service
        Path large = cp437Zip(Files.createDirectories(dir.resolve("large")), 2 << 20);
        Problem p = assertThrows(Problem.class, () -> Uploads.checkExpansion(large, "cas-logs.zip", 1 << 20));
        assertEquals(413, p.status, "and past the bound it is refused: " + p.getMessage());
    }
}
