package com.groupbuy.market.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, for tests that hold code to the project's own files (README, docs): wherever Maven runs them. */
public final class ProjectRoot {

    private ProjectRoot() {}

    /** The nearest directory at or above the working directory that holds README.md and the app module. */
    public static Path path() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("group-buy-market-app"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "the project root not found above " + Path.of("").toAbsolutePath());
    }
}
