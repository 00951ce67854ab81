package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A newcomer finds their way by the one sentence each package's {@code package-info.java} says about what lives there
 * (the style the project keeps); seven packages added over time had none. Every package of every module's main
 * sources has one, and it says something: a Javadoc comment before the package declaration.
 */
class PackageDescriptionsTest {

    private static final Pattern DESCRIBED = Pattern.compile("(?s)\\s*/\\*\\*\\s*\\S.*?\\*/\\s*package\\s+[\\w.]+;.*");

    @Test
    void everyMainPackageSaysWhatLivesThere() throws IOException {
        List<Path> packages = mainPackages();
        assertThat(packages).as("main packages found").hasSizeGreaterThan(50);

        List<String> undescribed = packages.stream()
                .filter(dir -> !described(dir.resolve("package-info.java")))
                .map(dir -> ProjectRoot.path().relativize(dir).toString())
                .toList();

        assertThat(undescribed)
                .as("packages without a package-info.java whose Javadoc says what lives there")
                .isEmpty();
    }

    /** Directories under a module's src/main/java that hold at least one type. */
    private static List<Path> mainPackages() throws IOException {
        try (Stream<Path> modules = Files.list(ProjectRoot.path())) {
            List<Path> roots = modules.map(module -> module.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList();
            return roots.stream()
                    .flatMap(PackageDescriptionsTest::directories)
                    .filter(PackageDescriptionsTest::holdsAType)
                    .sorted()
                    .toList();
        }
    }

    private static Stream<Path> directories(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException("could not walk " + root, e);
        }
    }

    private static boolean holdsAType(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.toString().endsWith(".java")
                    && !file.getFileName().toString().equals("package-info.java"));
        } catch (IOException e) {
            throw new IllegalStateException("could not list " + dir, e);
        }
    }

    private static boolean described(Path packageInfo) {
        try {
            return Files.exists(packageInfo)
                    && DESCRIBED.matcher(Files.readString(packageInfo)).matches();
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + packageInfo, e);
        }
    }
}
