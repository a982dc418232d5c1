package io.kache.core.remote.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniFileTest {

    @Test
    void readsSectionsKeysAndValuesIgnoringComments() {
        IniFile ini = IniFile.parse("""
                # a comment
                ; another
                [default]
                aws_access_key_id=AKID
                  aws_secret_access_key   =   s3cr/t+x   # inline comment
                [profile  spaced ]
                Region = eu-west-1 ; inline
                """);
        assertEquals(Optional.of(Map.of("aws_access_key_id", "AKID", "aws_secret_access_key", "s3cr/t+x")),
                ini.section("default"));
        assertEquals(Optional.of(Map.of("region", "eu-west-1")), ini.section("profile  spaced"));
    }

    @Test
    void skipsIndentedSubPropertiesAndKeysOutsideSections() {
        IniFile ini = IniFile.parse("""
                orphan = 1
                [default]
                s3 =
                  max_concurrent_requests = 20
                  addressing_style = path
                region = us-east-1
                """);
        assertEquals(Optional.of(Map.of("s3", "", "region", "us-east-1")), ini.section("default"));
        assertEquals(1, ini.sections().size());
    }

    @Test
    void repeatedSectionsMergeWithLaterKeysWinning() {
        IniFile ini = IniFile.parse("[a]\nx = 1\ny = 2\n[b]\nz = 3\n[a]\ny = 9\r\n");
        assertEquals(Optional.of(Map.of("x", "1", "y", "9")), ini.section("a"));
    }

    @Test
    void valuesKeepHashesThatAreNotPrecededByWhitespace() {
        assertEquals(Optional.of(Map.of("k", "a#b;c")), IniFile.parse("[s]\nk = a#b;c\n").section("s"));
    }

    @Test
    void malformedHeaderIgnoresItsKeys(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), IniFile.parse("[broken\nk = v\n").section("broken"));
        assertEquals(IniFile.empty(), IniFile.read(dir.resolve("missing")));
    }
}
