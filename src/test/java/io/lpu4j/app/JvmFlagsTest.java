package io.lpu4j.app;

import io.lpu4j.bench.kernel.Forks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM options the engine depends on (one-token kernels compiled on their own, vector helpers
 * always inlined: without the latter, decode allocated on CI; native access for the huge-page weight
 * memory) are spelled in three places: the pom's {@code lpu4j.jvmFlags} (tests), the {@code lpu}
 * launcher and the JMH forks. They must agree.
 */
class JvmFlagsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theLauncherAndTheBenchmarkForksPassEveryEngineOptionTheTestsRunWith() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher property = Pattern.compile("<lpu4j.jvmFlags>([^<]*)</lpu4j.jvmFlags>").matcher(pom);
        assertTrue(property.find(), "pom.xml has no lpu4j.jvmFlags property");
        List<String> commands = Pattern.compile("-XX:CompileCommand=\\S+|--enable-native-access=\\S+").matcher(property.group(1))
                .results().map(m -> m.group()).toList();
        assertFalse(commands.isEmpty(), property.group(1));
        String launcher = Files.readString(ROOT.resolve("lpu"));
        List<String> forks = List.of(Forks.NATIVE_ACCESS, Forks.QUIET_COMPILE_COMMANDS, Forks.KERNELS_STANDALONE, Forks.VECTOR_HELPERS_INLINED);
        for (String command : commands) {
            assertTrue(launcher.contains(command), "./lpu does not pass " + command);
            assertTrue(forks.contains(command), "the JMH forks (bench Forks) do not pass " + command);
        }
    }
}
